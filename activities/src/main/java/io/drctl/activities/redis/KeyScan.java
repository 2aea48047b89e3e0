package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A {@link KeySets} pass running on a thread of its own, on a connection of its own, while the
 * activity's thread does the rest of the work (waits for BGSAVE and stores the file, or writes the
 * configuration file after a restore): the pass overlaps that work instead of adding to it. The
 * activity's thread waits for it with heartbeats ({@link #await}); {@link #cancel} stops it when
 * the work failed.
 *
 * @param <T> what the pass returns
 */
final class KeyScan<T> {
  private final AtomicLong progress = new AtomicLong();
  private final FutureTask<T> task;

  private KeyScan(
      RedisCommands<byte[], byte[]> redis,
      RedisTarget target,
      BiFunction<RedisCommands<byte[], byte[]>, AtomicLong, T> pass) {
    task =
        new FutureTask<>(
            () -> {
              try {
                return pass.apply(redis, progress);
              } catch (RedisException e) {
                throw RedisFailures.of(target, "reading the key sets", e);
              }
            });
    Thread thread = new Thread(task, "redis-keyset-scan");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * A pass over {@code databases} (database to the keys it is expected to hold, which sizes the
   * buffers and lets the pass skip sorting) on {@code redis}, a connection no other thread uses
   * meanwhile ({@link RedisConnector#withScanning}), started.
   */
  static KeyScan<Map<Integer, KeySets.Scanned>> of(
      RedisCommands<byte[], byte[]> redis, RedisTarget target, Map<Integer, Long> databases) {
    return new KeyScan<>(
        redis,
        target,
        (connection, progress) ->
            KeySets.scan(connection, databases, KeySets.Formula.XXH64, progress));
  }

  /**
   * The loaded key sets to compare with a backup's {@code recorded} ones ({@link KeySets#loaded}),
   * started.
   */
  static KeyScan<Map<String, TableFingerprint>> loaded(
      RedisCommands<byte[], byte[]> redis,
      RedisTarget target,
      Map<String, TableFingerprint> recorded) {
    return new KeyScan<>(
        redis, target, (connection, progress) -> KeySets.loaded(connection, recorded, progress));
  }

  /**
   * The pass's result, once done; heartbeats meanwhile. Failures of the pass propagate as they are.
   */
  T await(RedisHeartbeat heartbeat) {
    return heartbeat.await(task, "reading the key sets (SCAN)", progress::get);
  }

  /** Stops the pass if it still runs (interrupting its thread ends the connection's wait). */
  void cancel() {
    task.cancel(true);
  }
}
