package io.drctl.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxStatus;
import io.drctl.sandbox.WalArchiving;
import io.drctl.store.StoreConfig;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox whose PostgreSQL containers archive through {@code drctl wal push} from the shaded jar
 * into a backup store on the host, on the real Docker engine and image. An integration test (run by
 * failsafe after {@code package}, so {@code mvn -B verify} has built the jar): the jar comes from
 * the {@code drctl.jar} system property failsafe sets, else {@code target/drctl.jar}. Sandbox
 * {@code itest-wal} on ports 29180-29199.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxWalArchivingIT {
  private static final SandboxLayout LAYOUT = SandboxLayout.of("itest-wal", 29180);
  private static final int SWITCHES = 5;

  @TempDir static Path dir;
  private SandboxEngine engine;
  private Sandbox sandbox;
  private Path backups;

  @BeforeAll
  void bringUpASandboxThatArchivesThroughDrctl() throws Exception {
    Path built = Path.of(System.getProperty("drctl.jar", "target/drctl.jar")).toAbsolutePath();
    if (!Files.isRegularFile(built)) {
      throw new AssertionError(
          "the shaded drctl jar "
              + built
              + " is missing: run this test through"
              + " `mvn -B -pl worker verify` (failsafe runs it after package), or build it first with"
              + " `mvn -q -B -pl worker package -DskipTests`");
    }
    // A copy of our own: another build replacing target/drctl.jar mid-test must not change what the
    // containers run.
    Path jar = Files.copy(built, dir.resolve("drctl.jar"));
    backups = dir.resolve("backups");
    engine = SandboxEngine.fromEnvironment();
    sandbox =
        new Sandbox(
            engine,
            LAYOUT,
            SandboxImages.fromEnvironment(System.getenv()),
            WalArchiving.store(backups, jar),
            line -> System.out.println("[sandbox itest-wal] " + line));
    sandbox.down(); // what an aborted earlier run may have left
    sandbox.up(new Sandbox.UpOptions(1, dir.resolve("targets.json")));
  }

  @AfterAll
  void takeItDown() {
    try {
      if (sandbox != null) {
        sandbox.down();
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
  }

  @Test
  void thePrimaryPushesEachFinishedSegmentIntoTheStoreThroughDrctlWalPush() throws Exception {
    List<String> segments = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    String systemIdentifier;
    try (Connection primary = sandbox.primary();
        Statement statement = primary.createStatement()) {
      systemIdentifier =
          scalar(statement, "SELECT system_identifier::text FROM pg_control_system()");
      statement.execute("CREATE TABLE wal_probe (id bigserial PRIMARY KEY, payload text)");
      for (int i = 0; i < SWITCHES; i++) {
        statement.execute(
            "INSERT INTO wal_probe (payload) SELECT md5(g::text) FROM generate_series(1, 20000) g");
        String segment = scalar(statement, "SELECT pg_walfile_name(pg_switch_wal())");
        long switched = System.nanoTime();
        awaitArchived(statement, segment);
        latencies.add((System.nanoTime() - switched) / 1_000_000);
        segments.add(segment);
      }
      assertThat(scalar(statement, "SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
      assertThat(scalar(statement, "SHOW archive_command"))
          .contains(" wal push --store /backups %p");
    }
    System.out.printf(
        Locale.ROOT,
        "drctl wal push from the sandbox primary: switch-to-archived %s ms, mean %d ms%n",
        latencies,
        Math.round(latencies.stream().mapToLong(Long::longValue).average().orElse(0)));

    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(backups))) {
      WalArchive archive = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
      // Filed under the primary's database system identifier, read from each segment's header.
      assertThat(archive.clusters()).containsExactly(SystemIdentifier.parse(systemIdentifier));
      assertThat(archive.list()).extracting(WalArchive.WalFile::name).containsAll(segments);
      Path fetched = dir.resolve("fetched");
      assertThat(archive.fetch(SystemIdentifier.parse(systemIdentifier), segments.get(0), fetched))
          .isEqualTo(WalArchive.FetchResult.FOUND);
      assertThat(Files.size(fetched)).isEqualTo(16L * 1024 * 1024);
    }
    try (Connection replica = sandbox.replica();
        Statement statement = replica.createStatement()) {
      assertThat(scalar(statement, "SHOW restore_command"))
          .contains(" wal fetch --store /backups %f %p");
    }

    SandboxStatus.Archiver archiver = sandbox.status().archiver();
    assertThat(archiver.throughDrctl()).isTrue();
    assertThat(archiver.failedCount()).isZero();
    assertThat(archiver.lastArchivedWal()).isGreaterThanOrEqualTo(segments.get(SWITCHES - 1));
    assertThat(engine.volumes(LAYOUT.name()))
        .as("no WAL archive volume when WAL goes to the store")
        .containsExactly(
            "drctl-sandbox-itest-wal-notifications",
            "drctl-sandbox-itest-wal-postgres-data",
            "drctl-sandbox-itest-wal-postgres-replica-data",
            "drctl-sandbox-itest-wal-postgres-secondary-data",
            "drctl-sandbox-itest-wal-postgres-staging-data",
            "drctl-sandbox-itest-wal-redis-data",
            "drctl-sandbox-itest-wal-redis-replica-data",
            "drctl-sandbox-itest-wal-redis-secondary-data",
            "drctl-sandbox-itest-wal-registry-data",
            "drctl-sandbox-itest-wal-s3-data");
  }

  @Test
  void downRemovesTheBackupStoreUnlessAskedToKeepIt() throws Exception {
    Sandbox other =
        new Sandbox(
            engine,
            SandboxLayout.of("itest-wal-keep", 29200),
            SandboxImages.fromEnvironment(System.getenv()),
            WalArchiving.store(dir.resolve("kept"), null),
            line -> {});
    Files.createDirectories(dir.resolve("kept"));
    Files.writeString(dir.resolve("kept/.drctl-sandbox"), "itest-wal-keep\n");
    Files.writeString(dir.resolve("kept/base.tar"), "a base backup");

    assertThat(other.down(true).backups()).isNull();
    assertThat(dir.resolve("kept/base.tar")).exists();
    assertThat(other.down(false).backups()).isEqualTo(dir.resolve("kept"));
    assertThat(dir.resolve("kept")).doesNotExist();
  }

  private static void awaitArchived(Statement statement, String segment) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!"t"
        .equals(
            scalar(
                statement,
                "SELECT coalesce(last_archived_wal >= '"
                    + segment
                    + "', false) FROM pg_stat_archiver"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "segment "
                + segment
                + " not archived within 60 s; pg_stat_archiver: "
                + scalar(
                    statement,
                    "SELECT row(archived_count, last_archived_wal, failed_count, last_failed_wal)::text"
                        + " FROM pg_stat_archiver"));
      }
      Thread.sleep(50);
    }
  }

  private static String scalar(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
