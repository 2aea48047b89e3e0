package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
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

/** verify, compare and schemaCheck on real servers: two stand-alone primaries of this class. */
class PostgresVerificationTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static TestCluster production;
  private static TestCluster staging;
  private static final String SCHEMA =
      String.join(
          ";",
          "create table customers (id int primary key, name text not null)",
          "create table orders (id int primary key, customer_id int references customers, amount numeric(10,2))",
          "create index orders_customer on orders (customer_id)");

  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void clusters() {
    production = clusters.freshPrimary("production");
    staging = clusters.freshPrimary("staging");
    for (TestCluster cluster : List.of(production, staging)) {
      cluster.execute(SCHEMA.split(";"));
      cluster.execute(
          "insert into customers select i, 'customer ' || i from generate_series(1, 50) i",
          "insert into orders select i, 1 + i % 50, i * 1.5 from generate_series(1, 500) i");
    }
  }

  @BeforeEach
  void start() {
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    targets = targets("production", production, "staging", staging);
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void compareFindsIdenticalTablesIdenticalWithTheManifestFingerprintFormula() {
    PostgresCompareResult result =
        activities.compare(
            new PostgresCompareInput(
                "staging",
                "production",
                List.of("customers, public.orders"),
                null,
                null,
                true,
                targets));

    assertThat(result.identical()).isTrue();
    assertThat(result.sourceRows()).isEqualTo(550);
    assertThat(result.tables())
        .extracting(TableComparison::name)
        .containsExactly("public.customers", "public.orders");
    assertThat(result.summary()).contains("public.orders 500/500 rows, identical");
  }

  @Test
  void compareReportsAChangedRowEvenWhenTheRowCountIsTheSame() {
    production.execute("update orders set amount = amount + 1 where id = 7");
    try {
      PostgresCompareResult result =
          activities.compare(
              new PostgresCompareInput(
                  "staging",
                  "production",
                  List.of("orders", "customers"),
                  null,
                  null,
                  null,
                  targets));
      ApplicationFailure failure =
          applicationFailure(
              () ->
                  activities.compare(
                      new PostgresCompareInput(
                          "staging", "production", List.of("orders"), null, null, true, targets)));

      assertThat(result.identical()).isFalse();
      assertThat(result.differingTables()).isEqualTo(1);
      assertThat(result.rowDifference()).isZero();
      assertThat(result.tables().get(0).identical()).isFalse();
      assertThat(result.tables().get(1).identical()).isTrue();
      assertThat(failure.getType()).isEqualTo(PostgresFailures.TABLES_DIFFER);
      assertThat(failure.isNonRetryable()).isTrue();
    } finally {
      production.execute("update orders set amount = amount - 1 where id = 7");
    }
  }

  @Test
  void theFingerprintIsTheSumOfRowHashesNamedByItsFormula() {
    String expected =
        "record-hash-sum:"
            + production.value(
                "select sum(hashint8extended(hash_record_extended(t, 0), 0)) from orders t");

    try (var connection = production.connect("postgres")) {
      TableStats.Stats stats = TableStats.of(connection, new TableName("public", "orders"), true);
      assertThat(stats.fingerprint()).isEqualTo(expected);
      assertThat(stats.rows()).isEqualTo(500);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void compareOfAMissingTableIsANonRetryableTableMissing() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.compare(
                    new PostgresCompareInput(
                        "staging",
                        "production",
                        List.of("no_such_table"),
                        null,
                        null,
                        null,
                        targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.TABLE_MISSING);
    assertThat(failure.getOriginalMessage()).contains("public.no_such_table");
  }

  @Test
  void verifyPassesIntactIndexesAndSampleQueriesWithTheirExpectedValues() {
    PostgresVerifyResult result =
        activities.verify(
            new PostgresVerifyInput(
                "production",
                null,
                null,
                null,
                List.of("customers", "orders"),
                null,
                null,
                true,
                List.of(
                    new SampleQuery("orders", "select count(*) from orders", 500),
                    new SampleQuery(null, "select sum(amount) from orders", 187875.0),
                    new SampleQuery(
                        "has customer 1",
                        "select exists (select 1 from customers where id = 1)",
                        true),
                    new SampleQuery("runs", "select name from customers where id = 2", null)),
                null,
                targets));

    assertThat(result.ok()).isTrue();
    assertThat(result.tablesChecked()).isEqualTo(2);
    assertThat(result.totalRows()).isEqualTo(550);
    assertThat(result.indexesChecked()).isEqualTo(3);
    assertThat(result.corruptIndexes()).isZero();
    assertThat(result.queriesFailed()).isZero();
    assertThat(result.summary()).isEqualTo("all checks passed");
  }

  @Test
  void verifyReportsWrongSampleValuesFailedQueriesAndMissingTables() {
    PostgresVerifyResult result =
        activities.verify(
            new PostgresVerifyInput(
                "production",
                null,
                null,
                null,
                List.of("orders", "gone"),
                null,
                false,
                null,
                List.of(
                    new SampleQuery("count", "select count(*) from orders", 499),
                    new SampleQuery("writes", "delete from orders", null)),
                false,
                targets));
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.verify(
                    new PostgresVerifyInput(
                        "production",
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        null,
                        List.of(new SampleQuery("count", "select 1", 2)),
                        null,
                        targets)));

    assertThat(result.ok()).isFalse();
    assertThat(result.rowCountMismatches()).isEqualTo(1);
    assertThat(result.queriesFailed()).isEqualTo(2);
    assertThat(result.differences())
        .extracting(Difference::check)
        .containsExactly("rowCount", "query", "query");
    assertThat(result.differences().get(1).actual()).isEqualTo("500");
    assertThat(result.differences().get(2).actual()).contains("read-only");
    assertThat(production.value("select count(*) from orders")).isEqualTo("500");
    assertThat(failure.getType()).isEqualTo(PostgresFailures.VERIFICATION_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("query count: expected 2, got 1");
  }

  @Test
  void verifyFindsACorruptedIndexWithAmcheck() throws Exception {
    TestCluster damaged = clusters.freshPrimary("damaged");
    damaged.execute(
        "create table items (id int primary key, v text)",
        "insert into items select i, repeat('x', 50) from generate_series(1, 5000) i",
        "checkpoint");
    Path index =
        damaged.dataDirectory().resolve(damaged.value("select pg_relation_filepath('items_pkey')"));
    damaged.stop();
    try (RandomAccessFile file = new RandomAccessFile(index.toFile(), "rw")) {
      file.seek(8192 + 100); // inside the first leaf page's items
      file.write(new byte[200]);
    }
    damaged.start();

    PostgresVerifyResult result =
        activities.verify(
            new PostgresVerifyInput(
                "damaged",
                null,
                null,
                null,
                null,
                null,
                true,
                null,
                null,
                false,
                Map.of("damaged", damaged.target())));

    assertThat(result.ok()).isFalse();
    assertThat(result.corruptIndexes()).isEqualTo(1);
    assertThat(result.differences()).extracting(Difference::subject).containsExactly("items_pkey");
  }

  @Test
  void verifyWithABackupIdNeedsTheStore() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.verify(
                    new PostgresVerifyInput(
                        "production",
                        null,
                        null,
                        "backup_1",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("needs store");
  }

  @Test
  void schemaCheckHashesTheSchemaAndFindsRequiredTables() {
    PostgresSchemaCheckResult result =
        activities.schemaCheck(
            new PostgresSchemaCheckInput(
                "production",
                null,
                List.of("customers", "public.orders"),
                "staging",
                null,
                null,
                null,
                targets));

    assertThat(result.ok()).isTrue();
    assertThat(result.tables()).isEqualTo(2);
    assertThat(result.schemaHash()).matches("sha256:[0-9a-f]{64}");
    assertThat(result.missingTables()).isEmpty();
    assertThat(result.differences()).isEmpty();
  }

  @Test
  void schemaCheckReportsAMissingTableAndTheObjectsThatDifferFromTheReference() {
    staging.execute(
        "create table audit (id int primary key)", "alter table customers add column email text");
    try {
      PostgresSchemaCheckResult result =
          activities.schemaCheck(
              new PostgresSchemaCheckInput(
                  "production",
                  null,
                  List.of("customers", "audit"),
                  "staging",
                  null,
                  null,
                  false,
                  targets));
      ApplicationFailure failure =
          applicationFailure(
              () ->
                  activities.schemaCheck(
                      new PostgresSchemaCheckInput(
                          "production", null, List.of("audit"), null, null, null, null, targets)));

      assertThat(result.ok()).isFalse();
      assertThat(result.missingTables()).containsExactly("public.audit");
      assertThat(result.differences())
          .contains(
              new SchemaDifference("TABLE", "public.customers", "changed", "staging"),
              new SchemaDifference("TABLE", "public.audit", "missing", "staging"));
      assertThat(failure.getType()).isEqualTo(PostgresFailures.SCHEMA_MISMATCH);
    } finally {
      staging.execute("drop table audit", "alter table customers drop column email");
    }
  }
}
