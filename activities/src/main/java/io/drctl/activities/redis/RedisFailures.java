package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.temporal.failure.ApplicationFailure;

/**
 * The {@link ApplicationFailure} types of the {@code redis} actions, as the action catalog ({@code
 * io/drctl/catalog/redis.json}) names them, and the one classification of Lettuce's errors.
 * Runbooks list the non-retryable ones in {@code retry.nonRetryable}.
 */
public final class RedisFailures {
  /** Redis refused the password (WRONGPASS, NOAUTH). Not retryable. */
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

  /** No server answers at the target, or it is loading its data. Retryable. */
  public static final String SERVER_UNAVAILABLE = "ServerUnavailable";

  /** Redis answered a command with an error not classified otherwise. Not retryable. */
  public static final String COMMAND_FAILED = "CommandFailed";

  /** A BGSAVE failed (rdb_last_bgsave_status:err) or did not finish in time. Retryable. */
  public static final String BGSAVE_FAILED = "BgsaveFailed";

  /** An AOF backup of a server with appendonly no. Not retryable. */
  public static final String AOF_DISABLED = "AofDisabled";

  /** The safety copy could not be taken. Retryable. */
  public static final String SNAPSHOT_FAILED = "SnapshotFailed";

  /** Redis did not come back with the backup's data. Retryable unless the data differs. */
  public static final String RESTORE_FAILED = "RestoreFailed";

  /** A check of {@code redis.verify} failed. Not retryable. */
  public static final String VERIFICATION_FAILED = "VerificationFailed";

  /**
   * Memory or persistence outside the limits ({@code redis.info} with failOnProblem). Retryable.
   */
  public static final String REDIS_UNHEALTHY = "RedisUnhealthy";

  /** redis-check-aof found the AOF invalid ({@code redis.checkAof}). Not retryable. */
  public static final String AOF_CORRUPT = "AofCorrupt";

  /**
   * Sentinel did not fail over: no suitable replica, one in progress, or not done in time.
   * Retryable.
   */
  public static final String FAILOVER_FAILED = "FailoverFailed";

  /**
   * The replicas did not catch up with the paused master in time ({@code sentinelFailover}).
   * Retryable.
   */
  public static final String REPLICA_LAGGING = "ReplicaLagging";

  /**
   * The replication link did not come up, or the initial sync did not finish, in time. Retryable.
   */
  public static final String SYNC_FAILED = "SyncFailed";

  /**
   * A Redis tool (redis-check-rdb, redis-server) failed in a way not classified above. Retryable.
   */
  public static final String TOOL_FAILED = "ToolFailed";

  private RedisFailures() {}

  /**
   * The failure for an error of Lettuce while {@code doing} something on {@code target}: a refused
   * password anywhere in the causes is {@link #AUTHENTICATION_FAILED}, a connection that cannot be
   * made, a timeout or LOADING {@link #SERVER_UNAVAILABLE}, an error reply {@link #COMMAND_FAILED}.
   * Redis's replies never hold the password.
   */
  static ApplicationFailure of(RedisTarget target, String doing, RedisException error) {
    String message = doing + " on " + target.describe() + " failed: " + reason(error);
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      String text = cause.getMessage() == null ? "" : cause.getMessage();
      if (text.startsWith("WRONGPASS")
          || text.startsWith("NOAUTH")
          || text.contains("invalid password")
          || text.contains("called without any password configured")) {
        return ActionFailures.nonRetryable(AUTHENTICATION_FAILED, message);
      }
    }
    if (error instanceof RedisConnectionException
        || error instanceof RedisCommandTimeoutException
        || error instanceof RedisLoadingException) {
      return ActionFailures.retryable(SERVER_UNAVAILABLE, message);
    }
    if (error instanceof RedisCommandExecutionException) {
      return ActionFailures.nonRetryable(COMMAND_FAILED, message);
    }
    return ActionFailures.retryable(SERVER_UNAVAILABLE, message);
  }

  private static String reason(Throwable error) {
    Throwable deepest = error;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String top = String.valueOf(error.getMessage());
    return deepest == error
        ? top
        : top + " (" + deepest.getClass().getSimpleName() + ": " + deepest.getMessage() + ")";
  }
}
