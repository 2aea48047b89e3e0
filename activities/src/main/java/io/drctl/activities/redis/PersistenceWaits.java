package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;

/**
 * The waits on Redis's background work, all on {@code INFO persistence}, polled every {@link
 * RedisOptions#pollInterval()} with a heartbeat.
 *
 * <p>A BGSAVE is ours when it finished after we asked for it: {@code rdb_saves} (counted when a
 * save starts, failed ones too) is higher than before we asked, {@code rdb_bgsave_in_progress:0},
 * and then {@code rdb_last_bgsave_status} tells how it ended. {@code LASTSAVE} alone is never
 * used: it has one-second resolution, so a save that ends in the same second as the previous one
 * would look as if it had not happened.
 */
final class PersistenceWaits {
  private final RedisOptions options;
  private final RedisHeartbeat heartbeat;

  PersistenceWaits(RedisOptions options, RedisHeartbeat heartbeat) {
    this.options = options;
    this.heartbeat = heartbeat;
  }

  /**
   * Asks for a BGSAVE and waits until it (or a later one) finished. A save already running when
   * called is waited out first: it started before the call, so its file may lack earlier writes.
   * Returns the INFO read when the save finished.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code failureType} when the save failed
   *     ({@code rdb_last_bgsave_status:err}, retryable: fork fails when memory is short) or did not
   *     finish within {@code timeout}
   */
  RedisInfo bgsave(RedisCommands<String, String> redis, Duration timeout, String failureType) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    long before;
    while (true) {
      RedisInfo info = persistence(redis);
      if (!info.flag("rdb_bgsave_in_progress")) {
        before = info.number("rdb_saves");
        if (requestBgsave(redis)) {
          break;
        }
      }
      checkDeadline(deadline, timeout, failureType, "an earlier BGSAVE to finish");
      heartbeat.pause(options.pollInterval(), "waiting for an earlier BGSAVE to finish", ++polls);
    }
    while (true) {
      RedisInfo info = persistence(redis);
      if (!info.flag("rdb_bgsave_in_progress") && info.number("rdb_saves") > before) {
        if (!"ok".equals(info.text("rdb_last_bgsave_status"))) {
          throw ActionFailures.retryable(failureType, "BGSAVE failed (rdb_last_bgsave_status:"
              + info.text("rdb_last_bgsave_status") + "); Redis's log tells why, often a failed fork for want of"
              + " memory or a full disk");
        }
        return info;
      }
      checkDeadline(deadline, timeout, failureType, "BGSAVE");
      heartbeat.pause(options.pollInterval(), "waiting for BGSAVE (rdb_saves was " + before + ")", ++polls);
    }
  }

  /**
   * BGSAVE SCHEDULE: starts a save, or schedules it after a running AOF rewrite. False when a save
   * started meanwhile (the caller waits it out and asks again).
   */
  private static boolean requestBgsave(RedisCommands<String, String> redis) {
    try {
      redis.dispatch(CommandType.BGSAVE, new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("SCHEDULE"));
      return true;
    } catch (RedisCommandExecutionException e) {
      if (String.valueOf(e.getMessage()).contains("already in progress")) {
        return false;
      }
      throw e;
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
          throw ActionFailures.retryable(failureType, "the AOF rewrite failed (aof_last_bgrewrite_status:"
              + info.text("aof_last_bgrewrite_status") + ")");
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

  private static void checkDeadline(long deadline, Duration timeout, String failureType, String what) {
    if (System.nanoTime() > deadline) {
      throw ActionFailures.retryable(failureType, "waited " + timeout + " for " + what + " in vain");
    }
  }
}
