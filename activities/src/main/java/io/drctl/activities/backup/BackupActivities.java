package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Backups in backup stores (local directories and S3 buckets): the {@code backup} actions of the
 * catalog, activity types {@code backup.<verb>}. Backups are written by the {@code postgres} and
 * {@code redis} actions; these list, select, verify, prune, replicate and watch them.
 *
 * <p>Each method spells out its full activity type: Temporal ignores {@code namePrefix} for a
 * method with an explicit {@code @ActivityMethod(name)}.
 *
 * <p><b>Stores.</b> Each {@code store}, {@code source} or {@code destination} parameter names a
 * {@code backupStore} target that the input's {@value StepTargets#MEMBER} carries; its S3
 * credentials are secret references resolved on the worker for each attempt. A store is opened for
 * the attempt and closed after it.
 *
 * <p><b>Selectors</b> ({@code backup.select}, {@code backup.verify}'s {@code from}): {@code latest}
 * is the newest backup; {@code daily}, {@code weekly}, {@code monthly} the newest of that schedule;
 * {@code YYYYMMDD} the newest taken that UTC day; {@code s3} the newest, and the store must be an
 * S3 store; anything else an exact backup id. Corrupt backups and backups whose restore test failed
 * are never selected, so {@code latest} falls back to the previous good one.
 *
 * <p><b>Liveness.</b> {@code verify}, {@code replicate} and {@code prune} heartbeat {@link
 * BackupProgress} at least every few seconds while they read, copy or delete, and stop when the
 * activity is cancelled or timed out on the server.
 *
 * <p><b>Errors</b>, classified once as {@link io.temporal.failure.ApplicationFailure} types of
 * {@link BackupFailures} and {@link ActionFailures}: {@link BackupFailures#NO_BACKUP_FOUND}, {@link
 * BackupFailures#BACKUP_CORRUPT}, {@link BackupFailures#STORE_ACCESS_DENIED} and {@link
 * BackupFailures#STORE_MISMATCH} are not retryable; {@link BackupFailures#STORE_UNAVAILABLE} (the
 * store did not answer) and {@code StoreIoError} are. A target missing from {@value
 * StepTargets#MEMBER} is {@value StepTargets#UNKNOWN_TARGET}, malformed input or a target of the
 * wrong kind {@link ActionFailures#INVALID_INPUT}; neither is retryable.
 */
@ActivityInterface(namePrefix = "backup.")
public interface BackupActivities {

  /**
   * Lists backup records, newest first, filtered by service, format, schedule and age. Read only.
   */
  @ActivityMethod(name = "backup.list")
  BackupListResult list(BackupListInput input);

  /**
   * Resolves a selector to one backup of a service. Read only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#NO_BACKUP_FOUND} when
   *     nothing matches (the message says what the store has), {@link
   *     BackupFailures#STORE_MISMATCH} for {@code s3} on a local store, {@link
   *     BackupFailures#BACKUP_CORRUPT} for the exact id of a corrupt backup
   */
  @ActivityMethod(name = "backup.select")
  BackupSelectResult select(BackupSelectInput input);

  /**
   * Re-reads the backup, checks its stored SHA-256 and decompresses it end to end against the raw
   * checksum. With {@code record} the metadata records {@code CHECKSUM_OK} (a backup already
   * VERIFIED by a restore test stays VERIFIED). Never restores. Safe to repeat.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#BACKUP_CORRUPT} (not
   *     retryable) on any mismatch, after marking the backup corrupt whatever {@code record} says,
   *     so that selectors skip it
   */
  @ActivityMethod(name = "backup.verify")
  BackupVerifyResult verify(BackupVerifyInput input);

  /**
   * Applies the store's GFS retention (or the input's override), see {@link
   * io.drctl.store.retention.RetentionPlanner}: a dry run by default; otherwise deletes each backup
   * metadata first, then its data, then the WAL no kept backup needs. Never deletes the newest
   * restorable backup of a series, nor WAL a kept base backup needs. A repeat deletes nothing more.
   */
  @ActivityMethod(name = "backup.prune")
  BackupPruneResult prune(BackupPruneInput input);

  /**
   * Copies backups (data, then metadata once the copy's SHA-256 is checked at the destination) and
   * optionally the WAL archive to another store, skipping backups already there with the same
   * checksum. Never deletes. Safe to repeat.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#NO_BACKUP_FOUND} for a
   *     listed id the source does not have, {@link BackupFailures#BACKUP_CORRUPT} when a copy does
   *     not match
   */
  @ActivityMethod(name = "backup.replicate")
  BackupReplicateResult replicate(BackupReplicateInput input);

  /** Summarises the store: counts, sizes, newest and oldest, verification, WAL. Read only. */
  @ActivityMethod(name = "backup.status")
  BackupStatusResult status(BackupStatusInput input);

  /**
   * Records a restore test's result in the backup's metadata: {@code VERIFIED}, or {@code FAILED},
   * which also makes selectors skip the backup. Repeating the same record changes nothing.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#NO_BACKUP_FOUND}
   */
  @ActivityMethod(name = "backup.recordRestoreTest")
  BackupRecordRestoreTestResult recordRestoreTest(BackupRecordRestoreTestInput input);

  /**
   * Whether the newest usable backup of the service is within its schedule's period plus grace.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#BACKUP_STALE} (not
   *     retryable, the result as details) when it is not and {@code failOnProblem} is true
   */
  @ActivityMethod(name = "backup.checkFreshness")
  BackupCheckFreshnessResult checkFreshness(BackupCheckFreshnessInput input);

  /**
   * Whether the newest backup is within {@code threshold} of the average size of the previous
   * {@code window}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#BACKUP_OVERSIZED} (not
   *     retryable) when it is not and {@code failOnProblem} is true
   */
  @ActivityMethod(name = "backup.checkSize")
  BackupCheckSizeResult checkSize(BackupCheckSizeInput input);

  /**
   * Whether the newest backup took at most {@code factor} times the median duration of the previous
   * {@code window}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link BackupFailures#BACKUP_SLOW} (not
   *     retryable) when it did not and {@code failOnProblem} is true
   */
  @ActivityMethod(name = "backup.checkDuration")
  BackupCheckDurationResult checkDuration(BackupCheckDurationInput input);
}
