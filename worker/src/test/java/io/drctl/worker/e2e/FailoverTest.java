package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.testing.Await;
import io.drctl.testing.DataLossProbe;
import io.drctl.workflow.IncidentReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, "Replica promotion", end to end: the {@code replica_promotion} incident of {@code
 * runbooks/dr-runbook.json} as the runbook has it, against real containers. A writer commits rows
 * one by one into the primary of a test sandbox ({@value #SANDBOX}, ports 29380-29399) and
 * remembers the last one the server acknowledged; the primary's container is killed mid-write; an
 * operator starts the incident and approves the promotion through the CLI. The incident must fence
 * the old primary, promote the replica, repoint the service record through the sandbox's
 * dns-webhook, restart the backend onto the new primary, rewind the old primary into a standby of
 * it, and report the data it lost (measured from the old primary's own WAL) as its actual RPO:
 * never less than what the writer saw lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverTest {
  private static final String SANDBOX = "e2e-failover";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29380);
  private static final String QUEUE = "failover-e2e";
  private static final Duration WRITING_BEFORE_THE_CRASH = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  void
      aPrimaryKilledMidWritesFailsOverToTheReplicaAndTheReportedRpoCoversEveryLostAcknowledgedWrite()
          throws Exception {
    try (Connection primary = E2E.sandbox().primary();
        Statement statement = primary.createStatement()) {
      statement.execute(
          "create table rpo_probe (id bigint primary key, written_at timestamptz not null)");
    }
    DataLossProbe writer = new DataLossProbe(() -> E2E.sandbox().primary());
    Thread thread = new Thread(writer, "rpo-writer");
    thread.start();
    Thread.sleep(WRITING_BEFORE_THE_CRASH.toMillis());
    E2E.engine().kill(LAYOUT.container(Role.PRIMARY));
    thread.join(Duration.ofSeconds(30).toMillis());
    assertThat(writer.failure()).as("the writer ended on the crash").isNotNull();
    long acknowledged = writer.lastAcknowledged();
    assertThat(acknowledged).as("rows committed before the crash").isGreaterThan(50);

    String id = "failover-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "replica_promotion",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "pg-primary container died");
    assertThat(started.exitCode()).as(started.text()).isZero();
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "approve").status().equals("waiting-approval"),
            "the approval of the promotion");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "primary is gone", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "primary",
            "lag",
            "approve",
            "promote",
            "repoint",
            "restart_backend",
            "health",
            "rejoin",
            "replication",
            "resolved");
    assertThat(stepReport(report, "primary").output().path("ready").asBoolean()).isFalse();
    JsonNode promote = stepReport(report, "promote").output();
    assertThat(promote.path("promoted").asBoolean()).as(promote.toString()).isTrue();
    assertThat(promote.path("port").asInt()).isEqualTo(LAYOUT.port(Role.REPLICA));

    // The service record now names the replica, and the restarted backend connects to it.
    JsonNode health = JSON.readTree(get(LAYOUT.healthUrl()));
    assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("healthy");
    assertThat(health.path("database").path("port").asInt())
        .as(health.toString())
        .isEqualTo(LAYOUT.port(Role.REPLICA));
    assertThat(health.path("database").path("source").asText())
        .as(health.toString())
        .contains("registry record");

    // The old primary was rewound (not recloned) into a standby of the new primary.
    JsonNode rejoin = stepReport(report, "rejoin").output();
    assertThat(rejoin.path("method").asText()).as(rejoin.toString()).isEqualTo("rewind");
    assertThat(rejoin.path("streaming").asBoolean()).as(rejoin.toString()).isTrue();
    assertThat(rejoin.path("timeline").asInt()).isEqualTo(promote.path("timeline").asInt());
    assertThat(rejoin.path("dataLossMeasured").asBoolean()).as(rejoin.toString()).isTrue();

    try (Connection newPrimary = E2E.sandbox().replica();
        Statement statement = newPrimary.createStatement()) {
      long kept = Long.parseLong(scalar(statement, "select coalesce(max(id), 0) from rpo_probe"));
      assertThat(scalar(statement, "select count(*) from rpo_probe"))
          .as("no gaps below the last row kept")
          .isEqualTo(String.valueOf(kept));
      long lostRows = Math.max(0, acknowledged - kept);
      double lostSeconds = writer.secondsLost(kept);
      System.out.printf(
          Locale.ROOT,
          "failover: %d rows acknowledged, %d kept: %d lost (%.3f s of writes); the"
              + " incident measured %d lost transactions, %.3f s (%s); took %d s%n",
          acknowledged,
          kept,
          lostRows,
          lostSeconds,
          rejoin.path("lostTransactions").asLong(),
          report.rpoActualSeconds(),
          report.rpoMeasuredBy(),
          report.durationSeconds());
      // Every acknowledged write the new primary lacks is a commit in the old primary's own WAL
      // past the switch point (other commits, e.g. autovacuum's, may add to them).
      assertThat(rejoin.path("lostTransactions").asLong())
          .as(rejoin.toString())
          .isGreaterThanOrEqualTo(lostRows);
      assertThat(report.rpoMeasuredBy()).isEqualTo("rejoin");
      assertThat(report.rpoActualSeconds())
          .as("the reported RPO")
          .isNotNull()
          .isEqualTo(rejoin.path("dataLossSeconds").asDouble())
          // commit times against acknowledgement times: a few milliseconds apart
          .isGreaterThanOrEqualTo(lostSeconds - 0.05);
      assertThat(report.rpoMet()).isTrue();

      statement.executeUpdate("insert into rpo_probe values (" + (acknowledged + 1) + ", now())");
    }
    try (Connection standby = E2E.sandbox().primary();
        Statement statement = standby.createStatement()) {
      assertThat(scalar(statement, "select pg_is_in_recovery()")).isEqualTo("t");
      Await.awaitTrue(
          () ->
              "1"
                  .equals(
                      scalar(
                          statement,
                          "select count(*) from rpo_probe where id = " + (acknowledged + 1))),
          Duration.ofSeconds(30),
          "the new primary's write on the rejoined standby");
    }
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body).contains("pg-replica promoted").contains("rejoined by rewind"));
    E2eHarness.Cli status = E2E.harness().cli("status", id);
    assertThat(status.out())
        .as(status.text())
        .contains("data loss")
        .contains("measured by step rejoin");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static String scalar(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
