package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The output of a {@code backup.prune} step, field for field the catalog's {@code output}.
 * Immutable.
 *
 * @param dryRun whether this was a dry run
 * @param deleted backups deleted (or that would be)
 * @param kept backups kept
 * @param walSegmentsDeleted WAL files deleted (or that would be)
 * @param freedBytes bytes freed (or that would be)
 * @param candidates ids of the backups deleted (or that would be), newest first
 */
public record BackupPruneResult(
    @JsonProperty("dryRun") boolean dryRun,
    @JsonProperty("deleted") int deleted,
    @JsonProperty("kept") int kept,
    @JsonProperty("walSegmentsDeleted") int walSegmentsDeleted,
    @JsonProperty("freedBytes") long freedBytes,
    @JsonProperty("candidates") List<String> candidates) {

  public BackupPruneResult {
    candidates = List.copyOf(candidates);
  }
}
