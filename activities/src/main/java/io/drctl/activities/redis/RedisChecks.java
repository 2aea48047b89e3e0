package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.postgres.DumpDirectory;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.SelectedBackup;
import io.lettuce.core.FlushMode;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code redis.info}, {@code redis.verify}, {@code redis.flush} and {@code redis.checkAof}: one
 * connection each, reading INFO; only flush changes data.
 */
final class RedisChecks {
  private final RedisConnector connector;
  private final RedisTools tools;
  private final RedisFiles files;

  RedisChecks(RedisConnector connector, RedisTools tools, RedisFiles files) {
    this.connector = connector;
    this.tools = tools;
    this.files = files;
  }

  /** {@code redis_mode} of a Sentinel in INFO server, and the role redis.info reports for it. */
  private static final String SENTINEL_MODE = "sentinel";

  RedisInfoResult info(RedisInfoInput input) {
    ActionInputs.present("redis.info", input, "a target");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    double warnRatio = input.warnRatio();
    if (!(warnRatio >= 0 && warnRatio <= 1)) {
      throw ActionFailures.invalidInput("warnRatio must be between 0 and 1, was " + warnRatio);
    }
    RedisInfo info =
        connector.with(target, "reading INFO", redis -> RedisInfo.parse(redis.info("everything")));
    if (SENTINEL_MODE.equals(info.text("redis_mode"))) {
      return sentinel(target, info, input.failOnProblem());
    }
    long used = info.number("used_memory");
    // Without maxmemory Redis may grow until the host's memory is gone: that is the limit then.
    long max =
        info.number("maxmemory") > 0
            ? info.number("maxmemory")
            : info.number("total_system_memory");
    double ratio = max > 0 ? (double) used / max : 0;
    boolean aofEnabled = info.flag("aof_enabled");
    boolean aofWriteOk = "ok".equals(info.text("aof_last_write_status"));
    boolean rdbOk = "ok".equals(info.text("rdb_last_bgsave_status"));
    boolean healthy = ratio < warnRatio && rdbOk && (!aofEnabled || aofWriteOk);
    RedisInfoResult result =
        new RedisInfoResult(
            healthy,
            used,
            max,
            ratio,
            info.decimal("mem_fragmentation_ratio"),
            info.number("evicted_keys"),
            info.keys(),
            info.number("connected_clients"),
            "slave".equals(info.text("role")) ? "replica" : info.text("role"),
            aofEnabled,
            aofWriteOk,
            rdbOk,
            info.number("uptime_in_seconds"));
    if (!healthy && input.failOnProblem()) {
      throw ActionFailures.retryable(
          RedisFailures.REDIS_UNHEALTHY,
          target.describe()
              + " is not healthy: used "
              + String.format("%.2f", ratio)
              + " of its memory (warnRatio "
              + warnRatio
              + "), last RDB save "
              + info.text("rdb_last_bgsave_status")
              + ", last AOF write "
              + info.text("aof_last_write_status"),
          result);
    }
    return result;
  }

  /**
   * A Sentinel has no dataset and no persistence: it is healthy when it monitors a master and sees
   * every master it monitors as ok ({@code masterN:name=...,status=ok,...} in INFO sentinel).
   */
  private static RedisInfoResult sentinel(
      RedisTarget target, RedisInfo info, boolean failOnProblem) {
    long masters = info.number("sentinel_masters");
    List<String> notOk = new ArrayList<>();
    for (int i = 0; i < masters; i++) {
      String master = info.text("master" + i);
      if (!master.contains("status=ok")) {
        notOk.add(master);
      }
    }
    boolean healthy = masters > 0 && notOk.isEmpty();
    RedisInfoResult result =
        new RedisInfoResult(
            healthy,
            info.number("used_memory"),
            0,
            0,
            info.decimal("mem_fragmentation_ratio"),
            0,
            0,
            info.number("connected_clients"),
            SENTINEL_MODE,
            false,
            false,
            false,
            info.number("uptime_in_seconds"));
    if (!healthy && failOnProblem) {
      throw ActionFailures.retryable(
          RedisFailures.REDIS_UNHEALTHY,
          "Sentinel "
              + target.describe()
              + (masters == 0
                  ? " monitors no master"
                  : " sees masters that are not ok: " + String.join("; ", notOk)),
          result);
    }
    return result;
  }

