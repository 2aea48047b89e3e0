package io.drctl.activities.postgres;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point-in-time recovery of a server in a Docker container whose data directory is a volume, as in
 * the sandbox ({@link ContainerServer}): the container is stopped, the volume's contents replaced,
 * the container started and recovery checked from its log. Skipped when the engine lacks the image.
 */
class PostgresContainerPitrTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static final String UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";
  private static ContainerServer server;
  private static Path store;
  private static PostgresTestActivities test;
  private static Map<String, JsonNode> targets;
  private static String betweenR2AndR3;

  @BeforeAll
  static void containerWithHistory() throws Exception {
    Assumptions.assumeTrue(ContainerServer.imageAvailable(), "no image " + ContainerServer.IMAGE);
    server = ContainerServer.start(clusters.password());
    store = Files.createTempDirectory("drctl-container-pitr-store");
    test = new PostgresTestActivities(clusters);
    targets =
        Map.of(
            "pg",
            server.target(),
            "store",
            JsonNodeFactory.instance
                .objectNode()
                .put("kind", "backupStore")
                .put("store", "local")
                .put("path", store.toString()));

    server.execute("create table items (id int primary key)");
    test.activities.basebackup(
        new PostgresBasebackupInput(
            "pg", "store", null, null, null, null, false, null, null, targets));
    server.execute("insert into items values (1)");
    server.execute("insert into items values (2)");
    Thread.sleep(1200);
    betweenR2AndR3 =
        server.query("select to_char(clock_timestamp() at time zone 'UTC', " + UTC + ")");
    Thread.sleep(1200);
    server.execute("insert into items values (3)");
    server.execute("delete from items");
    String segment = server.query("select pg_walfile_name(pg_switch_wal())");
    Path archive = server.archive();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(archive.resolve(segment)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store));
        Stream<Path> files = Files.list(archive)) {
      WalArchive wal = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
      SystemIdentifier cluster =
          SystemIdentifier.parse(
              server.query("select system_identifier::text from pg_control_system()"));
      for (Path file : files.sorted().toList()) {
        wal.push(cluster, file.getFileName().toString(), file);
      }
    }
  }

  @AfterAll
  static void remove() throws IOException {
    if (test != null) {
      test.close();
    }
    if (server != null) {
      server.remove();
    }
    if (store != null) {
      LocalDirectories.deleteRecursively(store);
    }
  }

  @Test
  void recoveryOfAContainersVolumeBringsBackExactlyTheRowsBeforeTheTarget() throws Exception {
    PostgresPitrResult result =
        test.activities.pitr(
            new PostgresPitrInput(
                "pg", "store", betweenR2AndR3, true, null, null, null, null, true, targets));

    assertThat(result.stopPosition()).isEqualTo("before");
    assertThat(result.timeline()).isEqualTo(2);
    assertThat(server.query("select string_agg(id::text, ',' order by id) from items"))
        .isEqualTo("1,2");
    assertThat(server.query("select pg_is_in_recovery()::text")).isEqualTo("false");
    // Recovered in place (its own WAL source): archiving again.
    assertThat(server.query("show archive_mode")).isEqualTo("on");
    assertThat(server.running()).isTrue();
    assertThat(Path.of(result.previousDataDirectory()).resolve("PG_VERSION")).exists();
  }
}
