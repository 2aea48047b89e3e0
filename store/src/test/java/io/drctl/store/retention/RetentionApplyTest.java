package io.drctl.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Applying a plan through a store, and planning again afterwards. */
class RetentionApplyTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  /** A store held in lists, recording the order of deletions. */
  private static final class ListStore implements RetentionStore {
    final List<RetainedBackup> backups;
    final List<ArchivedWal> wal;
    final List<String> calls = new ArrayList<>();

    ListStore(List<RetainedBackup> backups, List<ArchivedWal> wal) {
      this.backups = new ArrayList<>(backups);
      this.wal = new ArrayList<>(wal);
    }

    @Override
    public void deleteBackup(String backupId) {
      calls.add("backup " + backupId);
      backups.removeIf(b -> b.backupId().equals(backupId));
    }

    @Override
    public void deleteWal(ArchivedWal file) {
      calls.add("wal " + file.location());
      wal.removeIf(w -> w.location().equals(file.location()));
    }
  }

  @Test
  void planningAgainAfterApplyDeletesNothing() {
    ListStore store =
        new ListStore(
            RetentionBackups.dailyDumps(
                LocalDate.parse("2025-11-28"), LocalDate.parse("2026-11-27")),
            List.of());

    RetentionPlan first = RetentionPlanner.plan(store.backups, NOW, RetentionPolicy.SEED);
    RetentionOutcome outcome = RetentionPlanner.apply(first, store);
    RetentionPlan second = RetentionPlanner.plan(store.backups, NOW, RetentionPolicy.SEED);

    assertThat(outcome.deletedBackupIds()).hasSize(345);
    assertThat(outcome.kept()).isEqualTo(20);
    assertThat(outcome.freedBytes()).isEqualTo(345_000L);
    assertThat(store.backups).hasSize(20);
    assertThat(second.deletesNothing()).isTrue();
    assertThat(second.kept()).hasSize(20);
  }

  @Test
  void walPlanIsStableAfterApply() {
    RetentionPlan first = RetentionWalTest.plan();
    ListStore store =
        new ListStore(
            first.backups().stream().map(BackupDecision::backup).toList(), RetentionWalTest.wal());

    RetentionOutcome outcome = RetentionPlanner.apply(first, store);
    RetentionPlan second = RetentionPlanner.plan(store.backups, store.wal, NOW, first.policy());

    assertThat(outcome.walDeleted()).isEqualTo(first.walDeletions().size()).isPositive();
    assertThat(second.deletesNothing()).isTrue();
    assertThat(store.calls.get(0)).isEqualTo("backup base_x");
    assertThat(store.calls.subList(1, store.calls.size()))
        .allMatch(call -> call.startsWith("wal "));
  }

  @Test
  void applyingAgainAfterACrashRepeatsOnlyHarmlessDeletions() {
    ListStore store =
        new ListStore(
            RetentionBackups.dailyDumps(
                LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-27")),
            List.of());
    RetentionPlan plan =
        RetentionPlanner.plan(
            store.backups, NOW, RetentionPolicy.SEED.withMaxAge(java.time.Duration.ofDays(7)));

    RetentionPlanner.apply(plan, store);
    RetentionPlanner.apply(plan, store);

    assertThat(store.backups).hasSize(7);
  }

  @Test
  void aPlanThatDeletesEveryRestorableBackupIsRefusedBeforeDeletingAnything() {
    RetainedBackup only = RetentionBackups.dump(LocalDate.parse("2026-11-27"));
    RetentionPlan handMade =
        new RetentionPlan(
            NOW,
            RetentionPolicy.SEED,
            List.of(new BackupDecision(only, false, List.of("by hand"))),
            List.of());
    ListStore store = new ListStore(List.of(only), List.of());

    assertThatThrownBy(() -> RetentionPlanner.apply(handMade, store))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("every restorable backup of postgresql/dump");
    assertThat(store.calls).isEmpty();
  }

  @Test
  void theDryRunTableShowsEachDecisionAndTheTotals() {
    List<RetainedBackup> backups =
        RetentionBackups.dailyDumps(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-27"));

    String table =
        RetentionPlanner.plan(
                backups, NOW, RetentionPolicy.SEED.withMaxAge(java.time.Duration.ofDays(7)))
            .toTable();

    assertThat(table)
        .contains("daily 7, weekly 4, monthly 12, wal 7d, maxAge 7d")
        .containsPattern(
            "keep +backup_20261127_010000 +postgresql/dump +2026-11-27 01:00Z +1000B +daily #1 2026-11-27, weekly 2026-W48, monthly 2026-11")
        .containsPattern(
            "delete +backup_20261115_010000 .* older than maxAge 7d \\(weekly 2026-W46\\)")
        .contains("backups: 7 kept, 20 to delete; WAL: 0 kept, 0 to delete; frees 19.5KB");
  }
}
