package io.drctl.activities.postgres;

import static io.drctl.activities.http.CatalogWire.received;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.ActionPackContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The postgres records and activity types agree with {@code io/drctl/catalog/postgres.json}. No
 * server needed.
 */
class PostgresCatalogContractTest extends ActionPackContract {
  PostgresCatalogContractTest() {
    super("postgres.", PostgresActivitiesImpl.class, "{\"target\": \"db\"}");
  }

  private static final Map<String, JsonNode> TARGETS =
      Map.of(
          "db",
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "postgres")
              .put("host", "127.0.0.1")
              .put("port", 5432)
              .put("password", "env:PGPASSWORD"));

  /** Each implemented action with an input whose every optional field is set, and a result. */
  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of(
            "postgres.isReady",
            new PostgresIsReadyInput("db", "5s", true, TARGETS),
            new PostgresIsReadyResult(true, false, "15.18", 3)),
        Arguments.of(
            "postgres.query",
            new PostgresQueryInput("db", "select $1", List.of(1), "app", "30s", 10, TARGETS),
            new PostgresQueryResult(1, List.of("a"), Map.of("a", 1), "1", 2)),
        Arguments.of(
            "postgres.connectionStats",
            new PostgresConnectionStatsInput("db", 0.9, "15m", true, TARGETS),
            new PostgresConnectionStatsResult(true, 3, 100, 0.03, 1, 1, 1, 0, 1.5)),
        Arguments.of(
            "postgres.diskUsage",
            new PostgresDiskUsageInput("db", 0.8, true, TARGETS),
            new PostgresDiskUsageResult(true, 1, 2, 3, 1, 0.33)),
        Arguments.of(
            "postgres.replicationStatus",
            new PostgresReplicationStatusInput("db", 1L, "1m", 1, true, TARGETS),
            new PostgresReplicationStatusResult(
                true,
                "primary",
                false,
                1,
                1,
                0,
                0.5,
                "",
                List.of(new SlotStatus("s", true, "0/1", 0)),
                0)),
        Arguments.of(
            "postgres.archiveStatus",
            new PostgresArchiveStatusInput("db", "15m", true, true, TARGETS),
            new PostgresArchiveStatusResult(
                true, 1, 0, "000000010000000000000001", "2024-01-01T00:00:00Z", "", 1.5, 0)),
        Arguments.of(
            "postgres.promote",
            new PostgresPromoteInput("db", "db", "stopContainer", true, 1L, 60, TARGETS),
            new PostgresPromoteResult(
                true, true, 2, "0/3000000", "h", 5432, "2024-01-01T00:00:00Z", 110)),
        Arguments.of(
            "postgres.rejoin",
            new PostgresRejoinInput("db", "db", "rewind", true, "slot", "5m", TARGETS),
            new PostgresRejoinResult(
                "rewind",
                "0/3000000",
                "",
                2,
                true,
                0,
                0.5,
                true,
                "",
                "0/3000000",
                3,
                1024,
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:01Z",
                1.5)),
        Arguments.of(
            "postgres.verify",
            new PostgresVerifyInput(
                "db",
                "app",
                "store",
                "b1",
                List.of("t"),
                true,
                true,
                false,
                List.of(new SampleQuery("n", "select 1", 1)),
                true,
                TARGETS),
            new PostgresVerifyResult(
                true, 1, 2, 0, 0, 1, 0, 0, List.of(new Difference("query", "n", "1", "2")), "ok")),
        Arguments.of(
            "postgres.schemaCheck",
            new PostgresSchemaCheckInput(
                "db", "app", List.of("t"), "db", "store", "b1", true, TARGETS),
            new PostgresSchemaCheckResult(
                true,
                "sha256:00",
                1,
                List.of("t"),
                List.of(new SchemaDifference("TABLE", "public.t", "changed", "backup b1")),
                "b1")),
        Arguments.of(
            "postgres.compare",
            new PostgresCompareInput("db", "db", List.of("t"), "a", "b", true, TARGETS),
            new PostgresCompareResult(
                true, 1, 1, 0, 0, List.of(new TableComparison("public.t", 1, 1, true)), "t 1/1")),
        Arguments.of(
            "postgres.dump",
            new PostgresDumpInput(
                "db", "store", "app", "daily", "custom", 1, 6, false, true, "l", TARGETS),
            new PostgresDumpResult(
                "b1", "2024-01-01T00:00:00Z", 10, "sha256:00", 1.5, "/x", "app", 2, 3)),
        Arguments.of(
            "postgres.restore",
            new PostgresRestoreInput("db", "store", "latest", "app", true, 2, true, "2m", TARGETS),
            new PostgresRestoreResult("b1", "2024-01-01T00:00:00Z", "app", 2, 3, 1.5)),
        Arguments.of(
            "postgres.basebackup",
            new PostgresBasebackupInput(
                "db", "store", "daily", "tar", "zstd", "fast", true, "32M", "l", TARGETS),
            new PostgresBasebackupResult(
                "b1",
                "2024-01-01T00:00:00Z",
                10,
                "sha256:00",
                1.5,
                "/x",
                "0/2000028",
                "0/2000100",
                1,
                false)),
        Arguments.of(
            "postgres.pitr",
            new PostgresPitrInput(
                "db",
                "store",
                "2024-01-01T00:00:00Z",
                true,
                "current",
                "b1",
                "db",
                "5m",
                true,
                TARGETS),
            new PostgresPitrResult(
                "b1", "2024-01-01 00:00:00+00", 700, "before", 2, 3, "/d.pre", 3.5)),
        Arguments.of(
            "postgres.selectiveRestore",
            new PostgresSelectiveRestoreInput(
                "db", "db", List.of("t"), "replace", "10s", true, TARGETS),
            new PostgresSelectiveRestoreResult(true, 1, 10, 10, 9, 9, 0.5)),
        Arguments.of(
            "postgres.snapshot",
            new PostgresSnapshotInput("db", "store", "dump", List.of("t"), true, "pre", TARGETS),
            new PostgresSnapshotResult("s1", "dump", "/x", 10, "2024-01-01T00:00:00Z", 0)));
  }

  @Test
  void aCommaSeparatedTableListArrivesAsOneElementThatTheActivitySplits() {
    PostgresCompareInput input =
        received(
            "{\"source\": \"a\", \"target\": \"b\", \"tables\": \"orders, public.users\"}",
            PostgresCompareInput.class);

    assertThat(PostgresInputs.tables("tables", input.tables()))
        .containsExactly(new TableName("public", "orders"), new TableName("public", "users"));
  }

  @Test
  void pendingSegmentsCountsCompletedSegmentsAfterTheLastArchivedOne() {
    long size = 16L * 1024 * 1024;

    assertThat(
            ReplicationChecks.pendingSegments(
                "000000010000000000000005", "000000010000000000000004", size))
        .isZero();
    assertThat(
            ReplicationChecks.pendingSegments(
                "000000010000000000000009", "000000010000000000000004", size))
        .isEqualTo(4);
    assertThat(
            ReplicationChecks.pendingSegments(
                "000000010000000100000001", "0000000100000000000000FE", size))
        .isEqualTo(2);
    assertThat(
            ReplicationChecks.pendingSegments(
                "000000020000000000000007", "000000010000000000000006.partial", size))
        .isZero();
    assertThat(ReplicationChecks.pendingSegments("000000010000000000000003", "", size))
        .isEqualTo(3);
    assertThat(ReplicationChecks.pendingSegments("", "000000010000000000000003", size)).isZero();
  }

  @Test
  void inputsPrintNoQueryParametersAndNoTargetProperties() {
    PostgresQueryInput input =
        new PostgresQueryInput(
            "db", "select $1", List.of("s3cret-value"), null, null, null, TARGETS);

    assertThat(input.toString())
        .contains("parameters=1", "$targets=[db]")
        .doesNotContain("s3cret-value")
        .doesNotContain("env:PGPASSWORD");
  }
}
