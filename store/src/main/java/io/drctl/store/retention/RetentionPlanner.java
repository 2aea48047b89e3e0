package io.drctl.store.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Grandfather-father-son retention of one store: {@link #plan} decides, {@link #apply} deletes.
 *
 * <p><b>Backups.</b> Each series (service and format, e.g. {@code postgresql/dump}) is planned on
 * its own. A backup is kept when one of these holds, and its decision lists each that does:
 *
 * <ol>
 *   <li>GFS ({@link GrandfatherFatherSon}): it is the newest restorable backup of one of the {@code
 *       daily} most recent UTC days, {@code weekly} most recent ISO weeks or {@code monthly} most
 *       recent calendar months that have a restorable backup, and it is not older than {@code
 *       maxAge}. Manual backups and safety copies do not take part.
 *   <li>A manual backup or safety copy ({@code schedule} {@code manual} or {@code safety}) younger
 *       than {@code maxAge} (all of them when there is no {@code maxAge}).
 *   <li>A physical base backup taken within the WAL window ({@code now - wal}), or the newest one
 *       taken before the window starts (so that every point of the window can be recovered), unless
 *       older than {@code maxAge}.
 *   <li>The newest restorable backup of the series, whatever its age: the store never loses its
 *       last restorable backup ({@code only restorable backup} when it is the only one).
 * </ol>
 *
 * Everything else is deleted: backups not restorable (corrupt, failed restore test) take no GFS
 * slot and go, as do backups no rule keeps.
 *
 * <p><b>WAL.</b> A WAL file is kept when it is a timeline history file; or a kept physical backup
 * needs it: a segment from the backup's {@code startWal} through its {@code stopWal} (through the
 * next kept base backup's start when the stop is unknown), and for the oldest kept base backup that
 * starts the PITR chain (the newest one before the WAL window, else the oldest within it) every
 * segment from its {@code startWal} on; or it was archived within the WAL window. Every other WAL
 * file is deleted.
 *
 * <p>Planning is pure and deterministic: the same entries, time and policy give the same plan, and
 * planning again after {@link #apply} deletes nothing more.
 */
public final class RetentionPlanner {

  private RetentionPlanner() {}

  /** Plans retention of backups without a WAL archive. */
  public static RetentionPlan plan(
      List<RetainedBackup> backups, Instant now, RetentionPolicy policy) {
    return plan(backups, List.of(), now, policy);
  }

  /**
   * Plans retention of a store's backups and WAL archive at {@code now}.
   *
   * @param backups every backup listed in the store (duplicate ids are an error)
   * @param wal every file of its WAL archive
   */
  public static RetentionPlan plan(
      List<RetainedBackup> backups, List<ArchivedWal> wal, Instant now, RetentionPolicy policy) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(policy, "policy");
    requireUniqueIds(backups);
    Map<String, List<String>> keepReasons = new LinkedHashMap<>();
    Map<String, String> deleteReasons = new LinkedHashMap<>();
    Map<String, List<RetainedBackup>> bySeries =
        backups.stream()
            .collect(
                Collectors.groupingBy(
                    RetainedBackup::series, LinkedHashMap::new, Collectors.toList()));
    for (List<RetainedBackup> series : bySeries.values()) {
      new SeriesPlan(series, now, policy, keepReasons, deleteReasons).decide();
    }
    List<BackupDecision> decisions = new ArrayList<>();
    List<RetainedBackup> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(GrandfatherFatherSon.NEWEST_FIRST);
    for (RetainedBackup backup : newestFirst) {
      List<String> keep = keepReasons.get(backup.backupId());
      decisions.add(
          keep != null
              ? new BackupDecision(backup, true, keep)
              : new BackupDecision(backup, false, List.of(deleteReasons.get(backup.backupId()))));
    }
    List<RetainedBackup> keptPhysical =
        decisions.stream()
            .filter(BackupDecision::keep)
            .map(BackupDecision::backup)
            .filter(RetainedBackup::physical)
            .toList();
    return new RetentionPlan(
        now, policy, decisions, WalRetention.decide(wal, keptPhysical, now, policy));
  }

  /**
   * Executes a plan: deletes its backups (through {@code store}, which removes the metadata first
   * so that a backup stops being listed before its data goes), then its WAL files. A backup or WAL
   * file already gone counts as deleted, so a repeat after a crash finishes the job.
   *
   * @throws IllegalStateException before deleting anything, when the plan would leave a series that
   *     has a restorable backup without one (a plan from {@link #plan} never does)
   */
  public static RetentionOutcome apply(RetentionPlan plan, RetentionStore store) {
    requireRestorableKept(plan);
    List<String> deleted = new ArrayList<>();
    long freed = 0;
    for (BackupDecision decision : plan.deletions()) {
      store.deleteBackup(decision.backup().backupId());
      deleted.add(decision.backup().backupId());
      freed += decision.backup().sizeBytes();
    }
    int walDeleted = 0;
    for (WalDecision decision : plan.walDeletions()) {
      store.deleteWal(decision.wal());
      walDeleted++;
      freed += decision.wal().sizeBytes();
    }
    return new RetentionOutcome(deleted, plan.kept().size(), walDeleted, freed);
  }

  private static void requireRestorableKept(RetentionPlan plan) {
    Map<String, List<BackupDecision>> bySeries =
        plan.backups().stream().collect(Collectors.groupingBy(d -> d.backup().series()));
    for (Map.Entry<String, List<BackupDecision>> series : bySeries.entrySet()) {
      boolean anyRestorable = series.getValue().stream().anyMatch(d -> d.backup().restorable());
      boolean keptRestorable =
          series.getValue().stream().anyMatch(d -> d.keep() && d.backup().restorable());
      if (anyRestorable && !keptRestorable) {
        throw new IllegalStateException(
            "refusing to apply a retention plan that deletes every restorable backup of "
                + series.getKey());
      }
    }
  }

  private static void requireUniqueIds(List<RetainedBackup> backups) {
    Map<String, Long> counts =
        backups.stream()
            .collect(Collectors.groupingBy(RetainedBackup::backupId, Collectors.counting()));
    counts.forEach(
        (id, count) -> {
          if (count > 1) {
            throw new IllegalArgumentException(
                "backup id " + id + " is listed " + count + " times");
          }
        });
  }

  /** The decisions for one series. */
  private record SeriesPlan(
      List<RetainedBackup> series,
      Instant now,
      RetentionPolicy policy,
      Map<String, List<String>> keepReasons,
      Map<String, String> deleteReasons) {

    void decide() {
      Instant oldestAllowed = policy.maxAgeLimit().map(now::minus).orElse(Instant.MIN);
      String maxAge = policy.maxAgeLimit().map(RetentionPolicy::text).orElse("none");
      List<RetainedBackup> usable =
          series.stream().filter(b -> b.restorable() && !b.outsideCounts()).toList();
      Map<String, List<String>> gfs = GrandfatherFatherSon.keep(usable, policy);
      for (RetainedBackup backup : series) {
        boolean tooOld = backup.timestamp().isBefore(oldestAllowed);
        if (!backup.restorable()) {
          deleteReasons.put(backup.backupId(), "not restorable (corrupt or failed restore test)");
        } else if (backup.outsideCounts()) {
          if (tooOld) {
            deleteReasons.put(
                backup.backupId(), backup.schedule() + " backup older than maxAge " + maxAge);
          } else {
            keep(
                backup,
                policy.maxAge() == null
                    ? backup.schedule() + " backup, no maxAge"
                    : backup.schedule() + " backup within maxAge " + maxAge);
          }
        } else if (gfs.containsKey(backup.backupId())) {
          if (tooOld) {
            deleteReasons.put(
                backup.backupId(),
                "older than maxAge "
                    + maxAge
                    + " ("
                    + String.join(", ", gfs.get(backup.backupId()))
                    + ")");
          } else {
            keepReasons.put(backup.backupId(), new ArrayList<>(gfs.get(backup.backupId())));
          }
        } else {
          deleteReasons.put(backup.backupId(), "beyond daily/weekly/monthly counts");
        }
      }
      keepBaseBackupsForWalWindow(oldestAllowed);
      keepNewestRestorable();
    }

    private void keepBaseBackupsForWalWindow(Instant oldestAllowed) {
      Instant windowStart = now.minus(policy.wal());
      String window = RetentionPolicy.text(policy.wal());
      RetainedBackup anchor = null;
      for (RetainedBackup backup : series) {
        if (!backup.physical()
            || !backup.restorable()
            || backup.timestamp().isBefore(oldestAllowed)) {
          continue;
        }
        if (!backup.timestamp().isBefore(windowStart)) {
          keep(backup, "base backup within WAL window " + window);
        } else if (anchor == null
            || GrandfatherFatherSon.NEWEST_FIRST.compare(backup, anchor) < 0) {
          anchor = backup;
        }
      }
      if (anchor != null) {
        keep(anchor, "base backup for PITR to the start of the WAL window " + window);
      }
    }

    private void keepNewestRestorable() {
      List<RetainedBackup> restorable =
          series.stream()
              .filter(RetainedBackup::restorable)
              .sorted(GrandfatherFatherSon.NEWEST_FIRST)
              .toList();
      if (restorable.isEmpty()) {
        return;
      }
      RetainedBackup newest = restorable.get(0);
      if (!keepReasons.containsKey(newest.backupId())) {
        keep(
            newest, restorable.size() == 1 ? "only restorable backup" : "newest restorable backup");
      }
    }

    private void keep(RetainedBackup backup, String reason) {
      deleteReasons.remove(backup.backupId());
      List<String> reasons =
          keepReasons.computeIfAbsent(backup.backupId(), id -> new ArrayList<>());
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
    }
  }
}
