package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Redis servers of targets: the {@code redis} actions of the catalog ({@code
 * io/drctl/catalog/redis.json}), activity types {@code redis.<verb>}. Each method spells out its
 * full activity type: Temporal ignores {@code namePrefix} for a method with an explicit
 * {@code @ActivityMethod(name)}.
 *
 * <p><b>Targets.</b> The input's {@code target} names a {@code redis} target that the input's
 * {@value StepTargets#MEMBER} carries: host, port, a password reference ({@code env:NAME}, {@code
 * file:/path}), the server's {@code dataDirectory} (its {@code dir}, where {@code dump.rdb} and
 * {@code appendonlydir} live) and the {@code container} it runs in, if any. Commands go over one
 * Lettuce connection per step; the server's files are read and written on the worker, directly or
 * through the host path of the container's volume, so backups and restores need a worker on the
 * Redis (Docker) host.
 *
 * <p><b>Secrets.</b> The password is resolved per attempt and sent only as AUTH on the connection;
 * it is never on a command line, in a message, a result, a heartbeat or a log.
 *
 * <p><b>Liveness.</b> Every wait (BGSAVE, AOF rewrite, loading, shutdown) polls and heartbeats
 * {@link RedisProgress}; cancellation stops the wait.
 *
 * <p><b>Errors</b>, classified once as {@link io.temporal.failure.ApplicationFailure} types of
 * {@link RedisFailures}: no server answering is {@link RedisFailures#SERVER_UNAVAILABLE}
 * (retryable), a refused password {@link RedisFailures#AUTHENTICATION_FAILED} (not retryable).
 * Every method fails non-retryably with {@value StepTargets#UNKNOWN_TARGET} for a target missing
 * from {@value StepTargets#MEMBER} and {@link ActionFailures#INVALID_INPUT} for malformed input.
 */
@ActivityInterface(namePrefix = "redis.")
public interface RedisActivities {
  /** The service name of Redis backups in the backup catalog. */
  String BACKUP_SERVICE = "redis";

  /**
   * INFO: memory against maxmemory, persistence status, keys, role. Read only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#REDIS_UNHEALTHY}
   *     (retryable) when not healthy and {@code failOnProblem}
   */
  @ActivityMethod(name = "redis.info")
  RedisInfoResult info(RedisInfoInput input);

  /**
   * Takes an RDB (BGSAVE, waited for on INFO persistence) or AOF (the whole {@code appendonlydir},
   * with automatic rewrites off while it is copied) backup into the store, with the key count and a
   * key-set fingerprint per database in its metadata (the fingerprint when nothing wrote to the
   * server while the backup ran, and for databases without keys that expire: see {@link
   * RedisBackups}). Each call takes a new backup; a retry after a crash leaves no visible partial
   * one.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#BGSAVE_FAILED} (retryable),
   *     {@link RedisFailures#AOF_DISABLED} (not retryable)
   */
  @ActivityMethod(name = "redis.backup")
  RedisBackupResult backup(RedisBackupInput input);

  /**
   * Replaces the target's dataset with a backup, in the order that keeps the data (see {@link
   * RedisRestore}), and compares the loaded keys with the backup's metadata. May repeat after a
   * crash: each attempt starts over, also when an earlier one left the server stopped.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code BackupCorrupt} and {@code NoBackupFound}
   *     (not retryable) before the server is touched, {@link RedisFailures#RESTORE_FAILED}
   */
  @ActivityMethod(name = "redis.restore")
  RedisRestoreResult restore(RedisRestoreInput input);

  /** FLUSHDB or FLUSHALL. Repeating is harmless. */
  @ActivityMethod(name = "redis.flush")
  RedisFlushResult flush(RedisFlushInput input);

  /**
   * The pre-change safety copy, id {@code safety_<incident>_<label>}: a repeat within one incident
   * reuses the complete copy. When Redis answers, a BGSAVE and the whole data directory's Redis
   * files; when it is down, a cold copy of them.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#SNAPSHOT_FAILED}
   */
  @ActivityMethod(name = "redis.snapshot")
  RedisSnapshotResult snapshot(RedisSnapshotInput input);

  /**
   * PING, DBSIZE against minKeys, sample keys, persistence status. Read only.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#VERIFICATION_FAILED} (not
   *     retryable) with {@code failOnMismatch}
   */
  @ActivityMethod(name = "redis.verify")
  RedisVerifyResult verify(RedisVerifyInput input);

  /**
   * redis-check-aof on the manifest of the target's {@code appendonlydir} or of an AOF backup.
   * Never modifies the files.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#AOF_CORRUPT} (not
   *     retryable) with {@code failOnProblem}
   */
  @ActivityMethod(name = "redis.checkAof")
  RedisCheckAofResult checkAof(RedisCheckAofInput input);

  /**
   * SENTINEL FAILOVER of {@code masterName}, by default after pausing writes on the old master and
   * letting its replicas catch up, so that no acknowledged write is lost; waits until Sentinel
   * names the new master and it answers as master. Not idempotent: a repeat fails over again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#FAILOVER_FAILED} and {@link
   *     RedisFailures#REPLICA_LAGGING} (retryable)
   */
  @ActivityMethod(name = "redis.sentinelFailover")
  RedisSentinelFailoverResult sentinelFailover(RedisSentinelFailoverInput input);

  /**
   * REPLICAOF {@code source} (or NO ONE without one) and waits for the initial sync. Repeating is
   * harmless: a replica that already follows the source is not resynced.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link RedisFailures#SYNC_FAILED} (retryable)
   */
  @ActivityMethod(name = "redis.replicaOf")
  RedisReplicaOfResult replicaOf(RedisReplicaOfInput input);
}
