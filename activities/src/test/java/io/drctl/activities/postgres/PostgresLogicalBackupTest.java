package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.catalog.PendingBackup;
import io.drctl.store.local.LocalDirectories;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.pipeline.Compression;
import io.temporal.failure.ApplicationFailure;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** dump to a real local backup store and restore from it, on a real server of this class. */
class PostgresLogicalBackupTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static TestCluster server;

  @TempDir Path storeDirectory;
  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void cluster() {
    server = clusters.freshPrimary("logical");
    server.execute("create database shop");
  }

  @BeforeEach
  void start() throws Exception {
    for (String aside :
        server.column("select datname from pg_database where datname like 'shop\\_%'")) {
      server.execute("drop database \"" + aside + "\"");
    }
    try (var connection = server.connect("shop");
        var statement = connection.createStatement()) {
      statement.execute("drop table if exists orders, customers");
      statement.execute("create table customers (id int primary key, name text)");
      statement.execute(
          "create table orders (id int primary key, customer_id int references customers, amount numeric)");
      statement.execute("insert into customers select i, 'c' || i from generate_series(1, 200) i");
      statement.execute(
          "insert into orders select i, 1 + i % 200, i * 0.5 from generate_series(1, 3000) i");
    }
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    targets =
        targets(
            "db",
            server.target().put("database", "shop"),
            "store",
            JsonNodeFactory.instance
                .objectNode()
                .put("kind", "backupStore")
                .put("store", "local")
                .put("path", storeDirectory.toString()));
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void dumpStoresTheArchiveWithRowCountsAndRowHashFingerprintsOfEveryTable() throws Exception {
    PostgresDumpResult result = activities.dump(dumpInput());

    assertThat(result.tables()).isEqualTo(2);
    assertThat(result.rows()).isEqualTo(3200);
    assertThat(result.database()).isEqualTo("shop");
    assertThat(result.checksum()).matches("sha256:[0-9a-f]{64}");
    assertThat(Path.of(result.location())).exists().hasSize(result.sizeBytes());
    BackupMetadata metadata = metadata(result.backupId());
    String expected =
        "record-hash-sum:"
            + value("select sum(hashint8extended(hash_record_extended(t, 0), 0)) from orders t");
    assertThat(metadata.fingerprints().get("public.orders"))
        .isEqualTo(new BackupMetadata.TableFingerprint(3000, expected));
    assertThat(metadata.type().name()).isEqualTo("WEEKLY");
    assertThat(Files.readAllBytes(Path.of(result.location()))).startsWith("PGDMP".getBytes());
  }

  @Test
  void restoreBringsBackTheDumpedContentAndKeepsTheReplacedDatabaseAside() throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    String before = value("select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from orders t");
    execute(
        "delete from orders where id > 100",
        "insert into customers values (999, 'after the dump')");

    PostgresRestoreResult result = activities.restore(restoreInput("latest"));

    assertThat(result.backupId()).isEqualTo(dump.backupId());
    assertThat(result.tables()).isEqualTo(2);
    assertThat(result.rows()).isEqualTo(3200);
    assertThat(value("select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from orders t"))
        .isEqualTo(before);
    assertThat(value("select count(*) from customers where id = 999")).isEqualTo("0");
    assertThat(
            server.column(
                "select datname from pg_database where datname like 'shop_pre_restore_%'"))
        .hasSize(1);
    assertThat(
            server.column("select datname from pg_database where datname = 'shop_drctl_restoring'"))
        .isEmpty();
  }

  @Test
  void verifyMatchesARestoredDatabaseWithTheBackupsRecordedCountsAndFingerprints()
      throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    execute(
        "update orders set amount = amount + 1 where id = 5",
        "insert into customers values (1001, 'new')");

    PostgresVerifyResult drifted =
        activities.verify(
            new PostgresVerifyInput(
                "db",
                null,
                "store",
                dump.backupId(),
                null,
                null,
                false,
                null,
                null,
                false,
                targets));
    activities.restore(restoreInput(dump.backupId()));
    PostgresVerifyResult restored =
        activities.verify(
            new PostgresVerifyInput(
                "db", null, "store", dump.backupId(), null, null, null, null, null, null, targets));

    assertThat(drifted.ok()).isFalse();
    assertThat(drifted.rowCountMismatches()).isEqualTo(1);
    assertThat(drifted.fingerprintMismatches()).isEqualTo(1);
    assertThat(drifted.summary())
        .contains("rowCount public.customers: expected 200, got 201", "fingerprint public.orders");
    assertThat(restored.ok()).isTrue();
    assertThat(restored.tablesChecked()).isEqualTo(2);
    assertThat(restored.totalRows()).isEqualTo(3200);
  }

  @Test
  void aSafetyDumpOfSomeTablesIsTakenOncePerIncidentAndCanBeRestored() throws Exception {
    PostgresSnapshotResult first =
        activities.snapshot(
            new PostgresSnapshotInput(
                "db", "store", "dump", List.of("orders"), null, "pre-selective", targets));
    PostgresSnapshotResult again =
        activities.snapshot(
            new PostgresSnapshotInput(
                "db", "store", "dump", List.of("orders"), null, "pre-selective", targets));

    assertThat(first.method()).isEqualTo("dump");
    assertThat(first.snapshotId()).startsWith("safety_").endsWith("_pre-selective");
    assertThat(again.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(again.createdAt()).isEqualTo(first.createdAt());
    BackupMetadata metadata = metadata(first.snapshotId());
    assertThat(metadata.fingerprints()).containsOnlyKeys("public.orders");
    assertThat(metadata.fingerprints().get("public.orders").rowCount()).isEqualTo(3000);
  }

  @Test
  void aSafetyCopyOfARunningServersDataDirectoryIsABaseBackup() {
    PostgresSnapshotResult result =
        activities.snapshot(
            new PostgresSnapshotInput("db", "store", null, null, null, null, targets));

    assertThat(result.method()).isEqualTo("basebackup");
    assertThat(result.snapshotId()).endsWith("_pre-change");
    assertThat(metadata(result.snapshotId()).wal()).isNotNull();
    assertThat(Path.of(result.location())).exists();
  }

  @Test
  void aRetryAfterACrashedRestoreStartsFromAFreshScratchDatabase() throws Exception {
    activities.dump(dumpInput());
    // What a worker killed during pg_restore leaves behind: a half-filled scratch database.
    server.execute("create database shop_drctl_restoring");
    try (var connection = server.connect("shop_drctl_restoring");
        var statement = connection.createStatement()) {
      statement.execute(
          "create table orders (id int primary key, customer_id int, amount numeric)");
      statement.execute("insert into orders values (1, 1, 1), (2, 2, 2)");
    }

    PostgresRestoreResult result = activities.restore(restoreInput("latest"));

    assertThat(result.rows()).isEqualTo(3200);
    assertThat(value("select count(*) from orders")).isEqualTo("3000");
    assertThat(value("select count(*) - count(distinct id) from orders")).isEqualTo("0");
  }

  @Test
  void aRetryStopsAPgRestoreThatAKilledAttemptLeftWritingIntoTheScratchDatabase() throws Exception {
    activities.dump(dumpInput());
    // A worker killed with SIGKILL leaves its pg_restore running as an orphan, with the scratch
    // database's connection arguments; this one waits for its archive on stdin, which never comes.
    Process orphan =
        new ProcessBuilder(
                Path.of(clusters.bindir(), "pg_restore").toString(),
                "--exit-on-error",
                "--no-password",
                "-j",
                "2",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(server.port()),
                "-U",
                "postgres",
                "-d",
                "shop_drctl_restoring")
            .redirectErrorStream(true)
            .start();
    try {
      PostgresRestoreResult result = activities.restore(restoreInput("latest"));

      assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
          .as("the orphaned pg_restore ended")
          .isTrue();
      assertThat(result.rows()).isEqualTo(3200);
      assertThat(value("select count(*) - count(distinct id) from orders")).isEqualTo("0");
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void anOrphanOfAnEarlierAttemptOnAnotherHostCannotWriteIntoTheRetrysScratchDatabase()
      throws Exception {
    activities.dump(dumpInput());
    // A parallel pg_restore's leader, orphaned on a host the retry cannot reach, connects again
    // to its scratch database by name once its workers are done: here, every few milliseconds.
    java.util.concurrent.atomic.AtomicBoolean restoring =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger wrote =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread orphan =
        new Thread(
            () -> {
              while (restoring.get()) {
                try (var connection = server.connect("shop_drctl_restoring");
                    var statement = connection.createStatement()) {
                  statement.execute("create table if not exists orphan_wrote_here (n int)");
                  wrote.incrementAndGet();
                } catch (Exception refused) {
                  // no such database (yet): try again
                }
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "orphaned-pg_restore-leader");
    orphan.start();
    try {
      activities.restore(restoreInput("latest"));
    } finally {
      restoring.set(false);
      orphan.join();
    }

    assertThat(value("select count(*) from pg_tables where tablename = 'orphan_wrote_here'"))
        .isEqualTo("0");
    assertThat(wrote.get()).as("connections the orphan got into a scratch database").isZero();
    assertThat(server.column("select datname from pg_database where datname like 'shop\\_drctl%'"))
        .isEmpty();
  }

  @Test
  void aRetryDeletesTheDownloadAKilledAttemptLeftAndARestoreLeavesNone() throws Exception {
    activities.dump(dumpInput());
    Path leftover =
        RestoreLeftovers.download(
            PostgresTarget.of(targets, "target", "db").withDatabase("shop_drctl_restoring"));
    Files.write(leftover, new byte[1 << 20]); // what a killed attempt had downloaded

    activities.restore(restoreInput("latest"));

    assertThat(leftover).doesNotExist();
    assertThat(value("select count(*) from orders")).isEqualTo("3000");
  }

  @Test
  void aCorruptBackupIsANonRetryableBackupCorruptAndTheDatabaseIsUntouched() throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    assertARestoreOfItWithAFlippedByteIsBackupCorruptAndTouchesNothing(dump);
  }

  @Test
  void aDirectoryDumpWithTwoJobsRestoresIdenticalCountsAndFingerprintsAndLeavesNoTemporaryFiles()
      throws Exception {
    List<Path> temporaryBefore = temporary();
    PostgresDumpResult dump =
        activities.dump(
            new PostgresDumpInput(
                "db", "store", null, "weekly", "directory", 2, null, null, null, "test", targets));
    String before = value("select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from orders t");
    execute(
        "delete from orders where id > 100", "update customers set name = 'changed' where id = 7");

    PostgresRestoreResult restored = activities.restore(restoreInput(dump.backupId()));
    PostgresVerifyResult verified =
        activities.verify(
            new PostgresVerifyInput(
                "db", null, "store", dump.backupId(), null, null, null, null, null, null, targets));

    BackupMetadata metadata = metadata(dump.backupId());
    assertThat(metadata.dataFile()).endsWith(".dir.tar");
    assertThat(metadata.compression()).isEqualTo(Compression.NONE);
    assertThat(tarEntries(Path.of(dump.location())))
        .contains("toc.dat")
        .allMatch(name -> name.equals("toc.dat") || name.matches("[0-9]+\\.dat\\.gz"))
        .filteredOn(name -> name.endsWith(".dat.gz"))
        .hasSize(2);
    assertThat(dump.rows()).isEqualTo(3200);
    assertThat(metadata.fingerprints().get("public.orders").checksum())
        .startsWith("record-hash-sum:");
    assertThat(restored.rows()).isEqualTo(3200);
    assertThat(value("select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from orders t"))
        .isEqualTo(before);
    assertThat(value("select name from customers where id = 7")).isEqualTo("c7");
    assertThat(verified.ok()).as(verified.summary()).isTrue();
    assertThat(verified.tablesChecked()).isEqualTo(2);
    assertThat(temporary()).as("the dump's temporary directories").isEqualTo(temporaryBefore);
    assertThat(
            RestoreLeftovers.downloadDirectory(
                PostgresTarget.of(targets, "target", "db").withDatabase("shop_drctl_restoring")))
        .doesNotExist();
  }

  @Test
  void aDirectoryDumpRemovesTheDirectoryAndTheOrphanedPgDumpOfAKilledWorkerButNotALiveOnes()
      throws Exception {
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    // A worker killed while pg_dump -Fd wrote: its directory names a process that is gone, and its
    // pg_dump goes on (paused here, so that it is certainly alive when the next dump starts).
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path abandoned = Files.createTempDirectory(temporary, "drctl-dump-");
    Files.writeString(abandoned.resolve(OwnedTempDirectory.OWNER_FILE), gone.pid() + " 1\n");
    Process orphan =
        new ProcessBuilder(
                Path.of(clusters.bindir(), "pg_dump").toString(),
                "-Fd",
                "-f",
                abandoned.resolve("dump").toString(),
                "--no-password",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(server.port()),
                "-U",
                "postgres",
                "shop")
            .redirectErrorStream(true)
            .start();
    new ProcessBuilder("kill", "-STOP", String.valueOf(orphan.pid())).start().waitFor();
    // Another worker's dump in progress on the same host: its owner is alive.
    Path live = Files.createTempDirectory(temporary, "drctl-dump-");
    Files.writeString(
        live.resolve(OwnedTempDirectory.OWNER_FILE),
        ProcessHandle.current().pid()
            + " "
            + ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli()
            + "\n");
    try {
      activities.dump(
          new PostgresDumpInput(
              "db", "store", null, "weekly", "directory", 2, null, null, null, "test", targets));

      assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
          .as("the orphaned pg_dump ended")
          .isTrue();
      assertThat(abandoned).doesNotExist();
      assertThat(live).isDirectory();
    } finally {
      orphan.destroyForcibly();
      LocalDirectories.deleteRecursively(abandoned);
      LocalDirectories.deleteRecursively(live);
    }
  }

  @Test
  void aCorruptDirectoryDumpIsBackupCorruptBeforeTheDatabaseIsTouched() throws Exception {
    PostgresDumpResult dump =
        activities.dump(
            new PostgresDumpInput(
                "db", "store", null, "weekly", "directory", 2, null, null, null, "test", targets));
    assertARestoreOfItWithAFlippedByteIsBackupCorruptAndTouchesNothing(dump);
    assertThat(
            RestoreLeftovers.downloadDirectory(
                PostgresTarget.of(targets, "target", "db").withDatabase("shop_drctl_restoring")))
        .doesNotExist();
  }

  @Test
  void parallelJobsWithTheCustomFormatAreInvalidInputAndStoreNothing() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.dump(
                    new PostgresDumpInput(
                        "db", "store", null, "weekly", "custom", 2, null, null, null, "test",
                        targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "jobs 2 needs format directory: pg_dump writes a custom-format"
                + " archive with one process");
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeDirectory))) {
      assertThat(new BackupCatalog(store).list(PostgresActivities.BACKUP_SERVICE)).isEmpty();
    }
  }

  @Test
  void verifyRecomputesTheOldMd5FingerprintsOfABackupMadeBeforeRowHashes() throws Exception {
    String backupId =
        storeBackupWithFingerprints(
            Map.of(
                "public.orders",
                    new BackupMetadata.TableFingerprint(
                        3000,
                        value(
                            "select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from orders t")),
                "public.customers",
                    new BackupMetadata.TableFingerprint(
                        200,
                        value(
                            "select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from customers t"))));

    PostgresVerifyResult same =
        activities.verify(
            new PostgresVerifyInput(
                "db", null, "store", backupId, null, null, false, null, null, null, targets));
    execute("update orders set amount = amount + 1 where id = 5");
    PostgresVerifyResult changed =
        activities.verify(
            new PostgresVerifyInput(
                "db", null, "store", backupId, null, null, false, null, null, false, targets));

    assertThat(same.ok()).as(same.summary()).isTrue();
    assertThat(same.tablesChecked()).isEqualTo(2);
    assertThat(changed.ok()).isFalse();
    assertThat(changed.fingerprintMismatches()).isEqualTo(1);
    assertThat(changed.summary()).contains("fingerprint public.orders");
  }

  @Test
  void restoringFromAnEmptyStoreIsNoBackupFound() {
    ApplicationFailure failure =
        applicationFailure(() -> activities.restore(restoreInput("latest")));

    assertThat(failure.getType()).isEqualTo("NoBackupFound");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  private PostgresDumpInput dumpInput() {
    return new PostgresDumpInput(
        "db", "store", null, "weekly", null, null, null, null, null, "test", targets);
  }

  /**
   * Flips a byte in the middle of the stored file; the restore must refuse it before touching the
   * server.
   */
  private void assertARestoreOfItWithAFlippedByteIsBackupCorruptAndTouchesNothing(
      PostgresDumpResult dump) throws Exception {
    try (RandomAccessFile file = new RandomAccessFile(dump.location(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0xFF);
    }
    execute("insert into customers values (1000, 'live data')");

    ApplicationFailure failure =
        applicationFailure(() -> activities.restore(restoreInput(dump.backupId())));

    assertThat(failure.getType()).isEqualTo("BackupCorrupt");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(value("select count(*) from customers")).isEqualTo("201");
    assertThat(server.column("select datname from pg_database where datname like 'shop\\_%'"))
        .isEmpty();
  }

  private PostgresRestoreInput restoreInput(String from) {
    return new PostgresRestoreInput("db", "store", from, null, null, 2, null, null, targets);
  }

  /** A backup whose metadata records {@code fingerprints}, as an older drctl wrote them. */
  private String storeBackupWithFingerprints(
      Map<String, BackupMetadata.TableFingerprint> fingerprints) throws Exception {
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeDirectory));
        PendingBackup pending =
            new BackupCatalog(store)
                .begin(
                    BackupRequest.of(PostgresActivities.BACKUP_SERVICE, BackupType.MANUAL, "dump")
                        .withCompression(Compression.NONE, 0))) {
      pending.stream().write("PGDMP, not restored by this test".getBytes());
      pending.fingerprints(fingerprints);
      return pending.commit().backupId();
    }
  }

  /** The names of the entries of a tar file. */
  private static List<String> tarEntries(Path tar) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (var in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  /** The directories pg_dump -Fd writes into, in the temporary directory now. */
  private static List<Path> temporary() throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("drctl-dump-"))
          .sorted()
          .toList();
    }
  }

  private BackupMetadata metadata(String backupId) {
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeDirectory))) {
      return new BackupCatalog(store)
          .find(PostgresActivities.BACKUP_SERVICE, backupId)
          .orElseThrow();
    }
  }

  private static String value(String sql) throws Exception {
    try (var connection = server.connect("shop");
        var statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  private static void execute(String... statements) throws Exception {
    try (var connection = server.connect("shop");
        var statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
