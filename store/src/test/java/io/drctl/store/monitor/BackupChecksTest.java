package io.drctl.store.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's backup alerts over constructed backups. */
class BackupChecksTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String SERIES = "postgresql/dump";

  private static BackupSample backup(String id, String takenAt, long size, double seconds) {
    return new BackupSample(id, "daily", Instant.parse(takenAt), size, seconds, "CHECKSUM_OK");
  }

  /** Seven daily backups of 1000 bytes taking 100 s, on 2026-11-20 .. 26 at 01:00. */
  private static List<BackupSample> week() {
    List<BackupSample> backups = new ArrayList<>();
    for (int day = 20; day <= 26; day++) {
      backups.add(backup("b" + day, "2026-11-" + day + "T01:00:00Z", 1000, 100));
    }
    return backups;
  }

  @Test
  void aDailyBackupWithinPeriodPlusGraceIsFresh() {
    CheckResult result =
        BackupChecks.freshness(
            SERIES, week(), "daily", Duration.ofMinutes(30), Instant.parse("2026-11-27T01:29:00Z"));

    assertThat(result.ok()).isTrue();
    assertThat(result.backupId()).isEqualTo("b26");
    assertThat(result.whole("ageSeconds")).isEqualTo(24 * 3600 + 29 * 60);
    assertThat(result.whole("limitSeconds")).isEqualTo(24 * 3600 + 30 * 60);
  }

  @Test
  void aMissedDailyBackupAlertsOnceTheGraceIsOver() {
    CheckResult result =
        BackupChecks.freshness(SERIES, week(), "daily", Duration.ofMinutes(30), NOW);

    assertThat(result.ok()).isFalse();
    assertThat(result.verdict()).isEqualTo("alert");
    assertThat(result.message())
        .isEqualTo("newest daily postgresql/dump backup b26 is 35h old, more than 24h + 30m grace");
  }

  @Test
  void corruptAndManualBackupsDoNotMakeTheStoreFresh() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(
        new BackupSample(
            "corrupt", "daily", Instant.parse("2026-11-27T01:00:00Z"), 1000, 100, "CORRUPT"));
    backups.add(
        new BackupSample(
            "manual", "manual", Instant.parse("2026-11-27T02:00:00Z"), 1000, 100, "NONE"));

    CheckResult result =
        BackupChecks.freshness(SERIES, backups, "daily", Duration.ofMinutes(30), NOW);

    assertThat(result.ok()).isFalse();
    assertThat(result.backupId()).isEqualTo("b26");
  }

  @Test
  void aWeeklyBackupCountsForTheDailyScheduleButNotTheReverse() {
    List<BackupSample> backups =
        List.of(
            new BackupSample("w", "weekly", Instant.parse("2026-11-27T01:00:00Z"), 1, 1, "NONE"),
            backup("d", "2026-11-27T02:00:00Z", 1, 1));

    assertThat(BackupChecks.freshness(SERIES, backups, "daily", Duration.ZERO, NOW).backupId())
        .isEqualTo("d");
    assertThat(BackupChecks.freshness(SERIES, backups, "weekly", Duration.ZERO, NOW).backupId())
        .isEqualTo("w");
    assertThat(BackupChecks.freshness(SERIES, backups, "monthly", Duration.ZERO, NOW).ok())
        .isFalse();
  }

  @Test
  void anEmptyStoreIsNotFresh() {
    CheckResult result =
        BackupChecks.freshness(SERIES, List.of(), "weekly", Duration.ofHours(1), NOW);

    assertThat(result.ok()).isFalse();
    assertThat(result.message()).isEqualTo("no usable weekly postgresql/dump backup in the store");
    assertThat(result.whole("limitSeconds")).isEqualTo(7 * 86400 + 3600);
  }

  @Test
  void anUnknownScheduleIsRejected() {
    assertThatThrownBy(() -> BackupChecks.freshness(SERIES, week(), "hourly", Duration.ZERO, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schedule must be daily, weekly or monthly, not 'hourly'");
  }

  @Test
  void aBackupMoreThanTwentyPercentAboveTheAverageIsOversized() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(backup("big", "2026-11-27T01:00:00Z", 1201, 100));

    CheckResult result = BackupChecks.size(SERIES, backups, 0.2, 7);

    assertThat(result.ok()).isFalse();
    assertThat(result.backupId()).isEqualTo("big");
    assertThat(result.whole("averageBytes")).isEqualTo(1000);
    assertThat(result.number("ratio")).isEqualTo(1.201);
    assertThat(result.message()).contains("more than 20% growth");
  }

  @Test
  void exactlyTwentyPercentAboveTheAverageIsAccepted() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(backup("edge", "2026-11-27T01:00:00Z", 1200, 100));

    assertThat(BackupChecks.size(SERIES, backups, 0.2, 7).ok()).isTrue();
  }

  @Test
  void theSizeAverageCoversOnlyTheWindow() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(backup("old-huge", "2026-11-01T01:00:00Z", 1_000_000, 100));
    backups.add(backup("new", "2026-11-27T01:00:00Z", 1100, 100));

    CheckResult result = BackupChecks.size(SERIES, backups, 0.2, 3);

    assertThat(result.whole("averageBytes")).isEqualTo(1000);
    assertThat(result.ok()).isTrue();
  }

  @Test
  void theFirstBackupHasNoHistoryAndIsOk() {
    List<BackupSample> one = List.of(backup("first", "2026-11-27T01:00:00Z", 5000, 100));

    assertThat(BackupChecks.size(SERIES, one, 0.2, 7).ok()).isTrue();
    assertThat(BackupChecks.duration(SERIES, one, 2, 7).ok()).isTrue();
    assertThat(BackupChecks.size(SERIES, List.of(), 0.2, 7).ok()).isTrue();
  }

  @Test
  void aBackupTakingMoreThanTwiceTheMedianIsSlow() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.set(0, backup("b20", "2026-11-20T01:00:00Z", 1000, 10_000));
    backups.add(backup("slow", "2026-11-27T01:00:00Z", 1000, 201));

    CheckResult result = BackupChecks.duration(SERIES, backups, 2.0, 7);

    assertThat(result.ok()).isFalse();
    assertThat(result.number("usualSeconds")).isEqualTo(100.0);
    assertThat(result.number("ratio")).isEqualTo(2.01);
    assertThat(result.message())
        .isEqualTo(
            "postgresql/dump backup slow took 201.0s, 2.01 times the usual 100.0s; more than 2.0 times");
  }

  @Test
  void twiceTheMedianIsStillAccepted() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(backup("edge", "2026-11-27T01:00:00Z", 1000, 200));

    assertThat(BackupChecks.duration(SERIES, backups, 2.0, 7).ok()).isTrue();
  }

  @Test
  void aFailedVerificationWithinTheLookbackAlerts() {
    List<BackupSample> backups = new ArrayList<>(week());
    backups.add(
        new BackupSample(
            "bad", "daily", Instant.parse("2026-11-27T01:00:00Z"), 1000, 100, "CORRUPT"));
    backups.add(
        new BackupSample(
            "old-bad", "daily", Instant.parse("2026-10-01T01:00:00Z"), 1000, 100, "CORRUPT"));

    CheckResult result = BackupChecks.verification(SERIES, backups, Duration.ofDays(7), NOW);

    assertThat(result.ok()).isFalse();
    assertThat(result.backupId()).isEqualTo("bad");
    assertThat(result.whole("failed")).isEqualTo(1);
    assertThat(result.whole("checked")).isEqualTo(7);
    assertThat(result.message())
        .isEqualTo("1 of 7 postgresql/dump backups of the last 7d failed verification: bad");
  }

  @Test
  void noFailedVerificationIsOk() {
    CheckResult result = BackupChecks.verification(SERIES, week(), Duration.ofDays(30), NOW);

    assertThat(result.ok()).isTrue();
    assertThat(result.whole("checked")).isEqualTo(7);
  }
}
