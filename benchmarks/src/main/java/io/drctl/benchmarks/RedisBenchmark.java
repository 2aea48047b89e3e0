package io.drctl.benchmarks;

import static io.drctl.benchmarks.BenchmarkResults.loadAverage;

import io.drctl.activities.redis.RdbKeySets;
import io.drctl.activities.redis.RedisBackupResult;
import io.drctl.activities.redis.RedisRestoreResult;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * drctl's Redis backup and restore actions against the raw operations they wrap, on real
 * redis-server processes on this host, measured in the same run and interleaved (each round runs
 * every contender once; which of a pair goes first alternates by round):
 *
 * <ul>
 *   <li>backup: {@code redis.backup} (type rdb) of the source into a local backup store, against
 *       BGSAVE, waited for on INFO persistence, plus copying {@code dump.rdb} to a file;
 *   <li>restore: {@code redis.restore} of that backup onto a second server (enableAof false: both
 *       servers run with appendonly no), against SHUTDOWN NOSAVE, copying the raw copy into place
 *       as {@code dump.rdb} and starting redis-server with its configuration file again, until PING
 *       answers and INFO persistence says {@code loading:0}.
 * </ul>
 *
 * The dataset is {@code --keys} string keys ({@code user:00000042:profile}) in db0 holding
 * JSON-like values of about {@code --value-bytes} bytes, with a random hex token in each: about 200
 * MB of RDB for the default million keys. Our actions run as a worker runs them, through Temporal's
 * {@code TestActivityEnvironment} (heartbeats included), with the worker's default options. Every
 * backup must record the key count and a key-set fingerprint (the source is not written to while it
 * runs); every restore is checked (DBSIZE, a marker key written before it gone, sampled values).
 * The "part" rows time pieces of the work alone in the same round, to show what dominates.
 *
 * <p>Options: {@code --keys N} (default 1000000), {@code --value-bytes N} (default 176), {@code
 * --rounds N} (default 1), {@code --dir DIR} (where its own new working directory goes, default
 * /tmp; needs about 6 times the RDB free), {@code --keep} (leave that directory behind).
 */
public final class RedisBenchmark {
  static final String BACKUP_RAW = "backup: BGSAVE + copy dump.rdb";
  static final String BACKUP_OURS =
      "backup: drctl redis.backup → local store (count + key-set fingerprint)";
  static final String RESTORE_RAW = "restore: SHUTDOWN NOSAVE + copy RDB + restart until loading:0";
  static final String RESTORE_OURS =
      "restore: drctl redis.restore from the store (check, load, compare keys)";
  static final String OUTAGE_RAW =
      "restore, time the server does not serve (PING every 5 ms): raw restart";
  static final String OUTAGE_OURS =
      "restore, time the server does not serve (PING every 5 ms): drctl redis.restore";
  static final String PART_SCAN = "part: SCAN of every key, COUNT 10000 as ours (keys dropped)";
  static final String PART_CHECK = "part: redis-check-rdb of the RDB";
  static final String PART_KEYSETS =
      "part: key sets read from the RDB's bytes (RdbKeySets, as ours while Redis loads)";
  static final String PART_STORE_WRITE = "part: store write of the RDB (BackupCatalog.write)";
  static final String PART_STORE_READ = "part: store read + verify of it (BackupCatalog.open)";
  private static final String MARKER = "bench:written-after-backup";

  private final Options options;
  private final RedisBenchmarkReport results = new RedisBenchmarkReport();

  private RedisBenchmark(Options options) {
    this.options = options;
  }

