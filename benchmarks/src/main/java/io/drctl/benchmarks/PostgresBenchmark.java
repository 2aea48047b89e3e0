package io.drctl.benchmarks;

import static io.drctl.benchmarks.BenchmarkResults.loadAverage;
import static io.drctl.benchmarks.PostgresBenchmarkReport.baseRaw;
import static io.drctl.benchmarks.PostgresBenchmarkReport.pitrRaw;

import io.drctl.benchmarks.PostgresBenchmarkReport.Work;
import io.drctl.sandbox.Dataset;
import io.drctl.store.StoreConfig;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import io.drctl.testing.S3ProxyProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * drctl's PostgreSQL backup and restore actions against the raw tools and pgBackRest, on one real
 * PostgreSQL 15 cluster seeded with the sandbox's dataset, measured in the same run and interleaved
 * (each round runs every contender once; which of a pair goes first alternates by round):
 *
 * <ul>
 *   <li>dump: {@code postgres.dump} into a local backup store, against {@code pg_dump -Fc -f FILE};
 *       and in the directory format with 2 jobs, against {@code pg_dump -Fd -j2 -f DIR};
 *   <li>restore: {@code postgres.restore} from the store, against {@code pg_restore -j2 -d DB FILE}
 *       into a new database, both on a second cluster that does not archive;
 *   <li>dump and restore through an S3 store (S3Proxy, a child JVM on this machine), against the
 *       same raw tools with a local file;
 *   <li>base backup: {@code postgres.basebackup} into the store (its defaults, and compression
 *       zstd), against pgBackRest's {@code backup --type=full} in each of its {@link
 *       PgBackRest.Setting settings}: its defaults and two processes with lz4 or zstd;
 *   <li>PITR: {@code postgres.pitr} from that base backup, against pgBackRest's {@code restore
 *       --type=time}, each into an empty data directory of its own, replaying the same WAL (about
 *       {@code --wal-mb} generated after both base backups) up to the same target time; the time
 *       runs until the restored server has left recovery.
 * </ul>
 *
 * Our actions run as a worker runs them, through Temporal's {@code TestActivityEnvironment}
 * (heartbeats included). The source cluster archives each WAL segment with pgBackRest's {@code
 * archive-push} and into a plain directory, from which the segments are pushed, unmeasured, into
 * the store's WAL archive, as {@code drctl wal push} would. Every restore is checked (rows of the
 * WAL table up to the target, none after it).
 *
 * <p>Options: {@code --size-mb N} dataset size (default 700; scale 1, about 10 MB, is the least),
 * {@code --rounds N} (default 1), {@code --wal-mb N} (default 256), {@code --dir DIR} (where its
 * own new working directory goes, default /tmp; needs about 10 times the size free), {@code --keep}
 * (leave that directory and its clusters' files behind).
 */
public final class PostgresBenchmark {
  static final String DATABASE = "bench";
  static final String WAL_DATABASE = "walgen";
  static final String DUMP_RAW = "dump: pg_dump -Fc -f FILE";
  static final String DUMP_OURS =
      "dump: drctl postgres.dump → local store (defaults: fingerprints on)";
  static final String DUMP_OURS_BARE = "dump: drctl postgres.dump → local store, fingerprints off";
  static final String DUMP_DIRECTORY_RAW = "dump: pg_dump -Fd -j2 -f DIR";
  static final String DUMP_DIRECTORY_OURS =
      "dump: drctl postgres.dump format directory, jobs 2 → local store (fingerprints on)";
  static final String RESTORE_RAW = "restore: createdb + pg_restore -j2 -d DB FILE";
  static final String RESTORE_OURS = "restore: drctl postgres.restore from the store, jobs 2";
  static final String DUMP_OURS_S3 =
      "dump: drctl postgres.dump → S3Proxy store (defaults: fingerprints on)";
  static final String RESTORE_OURS_S3 =
      "restore: drctl postgres.restore from the S3Proxy store, jobs 2";
  static final String BASE_RAW = "base backup: pgbackrest backup --type=full";
  static final String BASE_OURS = "base backup: drctl postgres.basebackup (tar, gzip, verify)";
  static final String BASE_OURS_BEST =
      "base backup: drctl postgres.basebackup compression zstd (tar, verify)";
  static final String PITR_RAW =
      "PITR: pgbackrest restore --type=time + start + replay to promotion";
  static final String PITR_OURS =
      "PITR: drctl postgres.pitr (extract + stage WAL + replay to promotion)";
  static final String PITR_OURS_BEST = "PITR: drctl postgres.pitr from the zstd base backup";

  private final Options options;
  private final PostgresBenchmarkReport results = new PostgresBenchmarkReport();
  private final Set<String> pushedWal = new HashSet<>();
  private long walRows;

  private PostgresBenchmark(Options options) {
    this.options = options;
  }

  /** The parsed command line. */
  record Options(int sizeMb, int rounds, int walMb, Path dir, boolean keep) {
    int scale() {
      return Math.max(1, Math.round(sizeMb / 10.8f));
    }

    static Options parse(String[] args) {
      int sizeMb = 700;
      int rounds = 1;
      int walMb = 256;
      Path dir = null;
      boolean keep = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--size-mb" -> sizeMb = BenchmarkMain.positive(args, ++i);
          case "--rounds" -> rounds = BenchmarkMain.positive(args, ++i);
          case "--wal-mb" -> walMb = BenchmarkMain.positive(args, ++i);
          case "--dir" -> dir = Path.of(BenchmarkMain.value(args, i++));
          case "--keep" -> keep = true;
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; options: --size-mb N, --rounds N, --wal-mb N, --dir DIR, --keep");
        }
      }
      return new Options(sizeMb, rounds, walMb, dir, keep);
    }
  }

  public static void main(String[] args) {
    BenchmarkMain.main(
        "PostgreSQL", args, Options::parse, options -> new PostgresBenchmark(options).run());
  }

  /** Runs the benchmark and prints the report; also the smoke test's entry. */
  static void run(String... args) throws Exception {
    new PostgresBenchmark(Options.parse(args)).run();
  }

  private void run() throws Exception {
    Path bindir =
        Path.of(System.getenv().getOrDefault("DRCTL_PG_BINDIR", "/usr/lib/postgresql/15/bin"));
    if (!Files.isExecutable(bindir.resolve("initdb"))) {
      throw new IllegalStateException(
          "no PostgreSQL 15 binaries in " + bindir + " (DRCTL_PG_BINDIR)");
    }
    if (Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .noneMatch(entry -> Files.isExecutable(Path.of(entry, "pgbackrest")))) {
      throw new IllegalStateException(
          "pgbackrest is not on the PATH: apt-get install -y pgbackrest");
    }
    // A new directory, removed at the end; short: unix socket paths are limited to 107 bytes.
    Path parent = options.dir() != null ? options.dir() : Path.of("/tmp");
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "drpgb-");
    BenchCluster.ownedDirectory(dir);
    System.out.printf(
        Locale.ROOT,
        "# PostgreSQL benchmark: dataset scale %d (--size-mb %d), %d MB of WAL per"
            + " round, %d round(s), %d cores, load average at start %s, in %s%n",
        options.scale(),
        options.sizeMb(),
        options.walMb(),
        options.rounds(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        dir);
    List<BenchCluster> clusters = new ArrayList<>();
    try (S3ProxyProcess s3 = S3ProxyProcess.start(dir.resolve("s3proxy"));
        OurActions ours = new OurActions(bindir, dir.resolve("store"), s3)) {
      s3.createBucket(OurActions.S3_BUCKET);
      Path walCopies = dir.resolve("wal-copies");
      BenchCluster.ownedDirectory(walCopies);
      Path pgbackrestDir = dir.resolve("pgbackrest");
      // The archive command needs the stanza's configuration, which needs the cluster's port:
      // the cluster starts without an archive_command and is restarted once it has one.
      BenchCluster source =
          BenchCluster.create(
              bindir,
              dir.resolve("source"),
              dir,
              List.of("archive_mode = on", "include_if_exists = 'archive.conf'"));
      clusters.add(source);
      // Logical restores go to a cluster of their own that does not archive: the WAL a 700 MB
      // restore writes would otherwise be gzipped by archive-push while the next contender runs.
      BenchCluster logical = BenchCluster.create(bindir, dir.resolve("logical"), dir, List.of());
      clusters.add(logical);
      PgBackRest pgbackrest = PgBackRest.configure(pgbackrestDir, source);
      Path archiveConf = source.data().resolve("archive.conf");
      Files.writeString(
          archiveConf,
          "archive_command = '"
              + pgbackrest.archivePushCommand()
              + " && cp %p "
              + walCopies
              + "/%f'\n",
          StandardCharsets.UTF_8);
      BenchCluster.run(List.of("chown", "postgres:postgres", archiveConf.toString()));
      source.stop();
      source.start();
      pgbackrest.stanzaCreate();
      seed(source);

      BenchCluster restoredOurs = BenchCluster.restoreTarget(bindir, dir.resolve("pitr-ours"), dir);
      BenchCluster restoredRaw =
          BenchCluster.restoreTarget(bindir, dir.resolve("pitr-pgbackrest"), dir);
      clusters.add(restoredOurs);
      clusters.add(restoredRaw);
      Map<String, com.fasterxml.jackson.databind.JsonNode> targets =
          ours.targets(source, logical, restoredOurs);
      for (int round = 1; round <= options.rounds(); round++) {
        boolean oursFirst = round % 2 == 0;
        Path dumpFile = dir.resolve("raw.dump");
        String[] dumpId = new String[1];
        String[] s3DumpId = new String[1];
        pair(
            oursFirst,
            () ->
                results.measure(
                    DUMP_RAW,
                    () ->
                        BenchCluster.run(
                            List.of(
                                bindir.resolve("pg_dump").toString(),
                                "-h",
                                "127.0.0.1",
                                "-p",
                                String.valueOf(source.port()),
                                "-U",
                                "postgres",
                                "-Fc",
                                "-f",
                                dumpFile.toString(),
                                DATABASE))),
            () -> {
              results.measure(DUMP_OURS, () -> dumpId[0] = ours.dump(targets, true).backupId());
              results.measure(DUMP_OURS_BARE, () -> ours.dump(targets, false));
              results.measure(
                  DUMP_OURS_S3, () -> s3DumpId[0] = ours.dump(targets, true, "s3").backupId());
            });
        results.note(
            "dump size",
            String.format(
                Locale.ROOT,
                "pg_dump file %d MB, stored dump %d MB",
                Files.size(dumpFile) >> 20,
                ours.storedSize(dumpId[0]) >> 20));
        Path dumpDirectory = dir.resolve("raw.dir");
        BenchCluster.run(List.of("rm", "-rf", dumpDirectory.toString()));
        String[] directoryId = new String[1];
        pair(
            oursFirst,
            () ->
                results.measure(
                    DUMP_DIRECTORY_RAW,
                    () ->
                        BenchCluster.run(
                            List.of(
                                bindir.resolve("pg_dump").toString(),
                                "-h",
                                "127.0.0.1",
                                "-p",
                                String.valueOf(source.port()),
                                "-U",
                                "postgres",
                                "-Fd",
                                "-j",
                                "2",
                                "-f",
                                dumpDirectory.toString(),
                                DATABASE))),
            () ->
                results.measure(
                    DUMP_DIRECTORY_OURS,
                    () -> directoryId[0] = ours.dumpDirectory(targets, 2).backupId()));
        results.note(
            "directory dump size",
            String.format(
                Locale.ROOT,
                "pg_dump -Fd directory %d MB, stored tar %d MB",
                directorySize(dumpDirectory) >> 20,
                ours.storedSize(directoryId[0]) >> 20));
        BenchCluster.run(List.of("rm", "-rf", dumpDirectory.toString()));

        logical.execute(
            "postgres",
            "drop database if exists bench_raw",
            "drop database if exists bench_ours",
            "drop database if exists bench_s3");
        pair(
            oursFirst,
            () ->
                results.measure(
                    RESTORE_RAW,
                    () -> {
                      logical.execute("postgres", "create database bench_raw template template0");
                      BenchCluster.run(
                          List.of(
                              bindir.resolve("pg_restore").toString(),
                              "-j",
                              "2",
                              "-h",
                              "127.0.0.1",
                              "-p",
                              String.valueOf(logical.port()),
                              "-U",
                              "postgres",
                              "-d",
                              "bench_raw",
                              dumpFile.toString()));
                    }),
            () -> {
              results.measure(RESTORE_OURS, () -> ours.restore(targets, dumpId[0], "bench_ours"));
              results.measure(
                  RESTORE_OURS_S3, () -> ours.restore(targets, s3DumpId[0], "bench_s3", "s3"));
            });
        checkRestoredDatabase(logical, "bench_raw");
        checkRestoredDatabase(logical, "bench_ours");
        checkRestoredDatabase(logical, "bench_s3");
        logical.execute(
            "postgres",
            "drop database bench_raw",
            "drop database bench_ours",
            "drop database bench_s3");
        awaitArchived(
            source); // nothing of the previous round left to archive during the base backups

        String[] baseId = new String[2];
        Map<PgBackRest.Setting, String> labels = new LinkedHashMap<>();
        pair(
            oursFirst,
            () -> {
              for (PgBackRest.Setting setting : PgBackRest.Setting.values()) {
                results.measure(
                    baseRaw(setting), () -> labels.put(setting, pgbackrest.fullBackup(setting)));
              }
            },
            () -> {
              results.measure(BASE_OURS, () -> baseId[0] = ours.basebackup(targets).backupId());
              results.measure(
                  BASE_OURS_BEST, () -> baseId[1] = ours.basebackup(targets, "zstd").backupId());
            });

        String targetTime = generateWal(source);
        pushWal(walCopies, ours.storeRoot(), source.data());
        long expectedMarkers = round - 1;
        pair(
            oursFirst,
            () -> {
              for (PgBackRest.Setting setting : PgBackRest.Setting.values()) {
                resetDataDirectory(restoredRaw, false);
                results.measure(
                    pitrRaw(setting),
                    () -> {
                      // pgBackRest's form of the same instant: "YYYY-MM-DD HH:MM:SS.mmm+00".
                      pgbackrest.restoreToTime(
                          restoredRaw,
                          labels.get(setting),
                          targetTime.replace('T', ' ').replace("+00:00", "+00"),
                          setting);
                      restoredRaw.start();
                      restoredRaw.awaitPromoted(100, 6 * 3600_000L);
                    });
                checkRecovered(restoredRaw, expectedMarkers);
                restoredRaw.stop();
              }
            },
            () -> {
              for (int i = 0; i < 2; i++) {
                String base = baseId[i];
                resetDataDirectory(restoredOurs, true);
                results.measure(
                    i == 0 ? PITR_OURS : PITR_OURS_BEST,
                    () -> ours.pitr(targets, base, targetTime));
                checkRecovered(restoredOurs, expectedMarkers);
                restoredOurs.stop();
              }
            });
        System.out.printf(Locale.ROOT, "round %d done (load average %s)%n", round, loadAverage());
      }
      results.print();
    } finally {
      for (BenchCluster cluster : clusters) {
        try {
          cluster.stop();
        } catch (RuntimeException e) {
          System.err.println(
              "could not stop the cluster in " + cluster.directory() + ": " + e.getMessage());
        }
      }
      if (!options.keep()) {
        BenchCluster.run(List.of("rm", "-rf", dir.toString()));
      }
    }
  }

  private void seed(BenchCluster source) throws Exception {
    source.execute("postgres", "create database " + DATABASE, "create database " + WAL_DATABASE);
    source.execute(
        WAL_DATABASE,
        "create table wal_rows (id bigint primary key, payload text)",
        "create table markers (round int primary key, at timestamptz default clock_timestamp())");
    try (Connection connection = source.connect(DATABASE)) {
      Dataset.SeedResult seeded = Dataset.seed(connection, options.scale());
      String databaseSize =
          source.value("postgres", "select pg_size_pretty(pg_database_size('" + DATABASE + "'))");
      System.out.printf(
          Locale.ROOT,
          "seeded %.0f MB of tables and indexes (database %s) in %.0f s%n",
          seeded.megabytes(),
          databaseSize,
          seeded.took().toMillis() / 1000.0);
    }
    source.execute("postgres", "checkpoint");
  }

  /**
   * Commits about {@code --wal-mb} of WAL in the WAL database (batches of 20,000 rows), then takes
   * the target time between that and one marker commit after it, switches and waits until the
   * segment holding the marker is archived. Returns the target time (RFC 3339, UTC, milliseconds:
   * what pgBackRest parses).
   */
  private String generateWal(BenchCluster source) throws Exception {
    String start = source.value("postgres", "select pg_current_wal_lsn()");
    long goal = (long) options.walMb() << 20;
    while (Long.parseLong(
            source.value(
                "postgres",
                "select pg_wal_lsn_diff(pg_current_wal_lsn(), '" + start + "')::bigint"))
        < goal) {
      source.execute(
          WAL_DATABASE,
          "insert into wal_rows select g, repeat(md5(g::text), 6) from generate_series("
              + (walRows + 1)
              + ", "
              + (walRows + 20_000)
              + ") g");
      walRows += 20_000;
    }
    Thread.sleep(1100);
    String target =
        source.value(
            "postgres",
            "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+00:00\"')");
    Thread.sleep(1100);
    long round = Long.parseLong(source.value(WAL_DATABASE, "select count(*) from markers")) + 1;
    source.execute(WAL_DATABASE, "insert into markers (round) values (" + round + ")");
    awaitArchived(source);
    results.note(
        "WAL replayed",
        String.format(
            Locale.ROOT,
            "%d MB of WAL generated after the base backups" + " (%d rows so far), target time %s",
            options.walMb(),
            walRows,
            target));
    return target;
  }

  /** Switches WAL and waits (at most 30 minutes) until that segment is archived. */
  private static void awaitArchived(BenchCluster source) throws InterruptedException {
    String segment = source.value("postgres", "select pg_walfile_name(pg_switch_wal())");
    long deadline = System.nanoTime() + 1800_000_000_000L;
    while (true) {
      String archived =
          source.value("postgres", "select coalesce(last_archived_wal, '') from pg_stat_archiver");
      if (archived.length() == segment.length() && archived.compareTo(segment) >= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            segment + " was not archived within 30 minutes; last archived: " + archived);
      }
      Thread.sleep(100);
    }
  }

  /** What {@code archive_command = 'drctl wal push %p'} would have stored: the new segments. */
  private void pushWal(Path walCopies, Path storeRoot, Path sourceData) throws IOException {
    long started = System.nanoTime();
    int pushed = 0;
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeRoot));
        Stream<Path> files = Files.list(walCopies)) {
      WalArchive archive = new WalArchive(store, CatalogRetention.WAL_PREFIX);
      // History and .backup files carry no system identifier: the source's pg_control has it.
      SystemIdentifier cluster = SystemIdentifier.ofDataDirectory(sourceData);
      for (Path file : files.sorted().toList()) {
        if (pushedWal.add(file.getFileName().toString())) {
          archive.push(cluster, file.getFileName().toString(), file);
          pushed++;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "pushed %d WAL files into the store's archive in %.1f s (not measured)%n",
        pushed,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Empties a restore target's data directory. Ours keeps a postmaster.opts naming its port, as a
   * data directory where a server has run has: {@code postgres.pitr} restarts the server with it.
   */
  private static void resetDataDirectory(BenchCluster target, boolean withOptions)
      throws IOException {
    target.stop();
    BenchCluster.run(List.of("rm", "-rf", target.data().toString()));
    BenchCluster.ownedDirectory(target.data());
    if (withOptions) {
      Path opts = target.data().resolve("postmaster.opts");
      Files.writeString(
          opts,
          target.bindir().resolve("postgres")
              + " \"-D\" \""
              + target.data()
              + "\" \"-p\" \""
              + target.port()
              + "\"\n",
          StandardCharsets.UTF_8);
      BenchCluster.run(List.of("chown", "postgres:postgres", opts.toString()));
    }
  }

  private void checkRecovered(BenchCluster restored, long expectedMarkers) {
    long rows = Long.parseLong(restored.value(WAL_DATABASE, "select count(*) from wal_rows"));
    long markers = Long.parseLong(restored.value(WAL_DATABASE, "select count(*) from markers"));
    if (rows != walRows || markers != expectedMarkers) {
      throw new IllegalStateException(
          "the cluster recovered in "
              + restored.data()
              + " has "
              + rows
              + " WAL rows and "
              + markers
              + " markers; expected "
              + walRows
              + " and "
              + expectedMarkers);
    }
  }

  private static void checkRestoredDatabase(BenchCluster source, String database) throws Exception {
    try (Connection connection = source.connect(database)) {
      Dataset.Verification verification = Dataset.verify(connection);
      if (!verification.ok()) {
        throw new IllegalStateException(
            "restored database "
                + database
                + " differs from the dataset's manifest: "
                + verification.mismatches());
      }
    }
  }

  /** The raw contender and ours; ours first when {@code oursFirst}. */
  private static void pair(boolean oursFirst, Work raw, Work ours) throws Exception {
    (oursFirst ? ours : raw).run();
    (oursFirst ? raw : ours).run();
  }

  private static long directorySize(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      long total = 0;
      for (Path file : files.toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }
}
