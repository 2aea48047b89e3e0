package io.drctl.activities.postgres;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster re-initialised on the same host (a new initdb: a new system identifier, segment names
 * starting over) archives into the same store as the cluster it replaces. Its segments of the same
 * names are filed apart instead of conflicting, and point-in-time recovery of each cluster replays
 * its own WAL: rows written after each base backup come back only from that cluster's archive.
 */
class PostgresReinitialisedClusterPitrTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static TestCluster old;
  private static TestCluster reinitialised;
  private static Path store;
  private static PostgresTestActivities test;
  private static Map<String, JsonNode> targets;
  private static PostgresBasebackupResult oldBase;
  private static PostgresBasebackupResult newBase;
  private static Set<String> oldArchived;
  private static Set<String> newArchived;

  @BeforeAll
  static void twoDatabaseSystemsArchiveIntoOneStore() throws Exception {
    old = clusters.freshPrimary("old");
    reinitialised = clusters.reinitialisedPrimary("reinit");
    store = Files.createTempDirectory("drctl-reinit-store");
    test = new PostgresTestActivities(clusters);
    targets =
        targets(
            "old",
            old,
            "new",
            reinitialised,
            "store",
            JsonNodeFactory.instance
                .objectNode()
                .put("kind", "backupStore")
                .put("store", "local")
                .put("path", store.toString()));

    oldBase = historyOf(old, "old", "old-before", "old-after");
    oldArchived = archive(old);
    newBase = historyOf(reinitialised, "new", "new-before", "new-after");
    newArchived = archive(reinitialised);

    old.execute("delete from items");
    reinitialised.execute("delete from items");
  }

  /** A table, a base backup, then a row only the archived WAL has. */
  private static PostgresBasebackupResult historyOf(
      TestCluster server, String target, String before, String after) {
    server.execute(
        "create table items (label text)", "insert into items values ('" + before + "')");
    PostgresBasebackupResult base =
        test.activities.basebackup(
            new PostgresBasebackupInput(
                target, "store", null, null, null, null, false, null, "before " + after, targets));
    server.execute("insert into items values ('" + after + "')");
    return base;
  }

  /**
   * Switches WAL, waits for the fixture's archive_command, then files everything as drctl wal push
   * does.
   */
  private static Set<String> archive(TestCluster server) throws Exception {
    String segment = server.value("select pg_walfile_name(pg_switch_wal())");
    Path archive =
        Path.of(server.value("show archive_command").replaceAll("^test ! -f (\\S+)/%f.*$", "$1"));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(archive.resolve(segment)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Set<String> pushed = new HashSet<>();
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store));
        Stream<Path> files = Files.list(archive)) {
      WalArchive wal = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
      SystemIdentifier cluster = SystemIdentifier.ofDataDirectory(server.dataDirectory());
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.length() == 24) {
          wal.push(file); // filed by its own page header
        } else {
          wal.push(cluster, name, file);
        }
        pushed.add(name);
      }
    }
    return pushed;
  }

  @AfterAll
  static void close() throws Exception {
    test.close();
    LocalDirectories.deleteRecursively(store);
  }

  @Test
  void theReinitialisedClustersSegmentsOfTheSameNamesAreFiledApartWithoutConflict() {
    Set<String> sameNames =
        oldArchived.stream()
            .filter(newArchived::contains)
            .filter(n -> n.length() == 24)
            .collect(Collectors.toSet());
    SystemIdentifier oldId =
        SystemIdentifier.parse(
            old.value("select system_identifier::text from pg_control_system()"));
    SystemIdentifier newId =
        SystemIdentifier.parse(
            reinitialised.value("select system_identifier::text from pg_control_system()"));

    assertThat(oldId).isNotEqualTo(newId);
    assertThat(sameNames).as("both systems archived segments of the same names").isNotEmpty();
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store))) {
      WalArchive wal = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
      assertThat(wal.clusters()).containsExactlyInAnyOrder(oldId, newId);
      for (String name : sameNames) {
        assertThat(
                store
                    .resolve(CatalogRetention.WAL_PREFIX)
                    .resolve(oldId.toString())
                    .resolve(name + ".zst"))
            .exists();
        assertThat(
                store
                    .resolve(CatalogRetention.WAL_PREFIX)
                    .resolve(newId.toString())
                    .resolve(name + ".zst"))
            .exists();
      }
      var catalog = new io.drctl.store.catalog.BackupCatalog(objects);
      assertThat(
              catalog
                  .find(PostgresActivities.BACKUP_SERVICE, oldBase.backupId())
                  .orElseThrow()
                  .wal()
                  .systemIdentifier())
          .isEqualTo(oldId.toString());
      assertThat(
              catalog
                  .find(PostgresActivities.BACKUP_SERVICE, newBase.backupId())
                  .orElseThrow()
                  .wal()
                  .systemIdentifier())
          .isEqualTo(newId.toString());
    }
  }

  @Test
  void eachClustersRecoveryReplaysItsOwnArchivedWal() {
    PostgresPitrResult oldResult =
        test.activities.pitr(
            new PostgresPitrInput(
                "old",
                "store",
                "latest",
                true,
                null,
                oldBase.backupId(),
                null,
                null,
                false,
                targets));
    PostgresPitrResult newResult =
        test.activities.pitr(
            new PostgresPitrInput(
                "new",
                "store",
                "latest",
                true,
                null,
                newBase.backupId(),
                null,
                null,
                false,
                targets));

    assertThat(old.column("select label from items order by label"))
        .containsExactly("old-after", "old-before");
    assertThat(reinitialised.column("select label from items order by label"))
        .containsExactly("new-after", "new-before");
    assertThat(oldResult.walSegmentsReplayed()).isPositive();
    assertThat(newResult.walSegmentsReplayed()).isPositive();
  }
}
