package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * selectiveRestore from a staging server into production, both real; one table restored, the others
 * untouched.
 */
class PostgresSelectiveRestoreTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static TestCluster production;
  private static TestCluster staging;

  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void clusters() {
    production = clusters.freshPrimary("selective-production");
    staging = clusters.freshPrimary("selective-staging");
  }

  @BeforeEach
  void start() {
    for (TestCluster cluster : List.of(production, staging)) {
      cluster.execute(
          "drop table if exists orders, customers, notes",
          "create table customers (id serial primary key, name text)",
          "create table orders (id serial primary key, customer_id int references customers"
              + " deferrable initially immediate, amount numeric(10,2), placed timestamptz default now())",
          "create table notes (id int primary key, body text)",
          "insert into customers (name) select 'c' || i from generate_series(1, 20) i",
          "insert into orders (customer_id, amount) select 1 + i % 20, i * 1.25 from generate_series(1, 300) i",
          "insert into notes values (1, 'kept')");
    }
    // The incident on production: orders wrecked; notes changed legitimately since.
    production.execute(
        "delete from orders where id > 100",
        "update orders set amount = 0",
        "insert into notes values (2, 'written after the incident')");
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    targets = targets("staging", staging, "production", production);
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void replaceRestoresOneTableExactlyAndLeavesTheOthersUntouched() {
    String notesBefore = fingerprint(production, "notes");
    String customersBefore = fingerprint(production, "customers");

    PostgresSelectiveRestoreResult result =
        activities.selectiveRestore(
            new PostgresSelectiveRestoreInput(
                "staging", "production", List.of("orders"), null, null, null, targets));

    assertThat(result.committed()).isTrue();
    assertThat(result.rowsBefore()).isEqualTo(100);
    assertThat(result.rowsDeleted()).isEqualTo(100);
    assertThat(result.rowsInserted()).isEqualTo(300);
    assertThat(result.rowsAfter()).isEqualTo(300);
    assertThat(fingerprint(production, "orders")).isEqualTo(fingerprint(staging, "orders"));
    assertThat(fingerprint(production, "notes")).isEqualTo(notesBefore);
    assertThat(fingerprint(production, "customers")).isEqualTo(customersBefore);
    production.execute("insert into orders (customer_id, amount) values (1, 9)");
    assertThat(production.value("select max(id) from orders")).isEqualTo("301");
  }

  @Test
  void upsertOverwritesRowsWithTheSameKeyAndKeepsRowsOnlyTheTargetHas() {
    PostgresSelectiveRestoreResult result =
        activities.selectiveRestore(
            new PostgresSelectiveRestoreInput(
                "staging", "production", List.of("notes"), "upsert", null, null, targets));

    assertThat(result.rowsInserted()).isEqualTo(1);
    assertThat(result.rowsDeleted()).isEqualTo(1);
    assertThat(production.column("select body from notes order by id"))
        .containsExactly("kept", "written after the incident");
  }

  @Test
  void aDryRunReportsTheChangeAndRollsItBack() {
    PostgresSelectiveRestoreResult result =
        activities.selectiveRestore(
            new PostgresSelectiveRestoreInput(
                "staging", "production", List.of("orders"), null, null, true, targets));

    assertThat(result.committed()).isFalse();
    assertThat(result.rowsAfter()).isEqualTo(300);
    assertThat(production.value("select count(*) from orders")).isEqualTo("100");
  }

  @Test
  void aForeignKeyViolationAtCommitRollsEverythingBack() {
    staging.execute(
        "insert into customers (id, name) values (500, 'only on staging')",
        "insert into orders (customer_id, amount) values (500, 1)");

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.selectiveRestore(
                    new PostgresSelectiveRestoreInput(
                        "staging", "production", List.of("orders"), null, null, null, targets)));

    assertThat(failure.getType()).isEqualTo("ForeignKeyViolation");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(production.value("select count(*) from orders")).isEqualTo("100");
  }

  @Test
  void aTableLockedByProductionTimesOutRetryablyWithoutChanges() throws Exception {
    try (Connection holder = production.connect("postgres")) {
      holder.setAutoCommit(false);
      holder.createStatement().execute("lock table orders in access share mode");

      ApplicationFailure failure =
          applicationFailure(
              () ->
                  activities.selectiveRestore(
                      new PostgresSelectiveRestoreInput(
                          "staging",
                          "production",
                          List.of("orders"),
                          null,
                          "300ms",
                          null,
                          targets)));

      assertThat(failure.getType()).isEqualTo("LockTimeout");
      assertThat(failure.isNonRetryable()).isFalse();
      holder.rollback();
    }
    assertThat(production.value("select count(*) from orders")).isEqualTo("100");
  }

  @Test
  void differentColumnsAreASchemaMismatch() {
    staging.execute("alter table notes add column author text");

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.selectiveRestore(
                    new PostgresSelectiveRestoreInput(
                        "staging", "production", List.of("notes"), null, null, null, targets)));

    assertThat(failure.getType()).isEqualTo("SchemaMismatch");
    assertThat(failure.getOriginalMessage()).contains("author text");
  }

  private static String fingerprint(TestCluster cluster, String table) {
    return cluster.value(
        "select md5(string_agg(md5(t::text), '' ORDER BY t.id)) from " + table + " t");
  }
}
