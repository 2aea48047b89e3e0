package io.drctl.store.retention;

import java.util.List;
import java.util.Objects;

/**
 * What the plan does with one backup and why. Immutable.
 *
 * @param backup the backup
 * @param keep true to keep it, false to delete it
 * @param reasons every rule that keeps it ({@code daily #3 2026-11-25}, {@code weekly 2026-W48},
 *     {@code only restorable backup}), or the one reason it goes ({@code older than maxAge 7d})
 */
public record BackupDecision(RetainedBackup backup, boolean keep, List<String> reasons) {

  public BackupDecision {
    Objects.requireNonNull(backup, "backup");
    reasons = List.copyOf(reasons);
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("a decision needs a reason: " + backup.backupId());
    }
  }

  /** The reasons as one line. */
  public String reason() {
    return String.join(", ", reasons);
  }
}
