package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.checkSize} step, field for field the catalog's {@code output};
 * without history, {@code averageBytes} and {@code ratio} are left out. Immutable.
 *
 * @param ok within threshold (true when there is no history yet)
 * @param backupId the newest backup, empty when none
 * @param sizeBytes its size
 * @param averageBytes average of the previous ones
 * @param ratio sizeBytes / averageBytes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupCheckSizeResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("sizeBytes") Long sizeBytes,
    @JsonProperty("averageBytes") Long averageBytes,
    @JsonProperty("ratio") Double ratio) {}
