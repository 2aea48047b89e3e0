package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The waits on Redis's background work, all on {@code INFO persistence}, polled every {@link
 * RedisOptions#pollInterval()} with a heartbeat.
 *
 * <p>A BGSAVE is ours when it finished after we asked for it: {@code rdb_saves} (counted when a
 * save starts, failed ones too) is higher than before we asked, {@code rdb_bgsave_in_progress:0},
 * and then {@code rdb_last_bgsave_status} tells how it ended. {@code LASTSAVE} alone is never used:
 * it has one-second resolution, so a save that ends in the same second as the previous one would
 * look as if it had not happened.
 *
 * <p>The same counters tell whether anything changed the key sets in a window ({@link Counters},
 * {@link Fork#quietUntil}): what a backup needs to know before it records a fingerprint that a SCAN
 * read while its file was written.
 */
final class PersistenceWaits {
  /** How long INFO reads sent together (and BGSAVE) may take to answer. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final RedisOptions options;
  private final RedisHeartbeat heartbeat;

  PersistenceWaits(RedisOptions options, RedisHeartbeat heartbeat) {
    this.options = options;
    this.heartbeat = heartbeat;
  }

  /**
   * What INFO said, its sections sent together, persistence first ({@link #counters}): {@code
   * rdb_changes_since_last_save} (writes since the last save; a save that succeeds leaves only the
   * writes made after its fork), {@code rdb_saves} (saves started), {@code evicted_keys}, and the
   * keyspace section. A write that lands between the sections shows in any later count of writes.
   */
  record Counters(long changes, long saves, long evicted, RedisInfo keyspace) {
    /**
     * Whether nothing changed the key sets between {@code this} and {@code later} (no save between
     * them): no write, no save started, no key evicted. Keys that expire are the caller's matter
     * ({@link KeySets#recorded}).
     */
    boolean quietUntil(Counters later) {
      return later.changes == changes && later.saves == saves && later.evicted == evicted;
    }
  }

  /**
   * A BGSAVE asked for: the counters read just before it ({@code before}), whether Redis forked at
   * once ({@code started}; with an AOF rewrite running it schedules the save for later), whether
   * nothing was written between that read and the fork ({@code quietToFork}: known only when it
   * forked at once and INFO read just after still counted the same writes), and when the wait gives
   * up.
   */
  record Fork(
      Counters before, boolean started, boolean quietToFork, long deadlineNanos, Duration timeout) {
    /**
     * Whether the key sets did not change from {@code before} until {@code after} (read once the
     * save ended): nothing written up to the fork, and since the fork nothing written (the save,
     * ours and the last one, left {@code rdb_changes_since_last_save} at 0), no key evicted.
     */
    boolean quietUntil(Counters after) {
      return quietToFork
          && after.changes() == 0
          && after.saves() == before.saves() + 1
          && after.evicted() == before.evicted();
    }
  }

  /**
   * Asks for a BGSAVE once no save and no AOF rewrite runs (a save already running started before
   * the call, so its file may lack earlier writes; a rewrite would delay the fork). The request is
   * sent in one write between the {@link Counters} before it and INFO persistence after it; Redis
   * forks while it answers BGSAVE. (Not in a MULTI: Redis defers a BGSAVE inside EXEC to its next
   * cron run.)
   *
   * @throws io.temporal.failure.ApplicationFailure {@code failureType} when no save could start
   *     within {@code timeout}
   */
  Fork fork(RedisCommands<String, String> redis, Duration timeout, String failureType) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (true) {
      RedisInfo info = persistence(redis);
      if (!info.flag("rdb_bgsave_in_progress") && !info.flag("aof_rewrite_in_progress")) {
        StatefulRedisConnection<String, String> connection = redis.getStatefulConnection();
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<String>> before;
        RedisFuture<String> save;
        RedisFuture<String> after;
        connection.setAutoFlushCommands(false);
        try {
          before = sections(async);
          save =
              async.dispatch(
                  CommandType.BGSAVE,
                  new StatusOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).add("SCHEDULE"));
          after = async.info("persistence");
          connection.flushCommands();
        } finally {
          connection.setAutoFlushCommands(true);
        }
        Counters counters = counters(before);
        String status = null;
        try {
          status = await(save);
        } catch (RedisCommandExecutionException e) {
          if (!String.valueOf(e.getMessage()).contains("already in progress")) {
            throw e;
          }
        }
        RedisInfo forked = RedisInfo.parse(await(after));
        if (status != null) {
          boolean started = status.contains("started");
          boolean quietToFork =
              started
                  && forked.flag("rdb_bgsave_in_progress")
                  && forked.number("rdb_saves") == counters.saves() + 1
                  && forked.number("rdb_changes_since_last_save") == counters.changes();
          return new Fork(counters, started, quietToFork, deadline, timeout);
        }
      }
      checkDeadline(deadline, timeout, failureType, "an earlier BGSAVE or AOF rewrite to finish");
      heartbeat.pause(
          options.pollInterval(),
          "waiting for an earlier BGSAVE or AOF rewrite to finish",
          ++polls);
    }
  }

  /**
   * Whether the BGSAVE of {@code fork} (or a later one) finished: the INFO read then, or {@code
   * null} while it runs. Does not wait.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code failureType} when the save failed ({@code
   *     rdb_last_bgsave_status:err}, retryable: fork fails when memory is short) or did not finish
   *     by the fork's deadline
   */
  RedisInfo saved(RedisCommands<String, String> redis, Fork fork, String failureType) {
    RedisInfo info = persistence(redis);
    if (!info.flag("rdb_bgsave_in_progress") && info.number("rdb_saves") > fork.before().saves()) {
      if (!"ok".equals(info.text("rdb_last_bgsave_status"))) {
        throw ActionFailures.retryable(
            failureType,
            "BGSAVE failed (rdb_last_bgsave_status:"
                + info.text("rdb_last_bgsave_status")
                + "); Redis's log tells why, often a failed fork for want of"
                + " memory or a full disk");
      }
      return info;
    }
    checkDeadline(fork.deadlineNanos(), fork.timeout(), failureType, "BGSAVE");
    return null;
  }

  /** The {@link Counters} now: INFO persistence, stats and keyspace sent in one write. */
  Counters counters(RedisCommands<String, String> redis) {
    StatefulRedisConnection<String, String> connection = redis.getStatefulConnection();
    List<RedisFuture<String>> sections;
    connection.setAutoFlushCommands(false);
    try {
      sections = sections(connection.async());
      connection.flushCommands();
    } finally {
      connection.setAutoFlushCommands(true);
    }
    return counters(sections);
  }

  private static List<RedisFuture<String>> sections(RedisAsyncCommands<String, String> async) {
    return List.of(async.info("persistence"), async.info("stats"), async.info("keyspace"));
  }

  private static Counters counters(List<RedisFuture<String>> sections) {
    RedisInfo persisted = RedisInfo.parse(await(sections.get(0)));
    return new Counters(
        persisted.number("rdb_changes_since_last_save"),
        persisted.number("rdb_saves"),
        RedisInfo.parse(await(sections.get(1))).number("evicted_keys"),
        RedisInfo.parse(await(sections.get(2))));
  }

  private static <T> T await(RedisFuture<T> future) {
    try {
      return future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new RedisException(e.getCause());
    } catch (TimeoutException e) {
      throw new RedisCommandTimeoutException(
          "no answer to INFO or BGSAVE within " + COMMAND_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Heartbeats.interrupted();
    }
  }

  /**
   * Waits until no AOF rewrite runs or is scheduled ({@code aof_rewrite_in_progress:0}, {@code
   * aof_rewrite_scheduled:0}); {@code failureType} after {@code timeout} or when the last rewrite
   * failed.
   */
  RedisInfo aofRewrite(RedisCommands<String, String> redis, Duration timeout, String failureType) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (true) {
      RedisInfo info = persistence(redis);
      if (!info.flag("aof_rewrite_in_progress") && !info.flag("aof_rewrite_scheduled")) {
        if (!"ok".equals(info.text("aof_last_bgrewrite_status"))) {
          throw ActionFailures.retryable(
              failureType,
              "the AOF rewrite failed (aof_last_bgrewrite_status:"
                  + info.text("aof_last_bgrewrite_status")
                  + ")");
        }
        return info;
      }
      checkDeadline(deadline, timeout, failureType, "the AOF rewrite");
      heartbeat.pause(options.pollInterval(), "waiting for the AOF rewrite", ++polls);
    }
  }

  private static RedisInfo persistence(RedisCommands<String, String> redis) {
    return RedisInfo.parse(redis.info("persistence"));
  }

  private static void checkDeadline(
      long deadline, Duration timeout, String failureType, String what) {
    if (System.nanoTime() > deadline) {
      throw ActionFailures.retryable(
          failureType, "waited " + timeout + " for " + what + " in vain");
    }
  }
}
