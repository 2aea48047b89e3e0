package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * isReady, query, connectionStats, diskUsage, replicationStatus and archiveStatus on the shared
 * real primary and replica.
 */
class PostgresServerChecksTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static PostgresTestClusters.Pair pair;

  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void cluster() {
    pair = clusters.shared();
    pair.primary()
        .execute(
            "create table if not exists checks_items (id int primary key, name text)",
            "insert into checks_items values (1, 'one'), (2, 'two'), (3, 'three') on conflict do nothing");
  }

  @BeforeEach
  void start() {
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    ObjectNode wrongPassword = pair.primary().target().put("password", "env:WRONG_PASSWORD");
    ObjectNode nobody = pair.primary().target().put("port", 1);
    targets =
        targets(
            "primary",
            pair.primary(),
            "replica",
            pair.replica(),
            "wrong",
            wrongPassword,
            "nobody",
            nobody);
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void isReadyReportsAPrimaryAndAStandbyWithTheirVersion() {
    PostgresIsReadyResult primary =
        activities.isReady(new PostgresIsReadyInput("primary", null, null, targets));
    PostgresIsReadyResult replica =
        activities.isReady(new PostgresIsReadyInput("replica", null, null, targets));

    assertThat(primary.ready()).isTrue();
    assertThat(primary.inRecovery()).isFalse();
    assertThat(primary.serverVersion()).startsWith("15.");
    assertThat(replica.ready()).isTrue();
    assertThat(replica.inRecovery()).isTrue();
  }

  @Test
  void isReadyReportsNotReadyWhenNothingListensAndFailIfNotReadyIsFalse() {
    PostgresIsReadyResult result =
        activities.isReady(new PostgresIsReadyInput("nobody", "2s", false, targets));

    assertThat(result.ready()).isFalse();
    assertThat(result.serverVersion()).isEmpty();
  }

  @Test
  void aServerWithoutTheTargetsDatabaseIsNotReadyWhenFailIfNotReadyIsFalse() {
    ObjectNode lost = pair.primary().target().put("database", "lost_after_reinit");
    Map<String, JsonNode> withLost = Map.of("lost", lost);

    PostgresIsReadyResult result =
        activities.isReady(new PostgresIsReadyInput("lost", "2s", false, withLost));
    ApplicationFailure failure =
        applicationFailure(
            () -> activities.isReady(new PostgresIsReadyInput("lost", "2s", true, withLost)));

    assertThat(result.ready()).isFalse();
    assertThat(failure.getType()).isEqualTo(PostgresFailures.DATABASE_MISSING);
  }

  @Test
  void nothingListeningIsARetryableServerUnavailable() {
    ApplicationFailure failure =
        applicationFailure(
            () -> activities.isReady(new PostgresIsReadyInput("nobody", "2s", true, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.SERVER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("target 'nobody'", "127.0.0.1:1");
  }

  @Test
  void anUnresolvablePasswordReferenceIsANonRetryableSecretUnavailable() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.query(
                    new PostgresQueryInput("wrong", "select 1", null, null, null, null, targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void aWrongPasswordIsANonRetryableAuthenticationFailureThatDoesNotShowThePassword()
      throws Exception {
    ObjectNode badPassword =
        pair.primary().target().put("password", "file:" + writeSecret("not-the-password"));
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.isReady(
                    new PostgresIsReadyInput("bad", null, null, Map.of("bad", badPassword))));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.AUTHENTICATION_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .doesNotContain("not-the-password")
        .doesNotContain(clusters.password());
  }

  @Test
  void queryBindsDollarParametersAndReturnsColumnsAndTheFirstRow() {
    PostgresQueryResult result =
        activities.query(
            new PostgresQueryInput(
                "primary",
                "select id, name, id > 1 as big from checks_items where id between $1 and 3 and name <> $2 order by id",
                List.of(2, "nobody"),
                null,
                null,
                null,
                targets));

    assertThat(result.rowCount()).isEqualTo(2);
    assertThat(result.columns()).containsExactly("id", "name", "big");
    assertThat(result.firstRow())
        .containsEntry("id", 2)
        .containsEntry("name", "two")
        .containsEntry("big", true);
    assertThat(result.firstValue()).isEqualTo("2");
  }

  @Test
  void queryCountsAtMostMaxRows() {
    PostgresQueryResult result =
        activities.query(
            new PostgresQueryInput(
                "primary", "select * from generate_series(1, 50)", null, null, null, 10, targets));

    assertThat(result.rowCount()).isEqualTo(10);
  }

  @Test
  void queryCannotWriteEvenAfterACommitInsideTheText() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.query(
                    new PostgresQueryInput(
                        "primary",
                        "commit; insert into checks_items values (99, 'sneaky')",
                        null,
                        null,
                        null,
                        null,
                        targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.QUERY_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("read-only");
    assertThat(pair.primary().value("select count(*) from checks_items where id = 99"))
        .isEqualTo("0");
  }

  @Test
  void aQueryLongerThanItsStatementTimeoutIsARetryableTimeout() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.query(
                    new PostgresQueryInput(
                        "primary", "select pg_sleep(5)", null, null, "200ms", null, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.QUERY_TIMED_OUT);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void aMissingDatabaseIsNonRetryable() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.query(
                    new PostgresQueryInput(
                        "primary", "select 1", null, "no_such_db", null, null, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.DATABASE_MISSING);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void connectionStatsCountsAnIdleTransactionAndFailsWhenItIsTooOld() throws Exception {
    try (var connection = pair.primary().connect("postgres")) {
      connection.setAutoCommit(false);
      connection.createStatement().execute("select 1");
      Thread.sleep(1100);

      PostgresConnectionStatsResult report =
          activities.connectionStats(
              new PostgresConnectionStatsInput("primary", null, "1s", false, targets));
      ApplicationFailure failure =
          applicationFailure(
              () ->
                  activities.connectionStats(
                      new PostgresConnectionStatsInput("primary", null, "1s", true, targets)));

      assertThat(report.healthy()).isFalse();
      assertThat(report.idleInTransaction()).isGreaterThanOrEqualTo(1);
      assertThat(report.oldestTransactionSeconds()).isGreaterThan(1.0);
      assertThat(report.maxConnections()).isEqualTo(40);
      assertThat(failure.getType()).isEqualTo(PostgresFailures.CONNECTIONS_EXHAUSTED);
    }
    PostgresConnectionStatsResult calm =
        activities.connectionStats(
            new PostgresConnectionStatsInput("primary", null, null, null, targets));
    assertThat(calm.healthy()).isTrue();
  }

  @Test
  void diskUsageReadsTheLocalDataDirectorysFilesystemAndFailsAboveTheRatio() {
    PostgresDiskUsageResult result =
        activities.diskUsage(new PostgresDiskUsageInput("primary", 1.0, null, targets));
    ApplicationFailure failure =
        applicationFailure(
            () -> activities.diskUsage(new PostgresDiskUsageInput("primary", 0.0, true, targets)));

    assertThat(result.databaseBytes()).isGreaterThan(1_000_000);
    assertThat(result.walBytes()).isGreaterThanOrEqualTo(16L * 1024 * 1024);
    assertThat(result.filesystemBytes()).isGreaterThan(result.filesystemUsedBytes()).isPositive();
    assertThat(result.usedRatio()).isBetween(0.0, 1.0);
    assertThat(failure.getType()).isEqualTo(PostgresFailures.DISK_FULL);
  }

  @Test
  void replicationStatusOnThePrimaryShowsTheStreamingReplicaAndItsActiveSlot() {
    PostgresReplicationStatusResult result =
        activities.replicationStatus(
            new PostgresReplicationStatusInput("primary", null, null, 1, null, targets));

    assertThat(result.role()).isEqualTo("primary");
    assertThat(result.healthy()).isTrue();
    assertThat(result.replicas()).isEqualTo(1);
    assertThat(result.timeline()).isEqualTo(1);
    assertThat(result.slots()).extracting(SlotStatus::slotName).containsExactly("replica1");
    assertThat(result.slots().get(0).active()).isTrue();
    assertThat(result.inactiveSlots()).isZero();
  }

  @Test
  void replicationStatusOnTheStandbyShowsItStreamsWithSmallLag() {
    pair.primary().execute("insert into checks_items values (10, 'ten') on conflict do nothing");

    PostgresReplicationStatusResult result =
        activities.replicationStatus(
            new PostgresReplicationStatusInput("replica", null, null, null, null, targets));

    assertThat(result.role()).isEqualTo("standby");
    assertThat(result.inRecovery()).isTrue();
    assertThat(result.healthy()).isTrue();
    assertThat(result.lagBytes()).isLessThan(16L * 1024 * 1024);
    assertThat(result.lastReplayAt()).isNotEmpty();
  }

  @Test
  void replicationStatusFailsWhenFewerStandbysStreamThanRequired() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.replicationStatus(
                    new PostgresReplicationStatusInput("primary", null, null, 2, true, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.REPLICATION_UNHEALTHY);
    assertThat(failure.getOriginalMessage()).contains("1 streaming standby(s) (need 2)");
  }

  @Test
  void archiveStatusAfterASwitchShowsTheSwitchedSegmentArchived() {
    String segment = pair.primary().value("select pg_walfile_name(pg_current_wal_lsn())");

    PostgresArchiveStatusResult result =
        activities.archiveStatus(
            new PostgresArchiveStatusInput("primary", null, true, null, targets));

    assertThat(result.healthy()).isTrue();
    assertThat(result.lastArchivedWal()).isGreaterThanOrEqualTo(segment);
    assertThat(result.archivedCount()).isPositive();
    assertThat(result.failedCount()).isZero();
    assertThat(result.ageSeconds()).isLessThan(60);
    assertThat(result.pendingSegments()).isZero();
    assertThat(pair.archive().resolve(result.lastArchivedWal())).exists();
  }

  @Test
  void archiveStatusCountsSegmentsThatFailToArchiveAsPendingAndUnhealthy() {
    TestCluster broken = clusters.freshPrimary("broken-archive");
    broken.execute("alter system set archive_command = 'false'", "select pg_reload_conf()");
    for (int i = 0; i < 3; i++) {
      broken.execute(
          "create table if not exists t (i int)",
          "insert into t values (1)",
          "select pg_switch_wal()");
    }
    Map<String, JsonNode> brokenTargets = Map.of("broken", broken.target());

    PostgresArchiveStatusResult result =
        activities.archiveStatus(
            new PostgresArchiveStatusInput("broken", null, null, false, brokenTargets));
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.archiveStatus(
                    new PostgresArchiveStatusInput("broken", null, null, null, brokenTargets)));

    assertThat(result.healthy()).isFalse();
    assertThat(result.pendingSegments()).isGreaterThanOrEqualTo(3);
    assertThat(failure.getType()).isEqualTo(PostgresFailures.ARCHIVE_UNHEALTHY);
  }

  private static String writeSecret(String value) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("pgpw", ".txt");
    java.nio.file.Files.writeString(file, value);
    file.toFile().deleteOnExit();
    return file.toString();
  }
}
