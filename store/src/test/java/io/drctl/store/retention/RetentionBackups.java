package io.drctl.store.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Generated backups for the retention tests. */
final class RetentionBackups {
  private RetentionBackups() {}

  /** A restorable daily pg_dump of {@code day} at 01:00 UTC, id {@code backup_YYYYMMDD_010000}. */
  static RetainedBackup dump(LocalDate day) {
    return new RetainedBackup(
        id(day),
        "postgresql",
        "dump",
        "daily",
        at(day),
        1_000,
        true,
        null,
        null,
        "/backups/" + id(day));
  }

  /** Daily dumps from {@code first} through {@code last}, both included. */
  static List<RetainedBackup> dailyDumps(LocalDate first, LocalDate last) {
    List<RetainedBackup> backups = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      backups.add(dump(day));
    }
    return backups;
  }

  static RetainedBackup corrupt(RetainedBackup backup) {
    return new RetainedBackup(
        backup.backupId(),
        backup.service(),
        backup.format(),
        backup.schedule(),
        backup.timestamp(),
        backup.sizeBytes(),
        false,
        backup.startWal(),
        backup.stopWal(),
        backup.location());
  }

  static String id(LocalDate day) {
    return "backup_" + day.toString().replace("-", "") + "_010000";
  }

  static Instant at(LocalDate day) {
    return day.atTime(LocalTime.of(1, 0)).toInstant(ZoneOffset.UTC);
  }
}
