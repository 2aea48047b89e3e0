package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The output of a {@code backup.list} step, field for field the catalog's {@code output}.
 * Immutable.
 *
 * @param count records returned
 * @param totalBytes their total size
 * @param backups the records, newest first
 * @param newestId id of the newest, empty when none
 */
public record BackupListResult(
    @JsonProperty("count") int count,
    @JsonProperty("totalBytes") long totalBytes,
    @JsonProperty("backups") List<BackupRecord> backups,
    @JsonProperty("newestId") String newestId) {

  public BackupListResult {
    backups = List.copyOf(backups);
  }
}
