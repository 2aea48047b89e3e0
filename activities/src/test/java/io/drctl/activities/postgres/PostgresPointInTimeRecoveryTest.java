package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.store.StoreConfig;
import io.drctl.store.local.LocalDirectories;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point-in-time recovery to the second on a real server: rows r1 and r2 are committed, then (a
 * second later) r3 and r4, then the table is wrecked. A base backup taken before them and the WAL
 * archived into the store bring back exactly the rows committed before the chosen time, with the
 * inclusive and the exclusive bound at r3's exact commit time.
 */
class PostgresPointInTimeRecoveryTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static final String UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";
  private static TestCluster server;
  private static Path store;
  private static PostgresTestActivities test;
  private static Map<String, JsonNode> targets;
  private static String betweenR2AndR3;
  private static String r3CommitTime;
  private static long r3Transaction;
  private static long r4Transaction;
  private static PostgresBasebackupResult base;
  private static String systemIdentifier;

  @BeforeAll
  static void historyWithAWreckedTable() throws Exception {
    server = clusters.freshPrimary("pitr");
    store = Files.createTempDirectory("drctl-pitr-store");
    test = new PostgresTestActivities(clusters);
    targets =
        targets(
            "db",
            server,
            "store",
            JsonNodeFactory.instance
                .objectNode()
                .put("kind", "backupStore")
                .put("store", "local")
                .put("path", store.toString()));
    server.execute("create table items (id int primary key, label text)");
    systemIdentifier = server.value("select system_identifier::text from pg_control_system()");
    base =
        test.activities.basebackup(
            new PostgresBasebackupInput(
                "db", "store", null, null, null, null, null, null, "before the incident", targets));

    server.execute("insert into items values (1, 'r1')");
    server.execute("insert into items values (2, 'r2')");
    Thread.sleep(1200);
    betweenR2AndR3 =
        server.value("select to_char(clock_timestamp() at time zone 'UTC', " + UTC + ")");
    Thread.sleep(1200);
    server.execute("insert into items values (3, 'r3')");
    Thread.sleep(300);
    server.execute("insert into items values (4, 'r4')");
    r3CommitTime =
        server.value(
            "select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', "
                + UTC
                + ") from items where id = 3");
    r3Transaction = Long.parseLong(server.value("select xmin::text from items where id = 3"));
    r4Transaction = Long.parseLong(server.value("select xmin::text from items where id = 4"));
    server.execute("delete from items", "insert into items values (666, 'wrecked')");

    String segment = server.value("select pg_walfile_name(pg_switch_wal())");
    Path archive =
        Path.of(server.value("show archive_command").replaceAll("^test ! -f (\\S+)/%f.*$", "$1"));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(archive.resolve(segment)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // What archive_command = 'drctl wal push %p' does, through the same WalArchive.
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store));
        Stream<Path> files = Files.list(archive)) {
      WalArchive wal = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
      SystemIdentifier cluster = SystemIdentifier.ofDataDirectory(server.dataDirectory());
      for (Path file : files.sorted().toList()) {
        wal.push(cluster, file.getFileName().toString(), file);
      }
    }
  }

  /**
   * Each test recovers this server in place from the same base backup, onto timeline 2 each time,
   * and a recovered primary archives again: this test's archive (cp, never pushed to the store)
   * would refuse the second timeline 2's segments. Production's archive_command pushes to the
   * store, whose history files make the next recovery choose a new timeline.
   */
  @org.junit.jupiter.api.AfterEach
  void archiveNoMore() {
    if (server.isRunning() && "on".equals(server.value("show archive_mode"))) {
      server.execute("alter system set archive_mode = off");
      server.stop();
      server.start();
    }
  }

  @AfterAll
  static void close() {
    test.close();
    deleteStore();
  }

  private static void deleteStore() {
    if (store == null) {
      return;
    }
    try {
      LocalDirectories.deleteRecursively(store);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void recoveryToATimeBetweenCommitsBringsBackExactlyTheEarlierRows() {
    PostgresPitrResult result =
        test.activities.pitr(
            new PostgresPitrInput(
                "db", "store", betweenR2AndR3, true, null, null, null, null, true, targets));

    assertThat(server.column("select id from items order by id")).containsExactly("1", "2");
    assertThat(result.baseBackupId()).isEqualTo(base.backupId());
    assertThat(result.stopPosition()).isEqualTo("before");
    assertThat(result.timeline()).isGreaterThan(1);
    assertThat(result.walSegmentsReplayed()).isPositive();
    assertThat(Path.of(result.previousDataDirectory())).isDirectory();
    assertThat(server.value("select pg_is_in_recovery()")).isEqualTo("f");
    assertThat(server.dataDirectory().resolve("recovery.signal")).doesNotExist();
    // Recovered in place (it is its own WAL source): it archives its new timeline again, and no
    // recovery setting is left for a standby cloned from it to stop at.
    assertThat(server.value("show archive_mode")).isEqualTo("on");
    assertThat(server.value("show recovery_target_time")).isEmpty();
    assertThat(server.value("show primary_conninfo")).isEmpty();
    try {
      assertThat(Files.readString(server.dataDirectory().resolve("postgresql.auto.conf")))
          .doesNotContain("recovery_target")
          .doesNotContain("drctl-pitr-wal");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anInclusiveTargetAtACommitsExactTimeKeepsThatCommit() {
    PostgresPitrResult result =
        test.activities.pitr(
            new PostgresPitrInput(
                "db", "store", r3CommitTime, true, null, null, null, null, false, targets));

    assertThat(server.column("select id from items order by id")).containsExactly("1", "2", "3");
    // A time target stops before the first commit past it: here r4's.
    assertThat(result.stopPosition()).isEqualTo("before");
    assertThat(result.stopTransaction()).isEqualTo(r4Transaction);
    assertThat(result.previousDataDirectory()).isEmpty();
  }

  @Test
  void anExclusiveTargetAtACommitsExactTimeStopsJustBeforeIt() {
    PostgresPitrResult result =
        test.activities.pitr(
            new PostgresPitrInput(
                "db", "store", r3CommitTime, false, null, null, null, null, false, targets));

    assertThat(server.column("select id from items order by id")).containsExactly("1", "2");
    assertThat(result.stopPosition()).isEqualTo("before");
    assertThat(result.stopTransaction()).isEqualTo(r3Transaction);
  }

  @Test
  void fromASelectorWordPicksAmongBaseBackupsOnlyWhenADumpIsNewer() {
    test.activities.dump(
        new PostgresDumpInput(
            "db",
            "store",
            null,
            "daily",
            null,
            null,
            null,
            null,
            null,
            "a dump newer than the base backup",
            targets));

    PostgresPitrResult result =
        test.activities.pitr(
            new PostgresPitrInput(
                "db", "store", betweenR2AndR3, true, null, "latest", null, null, false, targets));

    assertThat(result.baseBackupId()).isEqualTo(base.backupId());
    assertThat(server.column("select id from items order by id")).containsExactly("1", "2");
  }

  @Test
  void theBaseBackupIsStoredWithItsWalRangeAndTimeline() {
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store))) {
      var metadata =
          new io.drctl.store.catalog.BackupCatalog(objects)
              .find(PostgresActivities.BACKUP_SERVICE, base.backupId())
              .orElseThrow();

      assertThat(base.startLsn()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(base.timeline()).isEqualTo(1);
      assertThat(base.verified()).isTrue();
      assertThat(metadata.wal().startLsn()).isEqualTo(base.startLsn());
      assertThat(metadata.wal().stopLsn()).isEqualTo(base.stopLsn());
      assertThat(metadata.wal().startWal()).matches("00000001[0-9A-F]{16}");
      assertThat(metadata.wal().systemIdentifier()).isEqualTo(systemIdentifier);
      assertThat(metadata.type().name()).isEqualTo("BASEBACKUP");
      assertThat(Path.of(base.location())).exists();
      assertThat(base.checksum()).isEqualTo(metadata.checksum());
    }
  }

  @Test
  void aTargetBeyondTheArchivedWalFailsAsRecoveryIncomplete() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                test.activities.pitr(
                    new PostgresPitrInput(
                        "db",
                        "store",
                        "2099-01-01T00:00:00Z",
                        true,
                        null,
                        null,
                        null,
                        null,
                        false,
                        targets)));

    assertThat(failure.getType()).isEqualTo("RecoveryIncomplete");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("recovery ended before configured recovery target was reached");
  }
}
