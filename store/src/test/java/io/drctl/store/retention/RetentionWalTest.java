package io.drctl.store.retention;

import static io.drctl.store.retention.RetentionGfsTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * WAL retention with base backups. One segment is archived every 3 hours from 2026-10-31 00:00 UTC,
 * so segment {@code n} is archived at {@code 2026-10-31T00:00Z + 3h * (n + 1)}; {@code now}
 * (2026-11-27T12:00Z) is segment 220 and the 7-day window starts at segment 163 (archived exactly
 * at 2026-11-20T12:00Z).
 */
class RetentionWalTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Instant FIRST = Instant.parse("2026-10-31T00:00:00Z");

  /** Two monthly base backups, WAL for 7 days, no age limit. */
  private static final RetentionPolicy POLICY =
      new RetentionPolicy(0, 0, 2, Duration.ofDays(7), null);

  /** October's monthly, kept by GFS: needs segments 2 and 3 to be consistent. */
  private static final RetainedBackup OCTOBER = base("base_a", 2);

  /** Before the WAL window and not monthly: kept as the base of the PITR chain. */
  private static final RetainedBackup MID_NOVEMBER = base("base_b", 112);

  /** Older than MID_NOVEMBER and not monthly: deleted. */
  private static final RetainedBackup EARLY_NOVEMBER = base("base_x", 60);

  /** November's monthly, within the window. */
  private static final RetainedBackup RECENT = base("base_c", 192);

  @Test
  void walNeededByKeptBaseBackupsSurvivesTheWalWindow() {
    RetentionPlan plan = plan();

    assertThat(keptPositions(plan, d -> true)).containsExactlyElementsOf(expectedKept());
    assertThat(decision(plan, 2).reason()).isEqualTo("WAL needed by kept backup base_a");
    assertThat(decision(plan, 3).reason()).isEqualTo("WAL needed by kept backup base_a");
    assertThat(decision(plan, 4).keep()).isFalse();
    assertThat(decision(plan, 4).reason())
        .isEqualTo("older than WAL window 7d and needed by no kept backup");
    assertThat(decision(plan, 61).keep()).isFalse();
    assertThat(decision(plan, 120).reason())
        .isEqualTo("WAL needed by kept backup base_b (PITR chain)");
  }

  @Test
  void theNewestBaseBackupBeforeTheWindowIsKeptSoTheWholeWindowCanBeRecovered() {
    RetentionPlan plan = plan();

    assertThat(ids(plan.kept())).containsExactly("base_c", "base_b", "base_a");
    assertThat(plan.kept().get(1).reason())
        .isEqualTo("base backup for PITR to the start of the WAL window 7d");
    assertThat(plan.kept().get(0).reason())
        .isEqualTo("monthly 2026-11, base backup within WAL window 7d");
    assertThat(ids(plan.deletions())).containsExactly("base_x");
  }

  @Test
  void timelineHistoryFilesAreAlwaysKept() {
    RetentionPlan plan = plan();

    WalDecision history =
        plan.wal().stream()
            .filter(d -> d.wal().name().equals("00000002.history"))
            .findFirst()
            .orElseThrow();
    assertThat(history.keep()).isTrue();
    assertThat(history.reason()).isEqualTo("timeline history");
  }

  @Test
  void withoutBaseBackupsOnlyTheWindowKeepsWal() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(), wal(), NOW, POLICY);

    assertThat(keptPositions(plan, d -> !d.wal().history()))
        .containsExactlyElementsOf(range(163, 219));
  }

  private static List<Integer> expectedKept() {
    List<Integer> kept = new ArrayList<>(List.of(2, 3));
    kept.addAll(range(112, 219));
    return kept;
  }

  static RetentionPlan plan() {
    return RetentionPlanner.plan(
        List.of(OCTOBER, EARLY_NOVEMBER, MID_NOVEMBER, RECENT), wal(), NOW, POLICY);
  }

  /** Segments 0 to 219 and a timeline history file archived on the first day. */
  static List<ArchivedWal> wal() {
    List<ArchivedWal> files = new ArrayList<>();
    for (int n = 0; n < 220; n++) {
      files.add(new ArchivedWal(segment(n), archivedAt(n), 16));
    }
    files.add(new ArchivedWal("00000002.history", FIRST, 1));
    return files;
  }

  static String segment(int n) {
    return String.format("00000001%08X%08X", 0, n);
  }

  private static Instant archivedAt(int n) {
    return FIRST.plus(Duration.ofHours(3L * (n + 1)));
  }

  private static RetainedBackup base(String id, int startSegment) {
    return new RetainedBackup(
        id,
        "postgresql",
        "basebackup",
        "daily",
        FIRST.plus(Duration.ofHours(3L * startSegment)),
        100,
        true,
        segment(startSegment),
        segment(startSegment + 1),
        "/backups/" + id);
  }

  private static List<Integer> range(int first, int last) {
    List<Integer> numbers = new ArrayList<>();
    for (int n = first; n <= last; n++) {
      numbers.add(n);
    }
    return numbers;
  }

  private static List<Integer> keptPositions(RetentionPlan plan, Predicate<WalDecision> filter) {
    return plan.wal().stream()
        .filter(WalDecision::keep)
        .filter(filter)
        .filter(d -> !d.wal().history())
        .map(d -> Integer.parseInt(d.wal().name().substring(16), 16))
        .toList();
  }

  private static WalDecision decision(RetentionPlan plan, int segment) {
    return plan.wal().stream()
        .filter(d -> d.wal().name().equals(segment(segment)))
        .findFirst()
        .orElseThrow();
  }
}
