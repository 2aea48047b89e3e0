package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The output of a {@code backup.replicate} step, field for field the catalog's {@code output}.
 * Immutable.
 *
 * @param copied backups copied
 * @param skipped backups already present at the destination with the same checksum
 * @param walSegments WAL files copied
 * @param bytes bytes copied, backups and WAL
 * @param backupIds ids copied
 */
public record BackupReplicateResult(
    @JsonProperty("copied") int copied,
    @JsonProperty("skipped") int skipped,
    @JsonProperty("walSegments") int walSegments,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("backupIds") List<String> backupIds) {

  public BackupReplicateResult {
    backupIds = List.copyOf(backupIds);
  }
}