  RedisVerifyResult verify(RedisVerifyInput input) {
    ActionInputs.present("redis.verify", input, "a target");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    RedisVerifyResult result =
        connector.with(
            target,
            "verifying",
            redis -> {
              long start = System.nanoTime();
              boolean pong = "PONG".equals(redis.ping());
              long latency = (System.nanoTime() - start) / 1_000_000;
              RedisInfo info = RedisInfo.parse(redis.info("everything"));
              List<String> missing = new ArrayList<>();
              for (String key : input.sampleKeys()) {
                if (redis.exists(key) == 0) {
                  missing.add(key);
                }
              }
              boolean persistenceOk =
                  "ok".equals(info.text("rdb_last_bgsave_status"))
                      && (!info.flag("aof_enabled")
                          || "ok".equals(info.text("aof_last_write_status")));
              boolean ok =
                  pong
                      && info.keys() >= input.minKeys()
                      && missing.isEmpty()
                      && (!input.checkPersistence() || persistenceOk);
              return new RedisVerifyResult(
                  ok, pong, info.keys(), List.copyOf(missing), persistenceOk, latency);
            });
    if (!result.ok() && input.failOnMismatch()) {
      throw ActionFailures.nonRetryable(
          RedisFailures.VERIFICATION_FAILED,
          target.describe()
              + " failed verification:"
              + " pong "
              + result.pong()
              + ", "
              + result.keys()
              + " keys (minKeys "
              + input.minKeys()
              + "), missing "
              + result.missingKeys()
              + ", persistence ok "
              + result.persistenceOk(),
          result);
    }
    return result;
  }

  RedisFlushResult flush(RedisFlushInput input) {
    ActionInputs.present("redis.flush", input, "a target");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    boolean all = scopeAll(input.scope());
    int database = ActionInputs.between("db", input.db(), 0, 15);
    FlushMode mode = input.async() ? FlushMode.ASYNC : FlushMode.SYNC;
    return connector.with(
        target,
        all ? "FLUSHALL" : "FLUSHDB",
        redis -> {
          long before;
          long after;
          if (all) {
            before = keys(redis);
            redis.flushall(mode);
            after = keys(redis);
          } else {
            redis.select(database);
            before = redis.dbsize();
            redis.flushdb(mode);
            after = redis.dbsize();
          }
          return new RedisFlushResult(
              before, after, RedisInfo.parse(redis.info("memory")).number("used_memory"));
        });
  }

  RedisCheckAofResult checkAof(RedisCheckAofInput input) {
    ActionInputs.present("redis.checkAof", input, "a target");
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.checkAof", connector.options());
    AofCheck.Finding finding;
    String what;
    if (input.from() != null) {
      if (input.store() == null) {
        throw ActionFailures.invalidInput("from needs store: the store that holds the AOF backup");
      }
      try (StoreSession store =
          StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
        SelectedBackup selected = RedisRestore.select(store, input.from(), "aof");
        what = "backup " + selected.metadata().backupId();
        Path scratch = OwnedTempDirectory.create("drctl-redis-check-");
        Path copy = scratch.resolve("appendonlydir");
        try (InputStream in = selected.catalog().open(selected.metadata())) {
          Files.createDirectory(copy);
          DumpDirectory.extract(
              in, copy, heartbeat, "downloading " + selected.metadata().backupId());
          heartbeat.beat("redis-check-aof on " + what, 0);
          finding = AofCheck.run(tools, AofCheck.manifestIn(copy));
        } finally {
          OwnedTempDirectory.delete(scratch);
        }
      } catch (StoreException e) {
        throw BackupFailures.of(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
      Path directory = files.of(target, input.targets(), "redis.checkAof");
      Map<String, String> names =
          connector.answers(target)
              ? connector.with(
                  target,
                  "reading the AOF's names",
                  redis -> redis.configGet("appenddirname", "appendfilename"))
              : Map.of("appenddirname", "appendonlydir", "appendfilename", "appendonly.aof");
      Path manifest =
          directory
              .resolve(names.get("appenddirname"))
              .resolve(names.get("appendfilename") + ".manifest");
      what = "the AOF of " + target.describe();
      heartbeat.beat("redis-check-aof on " + what, 0);
      finding = AofCheck.run(tools, manifest);
    }
    RedisCheckAofResult result =
        new RedisCheckAofResult(
            finding.ok(),
            finding.files(),
            finding.sizeBytes(),
            finding.truncatedAt(),
            finding.message());
    if (!finding.ok() && input.failOnProblem()) {
      throw ActionFailures.nonRetryable(
          RedisFailures.AOF_CORRUPT,
          what
              + " is not valid: "
              + finding.message()
              + (finding.truncatedAt() >= 0
                  ? " (valid up to byte " + finding.truncatedAt() + ")"
                  : ""),
          result);
    }
    return result;
  }

  private static long keys(RedisCommands<String, String> redis) {
    return RedisInfo.parse(redis.info("keyspace")).keys();
  }

  private static boolean scopeAll(String scope) {
    if (!"db".equals(scope) && !"all".equals(scope)) {
      throw ActionFailures.invalidInput("scope must be db or all, was " + scope);
    }
    return "all".equals(scope);
  }
}
