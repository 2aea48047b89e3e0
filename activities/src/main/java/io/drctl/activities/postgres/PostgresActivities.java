package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * PostgreSQL servers of targets: the {@code postgres} actions of the catalog, activity types {@code
 * postgres.<verb>}. Each method spells out its full activity type: Temporal ignores {@code
 * namePrefix} for a method with an explicit {@code @ActivityMethod(name)}.
 *
 * <p><b>Targets.</b> The input's {@code target} (and {@code source}, {@code fence}, {@code
 * reference}) names a {@code postgres} target that the input's {@value StepTargets#MEMBER} carries:
 * host, port, database, user, a password reference ({@code env:NAME}, {@code file:/path}), and
 * where the server's files live (container, dataDirectory). SQL goes through JDBC; client tools
 * (pg_dump) run on the worker from {@code DRCTL_PG_BINDIR}; tools that touch the data directory
 * (pg_ctl, pg_rewind) run in the target's container, or on the worker as the directory's owner.
 *
 * <p><b>Secrets.</b> The password is resolved per attempt and handed only to the JDBC driver or a
 * child's {@code PGPASSWORD}; it is never on a command line, in a message, a result or a log.
 *
 * <p><b>Liveness.</b> Every method heartbeats {@link PostgresProgress} at each step (table, index,
 * poll) and stops when the activity is cancelled.
 *
 * <p><b>Errors</b>, classified once as {@link io.temporal.failure.ApplicationFailure} types of
 * {@link PostgresFailures}: no server answering is {@link PostgresFailures#SERVER_UNAVAILABLE}
 * (retryable), a refused password {@link PostgresFailures#AUTHENTICATION_FAILED} (not retryable), a
 * missing database {@link PostgresFailures#DATABASE_MISSING} (not retryable). The checks with
 * {@code failOnProblem} fail with their own type and carry their result as details. Every method
 * fails non-retryably with {@value StepTargets#UNKNOWN_TARGET} for a target missing from {@value
 * StepTargets#MEMBER} and {@link ActionFailures#INVALID_INPUT} for malformed input.
 */
@ActivityInterface(namePrefix = "postgres.")
public interface PostgresActivities {
  /** The service name of PostgreSQL backups in the backup catalog. */
  String BACKUP_SERVICE = "postgresql";

  /**
   * Connects once and runs {@code SELECT 1}: whether the server accepts connections, is in
   * recovery, and its version. Read only; meant for {@code waitUntil} polling.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#SERVER_UNAVAILABLE}
   *     (retryable) when it does not answer and {@code failIfNotReady}
   */
  @ActivityMethod(name = "postgres.isReady")
  PostgresIsReadyResult isReady(PostgresIsReadyInput input);

  /**
   * Runs one query in a READ ONLY session with {@code statement_timeout}; returns the row count (up
   * to maxRows), the columns and the first row. Cannot change data.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#QUERY_FAILED} (not
   *     retryable), {@link PostgresFailures#QUERY_TIMED_OUT} (retryable)
   */
  @ActivityMethod(name = "postgres.query")
  PostgresQueryResult query(PostgresQueryInput input);

  /**
   * Connections by state, lock waiters and the oldest transaction against max_connections.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#CONNECTIONS_EXHAUSTED}
   *     (retryable) with {@code failOnProblem}
   */
  @ActivityMethod(name = "postgres.connectionStats")
  PostgresConnectionStatsResult connectionStats(PostgresConnectionStatsInput input);

  /**
   * Database and WAL sizes and the usage of the data directory's filesystem ({@code df} in the
   * container, or the worker's view of a local data directory).
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#DISK_FULL} (retryable)
   *     with {@code failOnProblem}
   */
  @ActivityMethod(name = "postgres.diskUsage")
  PostgresDiskUsageResult diskUsage(PostgresDiskUsageInput input);

  /**
   * On a primary: streaming standbys, their largest lag in bytes and seconds, and the slots. On a
   * standby: the WAL receiver's state, received minus replayed (plus what the primary last
   * reported), the replay delay. Read only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#REPLICATION_UNHEALTHY}
   *     (retryable) with {@code failOnProblem}
   */
  @ActivityMethod(name = "postgres.replicationStatus")
  PostgresReplicationStatusResult replicationStatus(PostgresReplicationStatusInput input);

  /**
   * pg_stat_archiver: last archived segment and its age (the WAL part of the live RPO) and
   * failures; with {@code switchWal} first forces a segment switch and waits up to a minute for it
   * to be archived.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#ARCHIVE_UNHEALTHY}
   *     (retryable) with {@code failOnProblem}
   */
  @ActivityMethod(name = "postgres.archiveStatus")
  PostgresArchiveStatusResult archiveStatus(PostgresArchiveStatusInput input);

  /**
   * Promotes the standby with {@code pg_promote(wait => true)} after fencing the old primary
   * ({@code fence}): its container is stopped, or it is made read only and its sessions are
   * terminated. Refuses before changing anything when the standby lags more than maxLagBytes behind
   * a primary that still answers, and refuses to promote when the old primary still accepts writes
   * after fencing, unless {@code force}. A target that is already primary is left alone and
   * reported with {@code promoted false}, so a repeat is safe.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#PRIMARY_STILL_ALIVE}
   *     (not retryable), {@link PostgresFailures#REPLICA_LAGGING} (retryable), {@link
   *     PostgresFailures#PROMOTION_FAILED} (retryable)
   */
  @ActivityMethod(name = "postgres.promote")
  PostgresPromoteResult promote(PostgresPromoteInput input);

  /**
   * Makes a former primary a standby of {@code source}: stops it, pg_rewind -R (or pg_basebackup
   * for reclone, or as fallback), sets primary_slot_name, starts it and waits until it streams.
   * Destroys the writes the target made after the histories diverged. A target that already streams
   * from source is left alone (method {@code none}). Works on a data directory on the worker's
   * host; a target in a container is refused with {@code InvalidInput}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#REWIND_IMPOSSIBLE} (not
   *     retryable), {@link PostgresFailures#SOURCE_UNAVAILABLE}, {@link
   *     PostgresFailures#NOT_STREAMING} (both retryable)
   */
  @ActivityMethod(name = "postgres.rejoin")
  PostgresRejoinResult rejoin(PostgresRejoinInput input);

  /**
   * Checks the data: the chosen tables (default: every table the backup recorded) exist and have
   * the row counts and fingerprints that backup {@code backupId} recorded at dump time, B-tree
   * indexes pass amcheck ({@code CREATE EXTENSION IF NOT EXISTS amcheck} first), sample queries
   * return their expected first value.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#VERIFICATION_FAILED}
   *     (not retryable) with {@code failOnMismatch}, the result as details
   */
  @ActivityMethod(name = "postgres.verify")
  PostgresVerifyResult verify(PostgresVerifyInput input);

  /**
   * {@code pg_dump --schema-only} of the target, hashed after normalisation; required tables looked
   * up; compared object by object with a reference server's schema.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#SCHEMA_MISMATCH} (not
   *     retryable) with {@code failOnProblem}
   */
  @ActivityMethod(name = "postgres.schemaCheck")
  PostgresSchemaCheckResult schemaCheck(PostgresSchemaCheckInput input);

  /**
   * Row counts and fingerprints ({@link TableStats}: a sum of 64-bit row hashes) of the tables on
   * source and target. Read only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#TABLE_MISSING} (not
   *     retryable), {@link PostgresFailures#TABLES_DIFFER} (not retryable) with {@code
   *     failOnDifference}
   */
  @ActivityMethod(name = "postgres.compare")
  PostgresCompareResult compare(PostgresCompareInput input);

  /**
   * Streams {@code pg_dump -Fc} of the database into the backup store and records, in the same
   * snapshot as the dump, every table's row count and (with {@code fingerprints}) its fingerprint
   * in the backup's metadata. Published only when complete and checksummed; a repeat makes a new
   * backup. Reads only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#TOOL_FAILED} (pg_dump
   *     failed, retryable), the store's types ({@code StoreUnavailable} retryable, others not)
   */
  @ActivityMethod(name = "postgres.dump")
  PostgresDumpResult dump(PostgresDumpInput input);

  /**
   * Restores a logical backup: downloads it and checks its SHA-256 before touching the server,
   * pg_restore --exit-on-error -j into a scratch database, then swaps it in, keeping the replaced
   * database as {@code <db>_pre_restore_<UTC time>}. No half-restored database is ever visible
   * under the target name; a retry after a crash starts over from a fresh scratch database.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code BackupCorrupt} and {@code NoBackupFound}
   *     (not retryable), {@code RestoreFailed} (retryable), {@code DatabaseNotEmpty} (not
   *     retryable), {@link PostgresFailures#SERVER_UNAVAILABLE} (retryable)
   */
  @ActivityMethod(name = "postgres.restore")
  PostgresRestoreResult restore(PostgresRestoreInput input);

  /**
   * Streams a physical base backup ({@code pg_basebackup -Ft -X fetch}) into the backup store with
   * its WAL range and timeline in the metadata. With {@code verify}, pg_verifybackup checks an
   * extracted copy first and a failing backup is not published. Reads only; a repeat takes a new
   * backup.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link PostgresFailures#TOOL_FAILED}
   *     (retryable), {@code BackupCorrupt} (verification failed, not retryable), the store's types
   */
  @ActivityMethod(name = "postgres.basebackup")
  PostgresBasebackupResult basebackup(PostgresBasebackupInput input);

  /**
   * Recovers the target's cluster (a data directory on the worker's host) to {@code until} from a
   * base backup and the store's WAL archive, with archive_mode off on the recovered copy. Succeeds
   * only when the server log shows the stopping point, a new timeline and "archive recovery
   * complete" with no FATAL, and the server left recovery. Replaces the data directory (kept aside
   * with keepPrevious); a repeat starts over from the base backup.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code RecoveryIncomplete}, {@code
   *     NoBackupFound}, {@code BackupCorrupt} (not retryable), {@code WalMissing} (retryable)
   */
  @ActivityMethod(name = "postgres.pitr")
  PostgresPitrResult pitr(PostgresPitrInput input);

  /**
   * Copies the tables' rows from source (a recovered copy) into target in one transaction:
   * constraints deferred, tables locked within lockTimeout, rows replaced (or upserted by primary
   * key), sequences moved forward. Any error rolls back everything; dryRun always rolls back. The
   * replaced rows are lost unless a safety copy was taken first. A repeat in replace mode gives the
   * same result.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code TableMissing}, {@code SchemaMismatch},
   *     {@code ForeignKeyViolation} (not retryable), {@code LockTimeout} (retryable)
   */
  @ActivityMethod(name = "postgres.selectiveRestore")
  PostgresSelectiveRestoreResult selectiveRestore(PostgresSelectiveRestoreInput input);

  /**
   * Takes the pre-change safety copy into the store, id {@code safety_<incident>_<label>}: method
   * dump (pg_dump -Fc, optionally of some tables), or dataDirectory (pg_basebackup when the server
   * answers, a cold copy of its container's volume when it does not). A repeat within the same
   * incident reuses the complete copy. Never changes the target.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code SnapshotFailed} (not retryable), {@link
   *     PostgresFailures#TABLE_MISSING}, the store's types
   */
  @ActivityMethod(name = "postgres.snapshot")
  PostgresSnapshotResult snapshot(PostgresSnapshotInput input);
}