  /** The parsed command line. */
  record Options(int keys, int valueBytes, int rounds, Path dir, boolean keep) {
    static Options parse(String[] args) {
      int keys = 1_000_000;
      int valueBytes = 176;
      int rounds = 1;
      Path dir = null;
      boolean keep = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--keys" -> keys = BenchmarkMain.positive(args, ++i);
          case "--value-bytes" -> valueBytes = BenchmarkMain.positive(args, ++i);
          case "--rounds" -> rounds = BenchmarkMain.positive(args, ++i);
          case "--dir" -> dir = Path.of(BenchmarkMain.value(args, i++));
          case "--keep" -> keep = true;
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; options: --keys N, --value-bytes N, --rounds N, --dir DIR, --keep");
        }
      }
      if (valueBytes < 120) {
        throw new IllegalArgumentException("--value-bytes must be at least 120, was " + valueBytes);
      }
      return new Options(keys, valueBytes, rounds, dir, keep);
    }
  }

  public static void main(String[] args) {
    BenchmarkMain.main("Redis", args, Options::parse, options -> new RedisBenchmark(options).run());
  }

  /** A benchmark that is not run: what the test of its values needs. */
  static RedisBenchmark forValues(Options options) {
    return new RedisBenchmark(options);
  }

  /** Runs the benchmark and prints the report; also the smoke test's entry. */
  static void run(String... args) throws Exception {
    new RedisBenchmark(Options.parse(args)).run();
  }

  private void run() throws Exception {
    String program = BenchRedis.program();
    Path parent = options.dir() != null ? options.dir() : Path.of("/tmp");
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "drrdb-");
    System.out.printf(
        Locale.ROOT,
        "# Redis benchmark: %d keys of about %d bytes, %d round(s), %s, %d cores,"
            + " load average at start %s, in %s%n",
        options.keys(),
        options.valueBytes(),
        options.rounds(),
        version(program),
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        dir);
    BenchRedis source = null;
    BenchRedis target = null;
    try (OurRedisActions ours =
        new OurRedisActions(BenchRedis.binDirectory(), dir.resolve("store"))) {
      source = BenchRedis.start(dir.resolve("source"), null);
      seed(source);
      rawBackup(source, dir.resolve("seeded.rdb"));
      target = BenchRedis.start(dir.resolve("target"), dir.resolve("seeded.rdb"));
      Files.delete(dir.resolve("seeded.rdb"));
      var targets = ours.targets(source, target);
      Path rawCopy = dir.resolve("raw-backup.rdb");
      BenchRedis origin = source;
      BenchRedis server = target;
      for (int round = 1; round <= options.rounds(); round++) {
        boolean oursFirst = round % 2 == 0;
        String[] backupId = new String[1];
        pair(
            oursFirst,
            () -> results.measure(BACKUP_RAW, origin, () -> rawBackup(origin, rawCopy)),
            () -> {
              RedisBackupResult result =
                  results.measure(BACKUP_OURS, origin, () -> ours.backup(targets));
              backupId[0] = result.backupId();
              checkBackup(ours, result);
            });
        results.note(
            "sizes",
            String.format(
                Locale.ROOT,
                "dump.rdb %.0f MB, stored (zstd -3) %.0f MB",
                Files.size(rawCopy) / 1e6,
                ours.metadata(backupId[0]).sizeBytes() / 1e6));
        pair(
            oursFirst,
            () -> {
              mark(server);
              try (OutageProbe outage = OutageProbe.start(server.port())) {
                results.measure(
                    RESTORE_RAW,
                    server,
                    () -> {
                      server.shutdown();
                      Files.copy(rawCopy, server.rdb(), StandardCopyOption.REPLACE_EXISTING);
                      server.launch();
                      server.awaitLoaded(10);
                      return null;
                    });
                results.record(OUTAGE_RAW, outage.seconds());
              }
              checkRestored(server);
            },
            () -> {
              mark(server);
              RedisRestoreResult result;
              try (OutageProbe outage = OutageProbe.start(server.port())) {
                result =
                    results.measure(RESTORE_OURS, server, () -> ours.restore(targets, backupId[0]));
                results.record(OUTAGE_OURS, outage.seconds());
              }
              checkRestored(server);
              if (result.keys() != options.keys()) {
                throw new IllegalStateException(
                    "redis.restore reported " + result.keys() + " keys, not " + options.keys());
              }
            });
        parts(origin, rawCopy, dir);
        System.out.printf(Locale.ROOT, "round %d done (load average %s)%n", round, loadAverage());
      }
      results.print();
    } finally {
      for (BenchRedis server : new BenchRedis[] {source, target}) {
        if (server != null) {
          server.close();
        }
      }
      if (!options.keep()) {
        BenchCluster.run(List.of("rm", "-rf", dir.toString()));
      }
    }
  }

  /**
   * {@code --keys} keys in db0, pipelined (MSET of 1,000 keys, 100 in flight), then a check of
   * DBSIZE.
   */
  private void seed(BenchRedis source) {
    long started = System.nanoTime();
    try (StatefulRedisConnection<byte[], byte[]> connection =
        source.client().connect(ByteArrayCodec.INSTANCE)) {
      RedisAsyncCommands<byte[], byte[]> redis = connection.async();
      List<RedisFuture<String>> inFlight = new ArrayList<>();
      Map<byte[], byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < options.keys(); i++) {
        batch.put(key(i), value(i));
        if (batch.size() == 1000 || i == options.keys() - 1) {
          inFlight.add(redis.mset(batch));
          batch = new LinkedHashMap<>();
          if (inFlight.size() == 100 || i == options.keys() - 1) {
            for (RedisFuture<String> future : inFlight) {
              if (!"OK".equals(future.get(5, TimeUnit.MINUTES))) {
                throw new IllegalStateException("MSET failed while seeding");
              }
            }
            inFlight.clear();
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("seeding failed: " + e.getMessage(), e);
    }
    long keys = source.redis(redis -> redis.dbsize());
    String memory =
        source.redis(redis -> BenchRedis.field(redis.info("memory"), "used_memory_human"));
    if (keys != options.keys()) {
      throw new IllegalStateException("seeded " + keys + " keys, not " + options.keys());
    }
    System.out.printf(
        Locale.ROOT,
        "seeded %d keys (used_memory %s) in %.1f s%n",
        keys,
        memory,
        (System.nanoTime() - started) / 1e9);
  }

  static byte[] key(int i) {
    return String.format(Locale.ROOT, "user:%08d:profile", i).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A JSON-like record of about --value-bytes bytes with a random hex token (fixed seed per key).
   */
  byte[] value(int i) {
    String head =
        "{\"id\":"
            + i
            + ",\"name\":\"user-"
            + i
            + "\",\"plan\":\""
            + (i % 3 == 0 ? "team" : "pro")
            + "\",\"created\":\"2026-11-27T10:00:00Z\",\"token\":\"";
    String tail = "\"}";
    StringBuilder value = new StringBuilder(options.valueBytes()).append(head);
    SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
    while (value.length() < options.valueBytes() - tail.length()) {
      value.append(Character.forDigit(random.nextInt(16), 16));
    }
    return value.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * BGSAVE, polled every 10 ms on INFO persistence until it finished, then dump.rdb copied to
   * {@code copy}.
   */
  private static Void rawBackup(BenchRedis source, Path copy) throws IOException {
    long before = Long.parseLong(BenchRedis.field(source.call("INFO", "persistence"), "rdb_saves"));
    source.call("BGSAVE");
    while (true) {
      String info = source.call("INFO", "persistence");
      if ("0".equals(BenchRedis.field(info, "rdb_bgsave_in_progress"))
          && Long.parseLong(BenchRedis.field(info, "rdb_saves")) > before) {
        if (!"ok".equals(BenchRedis.field(info, "rdb_last_bgsave_status"))) {
          throw new IllegalStateException("BGSAVE failed: " + info);
        }
        break;
      }
      BenchRedis.sleep(10);
    }
    Files.copy(source.rdb(), copy, StandardCopyOption.REPLACE_EXISTING);
    return null;
  }

  private void checkBackup(OurRedisActions ours, RedisBackupResult result) {
    if (result.keys() != options.keys()) {
      throw new IllegalStateException(
          "redis.backup counted " + result.keys() + " keys, not " + options.keys());
    }
    BackupMetadata.TableFingerprint db0 =
        ours.metadata(result.backupId()).fingerprints().get("db0");
    if (db0 == null || db0.checksum() == null || db0.rowCount() != options.keys()) {
      throw new IllegalStateException(
          "redis.backup recorded "
              + db0
              + " for db0: a count of "
              + options.keys()
              + " and a key-set fingerprint were expected (nothing writes to the source)");
    }
    results.note("fingerprint", db0.checksum());
  }

  /** A key the restore must remove. */
  private static void mark(BenchRedis server) {
    server.redis(redis -> redis.set(MARKER, "1"));
  }

  private void checkRestored(BenchRedis server) {
    server.redis(
        redis -> {
          long keys = redis.dbsize();
          if (keys != options.keys() || redis.exists(MARKER) != 0) {
            throw new IllegalStateException(
                "the restored server holds "
                    + keys
                    + " keys, marker "
                    + (redis.exists(MARKER) != 0 ? "still there" : "gone")
                    + "; expected "
                    + options.keys());
          }
          SplittableRandom random = new SplittableRandom(keys);
          for (int sample = 0; sample < 100; sample++) {
            int i = random.nextInt(options.keys());
            String value = redis.get(new String(key(i), StandardCharsets.US_ASCII));
            if (!new String(value(i), StandardCharsets.US_ASCII).equals(value)) {
              throw new IllegalStateException(
                  "the restored value of "
                      + new String(key(i), StandardCharsets.US_ASCII)
                      + " differs: "
                      + value);
            }
          }
          return null;
        });
  }

  /** The pieces of the work, each alone, in this round. */
  private void parts(BenchRedis source, Path rdb, Path dir) throws Exception {
    results.measure(
        PART_SCAN,
        source,
        () -> {
          scanAll(source);
          return null;
        });
    results.measure(
        PART_CHECK,
        () -> {
          BenchCluster.run(
              List.of(
                  BenchRedis.binDirectory().resolve("redis-check-rdb").toString(), rdb.toString()));
          return null;
        });
    results.measure(
        PART_KEYSETS,
        () -> {
          Map<Integer, RdbKeySets.Database> databases = RdbKeySets.read(rdb, new AtomicLong());
          if (databases.get(0).keys() != options.keys()) {
            throw new IllegalStateException(
                "the RDB holds " + databases.get(0).keys() + " keys in db0, not " + options.keys());
          }
          return null;
        });
    Path partStore = dir.resolve("part-store");
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(partStore))) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata written =
          results.measure(
              PART_STORE_WRITE,
              () -> {
                try (InputStream in = Files.newInputStream(rdb)) {
                  return catalog.write(BackupRequest.of("redis", BackupType.MANUAL, "rdb"), in);
                }
              });
      results.measure(
          PART_STORE_READ,
          () -> {
            try (InputStream in = catalog.open(written)) {
              in.transferTo(OutputStream.nullOutputStream());
            }
            return null;
          });
    }
    BenchCluster.run(List.of("rm", "-rf", partStore.toString()));
  }

  private static long scanAll(BenchRedis server) {
    try (StatefulRedisConnection<byte[], byte[]> connection =
        server.client().connect(ByteArrayCodec.INSTANCE)) {
      long keys = 0;
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = connection.sync().scan(cursor, ScanArgs.Builder.limit(10_000));
        keys += page.getKeys().size();
        cursor = page;
      } while (!cursor.isFinished());
      return keys;
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** The raw contender and ours; ours first when {@code oursFirst}. */
  private static void pair(boolean oursFirst, Step raw, Step ours) throws Exception {
    (oursFirst ? ours : raw).run();
    (oursFirst ? raw : ours).run();
  }

  private static String version(String program) {
    try {
      Process process = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      int at = text.indexOf("v=");
      return "redis-server " + (at < 0 ? text.strip() : text.substring(at + 2).split(" ")[0]);
    } catch (IOException e) {
      return "redis-server (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "redis-server (version unknown)";
    }
  }
}
