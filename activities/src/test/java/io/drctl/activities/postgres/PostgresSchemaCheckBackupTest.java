package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.ActionFailures;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.temporal.failure.ApplicationFailure;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code postgres.schemaCheck} with {@code backupId}: the live schema against the schema recorded
 * in a dump that {@code postgres.dump} wrote to a real local store, on a real server of this class.
 */
class PostgresSchemaCheckBackupTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static TestCluster server;

  @TempDir Path storeDirectory;
  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void cluster() {
    server = clusters.freshPrimary("schema");
    server.execute("create database shop");
  }

  @BeforeEach
  void start() throws Exception {
    try (var connection = server.connect("shop");
        var statement = connection.createStatement()) {
      statement.execute("drop table if exists orders, customers");
      statement.execute("create table customers (id int primary key, name text not null)");
      statement.execute(
          "create table orders (id int primary key, customer_id int references customers, amount numeric)");
      statement.execute("create index orders_customer on orders (customer_id)");
      statement.execute("insert into customers select i, 'c' || i from generate_series(1, 200) i");
      statement.execute(
          "insert into orders select i, 1 + i % 200, i * 0.5 from generate_series(1, 20000) i");
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
  void aDatabaseUnchangedSinceItsDumpHasTheDumpsSchema() {
    PostgresDumpResult dump = activities.dump(dumpInput());

    PostgresSchemaCheckResult byId = activities.schemaCheck(check(dump.backupId(), true));
    PostgresSchemaCheckResult latest = activities.schemaCheck(check("latest", true));

    assertThat(byId.ok()).isTrue();
    assertThat(byId.differences()).isEmpty();
    assertThat(byId.backupId()).isEqualTo(dump.backupId());
    assertThat(byId.tables()).isEqualTo(2);
    assertThat(latest.backupId()).isEqualTo(dump.backupId());
    assertThat(latest.schemaHash()).isEqualTo(byId.schemaHash());
  }

  @Test
  void aDirectoryFormatDumpIsUnpackedAndComparedLikeACustomOne() throws Exception {
    PostgresDumpResult dump =
        activities.dump(
            new PostgresDumpInput(
                "db", "store", null, "weekly", "directory", 2, null, null, null, "test", targets));
    assertThat(activities.schemaCheck(check(dump.backupId(), true)).ok()).isTrue();

    execute("create index orders_amount on orders (amount)");
    ApplicationFailure failure =
        applicationFailure(() -> activities.schemaCheck(check(dump.backupId(), true)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.SCHEMA_MISMATCH);
    assertThat(failure.getOriginalMessage()).contains("extra INDEX orders_amount");
  }

  @Test
  void selectorWordsPickAmongLogicalBackupsOnlyAndS3NeedsAnS3Store() {
    PostgresDumpResult dump = activities.dump(dumpInput());
    activities.basebackup(
        new PostgresBasebackupInput(
            "db", "store", "weekly", null, "none", null, false, null, null, targets));

    assertThat(activities.schemaCheck(check("weekly", true)).backupId())
        .as(
            "the newest weekly is the base backup,"
                + " which records no schema: the newest weekly dump is meant")
        .isEqualTo(dump.backupId());
    ApplicationFailure s3 = applicationFailure(() -> activities.schemaCheck(check("s3", true)));
    assertThat(s3.getOriginalMessage()).contains("selector s3 needs an S3 store");
    assertThat(s3.isNonRetryable()).isTrue();
  }

  @Test
  void aColumnAndAnIndexAddedAfterTheDumpAreASchemaMismatchNamingTheTableAndTheIndex()
      throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    execute(
        "alter table orders add column note text", "create index orders_amount on orders (amount)");

    ApplicationFailure failure =
        applicationFailure(() -> activities.schemaCheck(check(dump.backupId(), true)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.SCHEMA_MISMATCH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("2 object(s) differ from backup " + dump.backupId())
        .contains("changed TABLE public.orders", "extra INDEX orders_amount")
        .doesNotContain("\tat ", "Exception");
  }

  @Test
  void withoutFailOnProblemTheDifferencesFromTheBackupAreReportedAndTheStepSucceeds()
      throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    execute(
        "alter table orders add column note text",
        "create index orders_amount on orders (amount)",
        "drop index orders_customer");

    PostgresSchemaCheckResult result = activities.schemaCheck(check(dump.backupId(), false));

    String against = "backup " + dump.backupId();
    assertThat(result.ok()).isFalse();
    assertThat(result.backupId()).isEqualTo(dump.backupId());
    assertThat(result.differences())
        .containsExactlyInAnyOrder(
            new SchemaDifference("TABLE", "public.orders", "changed", against),
            new SchemaDifference("INDEX", "orders_customer", "missing", against),
            new SchemaDifference("INDEX", "orders_amount", "extra", against));
  }

  @Test
  void aStoredDumpCorruptedAfterItsTableOfContentsIsANonRetryableBackupCorrupt() throws Exception {
    PostgresDumpResult dump = activities.dump(dumpInput());
    // Near the end: table data, which pg_restore --schema-only never reads; only the store's
    // checksum of the whole stream can find it.
    try (RandomAccessFile file = new RandomAccessFile(dump.location(), "rw")) {
      file.seek(file.length() - 100);
      int b = file.read();
      file.seek(file.length() - 100);
      file.write(b ^ 0xFF);
    }

    ApplicationFailure failure =
        applicationFailure(() -> activities.schemaCheck(check(dump.backupId(), true)));

    assertThat(failure.getType()).isEqualTo("BackupCorrupt");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(dump.backupId());
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeDirectory))) {
      assertThat(
              new BackupCatalog(store)
                  .find(PostgresActivities.BACKUP_SERVICE, dump.backupId())
                  .orElseThrow()
                  .restorability())
          .isEqualTo(Restorability.CORRUPT);
    }
  }

  @Test
  void aBaseBackupIdIsInvalidInputNamingTheBackupAndItsType() {
    PostgresBasebackupResult base =
        activities.basebackup(
            new PostgresBasebackupInput(
                "db", "store", null, null, null, null, false, null, "schema check", targets));

    ApplicationFailure failure =
        applicationFailure(() -> activities.schemaCheck(check(base.backupId(), true)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("backup " + base.backupId() + " is a base backup", "records no schema");
  }

  @Test
  void backupIdWithoutAStoreIsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.schemaCheck(
                    new PostgresSchemaCheckInput(
                        "db", null, List.of(), null, null, "latest", null, targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("backupId latest needs store");
  }

  private PostgresDumpInput dumpInput() {
    return new PostgresDumpInput(
        "db", "store", null, "weekly", null, null, null, null, null, "test", targets);
  }

  private PostgresSchemaCheckInput check(String backupId, boolean failOnProblem) {
    return new PostgresSchemaCheckInput(
        "db", null, List.of("orders"), null, "store", backupId, failOnProblem, targets);
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
