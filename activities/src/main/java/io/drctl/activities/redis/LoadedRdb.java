package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key sets a Redis on the worker's host loaded from a restored RDB file, shown without reading
 * its keys back. The file's key sets are read from its bytes ({@link RdbKeySets}) on a thread of
 * their own while Redis loads it; once Redis answers, they are what it loaded when
 *
 * <ul>
 *   <li>the process that answers (INFO server {@code process_id}) started after the file was put in
 *       place: its start in {@code /proc/PID/stat} against {@code /proc/uptime} read just after the
 *       move, both in the kernel's clock ticks since boot. So it is a server started on this file,
 *       not one that ran before or was started on the old file;
 *   <li>it loaded as many keys as the file holds and dropped none as expired (INFO persistence
 *       {@code rdb_last_load_keys_loaded}, {@code rdb_last_load_keys_expired}), and each database
 *       holds the file's count of it (INFO keyspace).
 * </ul>
 *
 * <p>Redis loads a file whole or refuses to start, so each database then holds exactly the file's
 * names. Anything not shown (the reader does not know the file's format, another count, a process
 * this worker cannot see, a file fingerprint that differs from the backup's) gives no result, and
 * the restore reads the keys with SCAN instead ({@link KeyScan}), which also words the difference.
 */
final class LoadedRdb {
  private static final Logger LOG = LoggerFactory.getLogger(LoadedRdb.class);

  /** USER_HZ: the unit of /proc/PID/stat's start time on every Linux architecture drctl runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private final long placedTick;
  private final AtomicLong progress = new AtomicLong();
  private final FutureTask<Map<Integer, RdbKeySets.Database>> reading;

  private LoadedRdb(Path file, long placedTick) {
    this.placedTick = placedTick;
    reading =
        new FutureTask<>(
            () -> {
              try {
                return RdbKeySets.read(file, progress);
              } catch (IOException | RdbKeySets.Unreadable e) {
                LOG.info(
                    "the key sets of {} are read from Redis instead: {}", file, e.getMessage());
                return null;
              }
            });
    Thread thread = new Thread(reading, "redis-rdb-keysets");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading {@code file}, just put in place for a server that has not been started yet. */
  static LoadedRdb reading(Path file) {
    return new LoadedRdb(file, uptimeTicks());
  }

  /**
   * The loaded key sets of {@code redis}, a server started after {@link #reading} on the file and
   * done loading: per database that holds keys, the count, and the file's fingerprint where {@code
   * recorded} has one. {@code null} when they cannot be shown to be the file's, or the file's
   * fingerprints are not the recorded ones.
   */
  Map<String, TableFingerprint> proven(
      RedisCommands<String, String> redis,
      Map<String, TableFingerprint> recorded,
      RedisHeartbeat heartbeat) {
    Map<Integer, RdbKeySets.Database> file =
        heartbeat.await(reading, "reading the key sets of the RDB file", progress::get);
    return file == null ? null : proven(file, redis, recorded);
  }

  /** {@link #proven} of the key sets {@code file} read from the file. */
  Map<String, TableFingerprint> proven(
      Map<Integer, RdbKeySets.Database> file,
      RedisCommands<String, String> redis,
      Map<String, TableFingerprint> recorded) {
    RedisInfo server = RedisInfo.parse(redis.info("server"));
    RedisInfo persistence = RedisInfo.parse(redis.info("persistence"));
    RedisInfo keyspace = RedisInfo.parse(redis.info("keyspace"));
    long fileKeys = file.values().stream().mapToLong(RdbKeySets.Database::keys).sum();
    String doubt = null;
    if (!startedAfterThePlacing(server.number("process_id"))) {
      doubt =
          "Redis process "
              + server.text("process_id")
              + " did not start after the file was put in place";
    } else if (persistence.number("rdb_last_load_keys_loaded") != fileKeys
        || persistence.number("rdb_last_load_keys_expired") != 0) {
      doubt =
          "Redis loaded "
              + persistence.text("rdb_last_load_keys_loaded")
              + " keys and dropped "
              + persistence.text("rdb_last_load_keys_expired")
              + " expired ones of the file's "
              + fileKeys;
    }
    Map<String, TableFingerprint> sets = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      RdbKeySets.Database held = file.get(database);
      if (doubt == null && (held == null || held.keys() != keyspace.keys(database))) {
        doubt =
            "db"
                + database
                + " holds "
                + keyspace.keys(database)
                + " keys, the file "
                + (held == null ? 0 : held.keys());
      }
      TableFingerprint backup = recorded.get("db" + database);
      sets.put(
          "db" + database,
          backup != null && backup.checksum() != null && held != null
              ? held.fingerprint()
              : new TableFingerprint(keyspace.keys(database), null));
    }
    for (Map.Entry<String, TableFingerprint> backup : recorded.entrySet()) {
      if (doubt == null
          && backup.getValue().checksum() != null
          && !backup.getValue().equals(sets.get(backup.getKey()))) {
        doubt = backup.getKey() + " of the file is not the backup's";
      }
    }
    if (doubt != null) {
      LOG.info("the loaded key sets are read from Redis: {}", doubt);
      return null;
    }
    return sets;
  }

  /** Stops reading the file if that still runs. */
  void cancel() {
    reading.cancel(true);
  }

  private boolean startedAfterThePlacing(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // After the command name in parentheses: state is field 3, the start time field 22.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[19]) >= placedTick;
    } catch (IOException | RuntimeException unreadable) {
      return false; // not a process of this host (e.g. of another PID namespace)
    }
  }

  /** Clock ticks since boot now, truncated as the kernel truncates a process's start time. */
  private static long uptimeTicks() {
    try {
      String uptime = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
      int dot = uptime.indexOf('.');
      long centiseconds =
          Long.parseLong(uptime.substring(0, dot)) * 100
              + Long.parseLong(uptime.substring(dot + 1));
      return centiseconds * TICKS_PER_SECOND / 100;
    } catch (IOException | RuntimeException unreadable) {
      return Long.MAX_VALUE; // no process can be shown to have started later
    }
  }
}
