package io.drctl.store.retention;

import static io.drctl.store.retention.RetentionBackups.corrupt;
import static io.drctl.store.retention.RetentionBackups.dailyDumps;
import static io.drctl.store.retention.RetentionBackups.id;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Grandfather-father-son selection over generated backups, against sets written out by hand. */
class RetentionGfsTest {
  /** A Friday, in ISO week 2026-W48. */
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private static final List<RetainedBackup> YEAR =
      dailyDumps(LocalDate.parse("2025-11-28"), LocalDate.parse("2026-11-27"));

  /** The GFS set of {@link #YEAR} at {@link #NOW} with 7 daily, 4 weekly, 12 monthly. */
  private static final List<String> SEED_SET =
      Stream.of(
              // 7 daily: the last seven days
              "2026-11-27",
              "2026-11-26",
              "2026-11-25",
              "2026-11-24",
              "2026-11-23",
              "2026-11-22",
              "2026-11-21",
              // 4 weekly: W48 (Friday 27th, already daily), then the Sundays of W47, W46, W45
              "2026-11-15",
              "2026-11-08",
              // 12 monthly: the last day of each month back to December 2025 (November is the 27th)
              "2026-10-31",
              "2026-09-30",
              "2026-08-31",
              "2026-07-31",
              "2026-06-30",
              "2026-05-31",
              "2026-04-30",
              "2026-03-31",
              "2026-02-28",
              "2026-01-31",
              "2025-12-31")
          .map(day -> id(LocalDate.parse(day)))
          .toList();

  @Test
  void aYearOfDailyBackupsKeepsExactlyTheGfsSet() {
    RetentionPlan plan = RetentionPlanner.plan(YEAR, NOW, RetentionPolicy.SEED);

    assertThat(ids(plan.kept())).containsExactlyInAnyOrderElementsOf(SEED_SET);
    assertThat(plan.deletions()).hasSize(365 - 20);
    assertThat(plan.freedBytes()).isEqualTo((365 - 20) * 1_000L);
  }

  @Test
  void keptBackupsNameEveryRuleThatKeepsThem() {
    RetentionPlan plan = RetentionPlanner.plan(YEAR, NOW, RetentionPolicy.SEED);

    assertThat(reasonOf(plan, "2026-11-27"))
        .isEqualTo("daily #1 2026-11-27, weekly 2026-W48, monthly 2026-11");
    assertThat(reasonOf(plan, "2026-11-22")).isEqualTo("daily #6 2026-11-22, weekly 2026-W47");
    assertThat(reasonOf(plan, "2026-11-08")).isEqualTo("weekly 2026-W45");
    assertThat(reasonOf(plan, "2025-12-31")).isEqualTo("monthly 2025-12");
    assertThat(reasonOf(plan, "2025-11-30")).isEqualTo("beyond daily/weekly/monthly counts");
  }

  @Test
  void isoWeeksSpanTheTurnOfTheYear() {
    List<RetainedBackup> backups =
        dailyDumps(LocalDate.parse("2026-12-28"), LocalDate.parse("2027-01-03"));

    RetentionPlan plan =
        RetentionPlanner.plan(
            backups,
            Instant.parse("2027-01-03T12:00:00Z"),
            new RetentionPolicy(0, 1, 0, Duration.ofDays(7), null));

    assertThat(ids(plan.kept())).containsExactly(id(LocalDate.parse("2027-01-03")));
    assertThat(plan.kept().get(0).reason()).isEqualTo("weekly 2026-W53");
  }

  @Test
  void bucketsWithoutBackupsAreSkippedNotCounted() {
    List<RetainedBackup> backups =
        new ArrayList<>(dailyDumps(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-10")));
    backups.addAll(dailyDumps(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-22")));

    RetentionPlan plan =
        RetentionPlanner.plan(backups, NOW, new RetentionPolicy(5, 0, 0, Duration.ofDays(7), null));

    assertThat(ids(plan.kept()))
        .containsExactly(
            id(LocalDate.parse("2026-11-22")),
            id(LocalDate.parse("2026-11-21")),
            id(LocalDate.parse("2026-11-20")),
            id(LocalDate.parse("2026-11-10")),
            id(LocalDate.parse("2026-11-09")));
  }

  @Test
  void theNewestBackupOfADayIsTheOneKept() {
    LocalDate day = LocalDate.parse("2026-11-26");
    RetainedBackup early = RetentionBackups.dump(day);
    RetainedBackup late =
        new RetainedBackup(
            "backup_20261126_230000",
            "postgresql",
            "dump",
            "daily",
            Instant.parse("2026-11-26T23:00:00Z"),
            5,
            true,
            null,
            null,
            "");

    RetentionPlan plan =
        RetentionPlanner.plan(
            List.of(early, late), NOW, new RetentionPolicy(1, 0, 0, Duration.ofDays(7), null));

    assertThat(ids(plan.kept())).containsExactly("backup_20261126_230000");
  }

  @Test
  void corruptBackupsTakeNoSlotAndAreDeleted() {
    List<RetainedBackup> backups = new ArrayList<>(YEAR);
    replace(backups, "2026-11-27");
    replace(backups, "2026-10-31");

    RetentionPlan plan = RetentionPlanner.plan(backups, NOW, RetentionPolicy.SEED);

    assertThat(ids(plan.kept()))
        .contains(id(LocalDate.parse("2026-11-20")), id(LocalDate.parse("2026-10-30")))
        .doesNotContain(id(LocalDate.parse("2026-11-27")), id(LocalDate.parse("2026-10-31")));
    assertThat(reasonOf(plan, "2026-11-27"))
        .isEqualTo("not restorable (corrupt or failed restore test)");
    assertThat(reasonOf(plan, "2026-11-26"))
        .isEqualTo("daily #1 2026-11-26, weekly 2026-W48, monthly 2026-11");
    assertThat(reasonOf(plan, "2026-10-30")).isEqualTo("monthly 2026-10");
  }

  @Test
  void maxAgeOverridesTheCountsSoTheLocalSeedStoreKeepsSevenDays() {
    RetentionPlan plan =
        RetentionPlanner.plan(
            YEAR, NOW, RetentionPolicy.SEED.withMaxAge(java.time.Duration.ofDays(7)));

    assertThat(ids(plan.kept())).containsExactlyInAnyOrderElementsOf(SEED_SET.subList(0, 7));
    assertThat(reasonOf(plan, "2026-11-15")).isEqualTo("older than maxAge 7d (weekly 2026-W46)");
  }

  @Test
  void theS3SeedStoreKeepsThirtyDaysOfTheGfsSet() {
    RetentionPlan plan =
        RetentionPlanner.plan(
            YEAR, NOW, RetentionPolicy.SEED.withMaxAge(java.time.Duration.ofDays(30)));

    assertThat(ids(plan.kept())).containsExactlyInAnyOrderElementsOf(SEED_SET.subList(0, 10));
  }

  private static void replace(List<RetainedBackup> backups, String day) {
    String id = id(LocalDate.parse(day));
    backups.replaceAll(b -> b.backupId().equals(id) ? corrupt(b) : b);
  }

  static List<String> ids(List<BackupDecision> decisions) {
    return decisions.stream().map(d -> d.backup().backupId()).toList();
  }

  private static String reasonOf(RetentionPlan plan, String day) {
    String id = id(LocalDate.parse(day));
    return plan.backups().stream()
        .filter(d -> d.backup().backupId().equals(id))
        .findFirst()
        .orElseThrow()
        .reason();
  }
}
