package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.checkDuration} step, field for field the catalog's {@code output};
 * without history, {@code usualSeconds} and {@code ratio} are left out. Immutable.
 *
 * @param ok within factor (true when there is no history yet)
 * @param backupId the newest backup, empty when none
 * @param durationSeconds its duration
 * @param usualSeconds median of the previous ones
 * @param ratio durationSeconds / usualSeconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupCheckDurationResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("durationSeconds") Double durationSeconds,
    @JsonProperty("usualSeconds") Double usualSeconds,
    @JsonProperty("ratio") Double ratio) {}
