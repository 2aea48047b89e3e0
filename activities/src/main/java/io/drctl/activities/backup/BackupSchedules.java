package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.store.catalog.BackupType;

/**
 * The {@code schedule} parameter of the backup-taking actions (postgres.dump, redis.backup, ...).
 */
public final class BackupSchedules {
  private BackupSchedules() {}

  /**
   * daily, weekly, monthly or manual as the catalog's backup type; {@code InvalidInput} otherwise.
   */
  public static BackupType of(String schedule) {
    return switch (schedule) {
      case "daily" -> BackupType.DAILY;
      case "weekly" -> BackupType.WEEKLY;
      case "monthly" -> BackupType.MONTHLY;
      case "manual" -> BackupType.MANUAL;
      default ->
          throw ActionFailures.invalidInput(
              "schedule must be daily, weekly, monthly or manual, was " + schedule);
    };
  }
}
