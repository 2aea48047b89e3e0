package io.drctl.store.retention;

import static io.drctl.store.retention.RetentionBackups.corrupt;
import static io.drctl.store.retention.RetentionBackups.dump;
import static io.drctl.store.retention.RetentionGfsTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What retention never deletes, whatever the counts and ages say. */
class RetentionProtectionTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final RetentionPolicy LOCAL =
      RetentionPolicy.SEED.withMaxAge(java.time.Duration.ofDays(7));

  @Test
  void theOnlyRestorableBackupSurvivesEvenWhenOlderThanMaxAge() {
    RetainedBackup old = dump(LocalDate.parse("2026-09-01"));
    RetainedBackup newerButCorrupt = corrupt(dump(LocalDate.parse("2026-11-26")));

    RetentionPlan plan = RetentionPlanner.plan(List.of(old, newerButCorrupt), NOW, LOCAL);

    assertThat(ids(plan.kept())).containsExactly(old.backupId());
    assertThat(plan.kept().get(0).reason()).isEqualTo("only restorable backup");
    assertThat(ids(plan.deletions())).containsExactly(newerButCorrupt.backupId());
  }

  @Test
  void whenEveryBackupIsTooOldTheNewestRestorableOneStays() {
    List<RetainedBackup> backups =
        RetentionBackups.dailyDumps(LocalDate.parse("2026-08-01"), LocalDate.parse("2026-08-10"));

    RetentionPlan plan = RetentionPlanner.plan(backups, NOW, LOCAL);

    assertThat(ids(plan.kept())).containsExactly("backup_20260810_010000");
    assertThat(plan.kept().get(0).reason()).isEqualTo("newest restorable backup");
  }

  @Test
  void withZeroCountsEachSeriesStillKeepsItsNewestRestorableBackup() {
    RetainedBackup dump = dump(LocalDate.parse("2026-11-20"));
    RetainedBackup rdb =
        new RetainedBackup(
            "redis_20261121",
            "redis",
            "rdb",
            "daily",
            Instant.parse("2026-11-21T01:00:00Z"),
            10,
            true,
            null,
            null,
            "");

    RetentionPlan plan =
        RetentionPlanner.plan(
            List.of(dump, rdb), NOW, new RetentionPolicy(0, 0, 0, Duration.ZERO, null));

    assertThat(ids(plan.kept())).containsExactlyInAnyOrder(dump.backupId(), rdb.backupId());
  }

  @Test
  void safetyCopiesAreKeptForMaxAgeOutsideTheCounts() {
    RetainedBackup recent =
        new RetainedBackup(
            "safety_20261125",
            "postgresql",
            "dump",
            "safety",
            Instant.parse("2026-11-25T10:00:00Z"),
            10,
            true,
            null,
            null,
            "");
    RetainedBackup old =
        new RetainedBackup(
            "safety_20261101",
            "postgresql",
            "dump",
            "safety",
            Instant.parse("2026-11-01T10:00:00Z"),
            10,
            true,
            null,
            null,
            "");
    RetainedBackup daily = dump(LocalDate.parse("2026-11-27"));

    RetentionPlan plan = RetentionPlanner.plan(List.of(recent, old, daily), NOW, LOCAL);

    assertThat(ids(plan.kept())).containsExactly(daily.backupId(), recent.backupId());
    assertThat(plan.kept().get(1).reason()).isEqualTo("safety backup within maxAge 7d");
    assertThat(plan.deletions().get(0).reason()).isEqualTo("safety backup older than maxAge 7d");
  }

  @Test
  void manualBackupsAreOutsideTheCountsAndKeptWithoutMaxAge() {
    RetainedBackup manual =
        new RetainedBackup(
            "manual_20250101",
            "postgresql",
            "dump",
            "manual",
            Instant.parse("2025-01-01T10:00:00Z"),
            10,
            true,
            null,
            null,
            "");
    RetainedBackup daily = dump(LocalDate.parse("2026-11-27"));

    RetentionPlan plan =
        RetentionPlanner.plan(
            List.of(manual, daily), NOW, new RetentionPolicy(1, 0, 0, Duration.ofDays(7), null));

    assertThat(plan.kept().get(0).reason()).isEqualTo("daily #1 2026-11-27");
    assertThat(plan.kept().get(1).reason()).isEqualTo("manual backup, no maxAge");
  }

  @Test
  void aRepeatedIdIsRejected() {
    RetainedBackup backup = dump(LocalDate.parse("2026-11-27"));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RetentionPlanner.plan(List.of(backup, backup), NOW, LOCAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backup_20261127_010000 is listed 2 times");
  }
}
