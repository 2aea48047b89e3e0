package io.drctl.store.retention;

import io.drctl.store.text.TextTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link RetentionPlanner#plan}: every backup and WAL file of the store with a keep
 * or delete decision and its reason. A plan is what a dry run prints and what {@link
 * RetentionPlanner#apply} executes. Immutable.
 *
 * @param now the time the plan was made for
 * @param policy the policy applied
 * @param backups one decision per backup, newest first
 * @param wal one decision per WAL file, in name order
 */
public record RetentionPlan(
    Instant now, RetentionPolicy policy, List<BackupDecision> backups, List<WalDecision> wal) {
  private static final DateTimeFormatter TAKEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

  public RetentionPlan {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(policy, "policy");
    backups = List.copyOf(backups);
    wal = List.copyOf(wal);
  }

  /** The backups kept. */
  public List<BackupDecision> kept() {
    return backups.stream().filter(BackupDecision::keep).toList();
  }

  /** The backups to delete. */
  public List<BackupDecision> deletions() {
    return backups.stream().filter(decision -> !decision.keep()).toList();
  }

  /** The WAL files to delete. */
  public List<WalDecision> walDeletions() {
    return wal.stream().filter(decision -> !decision.keep()).toList();
  }

  /** Bytes the deletions free, backups and WAL. */
  public long freedBytes() {
    return deletions().stream().mapToLong(d -> d.backup().sizeBytes()).sum()
        + walDeletions().stream().mapToLong(d -> d.wal().sizeBytes()).sum();
  }

  /** True when applying the plan deletes nothing. */
  public boolean deletesNothing() {
    return deletions().isEmpty() && walDeletions().isEmpty();
  }

  /**
   * The plan as a text table for a dry run: one row per backup (newest first), then a WAL summary
   * with one row per WAL file deleted, and a totals line.
   */
  public String toTable() {
    TextTable table =
        new TextTable("ACTION", "BACKUP", "SERIES", "TAKEN", "SIZE", "REASON").uncapped();
    for (BackupDecision decision : backups) {
      RetainedBackup backup = decision.backup();
      table.row(
          decision.keep() ? "keep" : "delete",
          backup.backupId(),
          backup.series(),
          TAKEN.format(backup.timestamp()),
          Sizes.readable(backup.sizeBytes()),
          decision.reason());
    }
    for (WalDecision decision : wal) {
      if (!decision.keep()) {
        table.row(
            "delete",
            decision.wal().location(),
            "wal",
            TAKEN.format(decision.wal().archivedAt()),
            Sizes.readable(decision.wal().sizeBytes()),
            decision.reason());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Retention at ")
        .append(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(" (")
        .append(policy.describe())
        .append(")\n");
    out.append(table.render());
    out.append(
        String.format(
            "backups: %d kept, %d to delete; WAL: %d kept, %d to delete; frees %s%n",
            kept().size(),
            deletions().size(),
            wal.size() - walDeletions().size(),
            walDeletions().size(),
            Sizes.readable(freedBytes())));
    return out.toString();
  }
}
