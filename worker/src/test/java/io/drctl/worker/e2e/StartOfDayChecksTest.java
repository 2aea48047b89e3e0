package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: the seed's start-of-day routine and its verification levels end to end, on the whole
 * platform: a test sandbox ({@value #SANDBOX}, ports 29560-29579) with the front proxy, the task
 * worker and the secondary site's S3 store as the runbook's {@code backups-s3}. The daily backup
 * runs first (replicating to the sandbox's S3), then {@code start_of_day_checks}, whose every check
 * must pass, then {@code verify_smoke}, which runs {@code verify_full} and {@code verify_quick} as
 * child incidents over real calls through the proxy; last the weekly restore test restores the
 * daily dump into staging and records it VERIFIED in the backup's metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartOfDayChecksTest {
  private static final String SANDBOX = "e2e-morning";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29560);
  private static final String QUEUE = "start-of-day-e2e";
  private static final List<String> CHECKS =
      List.of(
          "fresh_pg",
          "fresh_redis",
          "fresh_s3",
          "size",
          "duration",
          "wal",
          "replication",
          "connections",
          "disk",
          "sentinel_1",
          "sentinel_2",
          "sentinel_3",
          "redis_memory");

  /**
   * Checks with the seed's 500 ms response-time threshold: on this shared 2-core machine under load
   * they may miss it, which the incident records (it goes on); anything else than the latency
   * fails.
   */
  private static final List<String> LATENCY_CHECKS = List.of("health", "readiness");

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  @Order(1)
  void afterTheDailyBackupEveryStartOfDayCheckPassesAndTheSummaryIsPosted() throws Exception {
    IncidentReport backup = run("backup_daily", "nightly backup");
    assertThat(backup.outcome()).as(describe(backup)).isEqualTo("succeeded");
    assertThat(stepReport(backup, "replicate").output().path("copied").asInt())
        .isGreaterThanOrEqualTo(4);

    IncidentReport checks = run("start_of_day_checks", "start of day");
    assertThat(checks.outcome()).as(describe(checks)).isEqualTo("succeeded");
    for (String check : CHECKS) {
      assertThat(stepReport(checks, check).status())
          .as(check + ": " + describe(checks))
          .isEqualTo("succeeded");
    }
    for (String check : LATENCY_CHECKS) {
      IncidentReport.StepReport step = stepReport(checks, check);
      if (!step.status().equals("succeeded")) {
        assertThat(step.error())
            .as(check)
            .contains("above maxLatency")
            .doesNotContain("expected 200");
      }
    }
    assertThat(ranInOrder(checks).get(ranInOrder(checks).size() - 1)).isEqualTo("summary");
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body)
                    .contains("Start-of-day checks: fresh_pg succeeded")
                    .contains("fresh_s3 succeeded"));
  }

  @Test
  @Order(2)
  void theSmokeTestRunsTheFullAndQuickVerificationAndTheUserScenariosThroughTheProxy()
      throws Exception {
    IncidentReport smoke = run("verify_smoke", "after the morning checks");
    assertThat(smoke.outcome()).as(describe(smoke)).isEqualTo("succeeded");
    assertThat(ranInOrder(smoke))
        .containsExactlyInAnyOrder(
            "full",
            "safety",
            "login",
            "materials",
            "chat_send",
            "chat_read",
            "submit",
            "payment",
            "user_1",
            "user_2",
            "user_3",
            "user_4",
            "user_5");
    assertThat(ranInOrder(smoke).get(0)).isEqualTo("full");
    try (Connection primary = E2E.sandbox().primary();
        Statement statement = primary.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM app_submissions),"
                    + " (SELECT count(*) FROM app_test_payments), (SELECT count(*) FROM app_uploads)")) {
      rows.next();
      assertThat(List.of(rows.getLong(1), rows.getLong(2), rows.getLong(3)))
          .as("the smoke test's submission and payment, the full verification's upload")
          .containsExactly(1L, 1L, 1L);
    }
  }

  @Test
  @Order(3)
  void theWeeklyRestoreTestRestoresTheLatestDumpIntoStagingAndRecordsItVerified() throws Exception {
    IncidentReport test = run("restore_test_weekly", "weekly restore test");
    assertThat(test.outcome()).as(describe(test)).isEqualTo("succeeded");
    assertThat(ranInOrder(test))
        .containsExactly("pick", "safety", "restore", "verify", "record", "report");
    String backupId = stepReport(test, "pick").output().path("backupId").asText();
    assertThat(stepReport(test, "verify").output().path("ok").asBoolean()).isTrue();
    assertThat(stepReport(test, "verify").output().path("corruptIndexes").asInt()).isZero();
    assertThat(E2E.metadata(backupId).path("restorability").asText()).isEqualTo("VERIFIED");
    try (Connection staging = E2E.sandbox().staging();
        Connection primary = E2E.sandbox().primary()) {
      assertThat(count(staging, "users")).isPositive().isEqualTo(count(primary, "users"));
      assertThat(count(staging, "payments")).isEqualTo(count(primary, "payments"));
    }
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body -> assertThat(body).contains("Restore test of " + backupId + ": VERIFIED"));
  }

  private static long count(Connection connection, String table) throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private IncidentReport run(String type, String reason) throws Exception {
    String id = type.replace('_', '-') + "-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                type,
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                reason);
    assertThat(started.exitCode()).as(started.text()).isZero();
    return E2E.harness().result(id, Duration.ofSeconds(300));
  }
}
