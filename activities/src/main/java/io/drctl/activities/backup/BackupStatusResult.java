package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.status} step, field for field the catalog's {@code output}; a time
 * that does not exist (no backup, never verified, no WAL) is left out. Immutable.
 *
 * @param backups backups in the store (of the service)
 * @param totalBytes their size, WAL excluded
 * @param walBytes size of the WAL archive
 * @param newestAt time of the newest backup
 * @param oldestAt time of the oldest backup
 * @param lastVerifiedAt time of the last successful verification or restore test
 * @param lastRestoreTest {@code VERIFIED}, {@code FAILED} or {@code UNTESTED}
 * @param lastRestoreTestAt when the last restore test was recorded
 * @param walArchivedThrough when the newest archived WAL file was archived
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStatusResult(
    @JsonProperty("backups") int backups,
    @JsonProperty("totalBytes") long totalBytes,
    @JsonProperty("walBytes") long walBytes,
    @JsonProperty("newestAt") String newestAt,
    @JsonProperty("oldestAt") String oldestAt,
    @JsonProperty("lastVerifiedAt") String lastVerifiedAt,
    @JsonProperty("lastRestoreTest") String lastRestoreTest,
    @JsonProperty("lastRestoreTestAt") String lastRestoreTestAt,
    @JsonProperty("walArchivedThrough") String walArchivedThrough) {}
