package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SiteClient;
import io.drctl.workflow.IncidentReport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, the seed's scenario 4A with 4B's fail-back, never run before: a test sandbox ({@value
 * #SANDBOX}, ports 30000-30019) whose daily dump is replicated to the secondary site's S3 store;
 * then every container of the primary site (PostgreSQL and its replica, Redis, its replica and
 * Sentinels, the backend and the task worker) is stopped. {@code datacenter_failure} restores the
 * dump from S3 into {@code pg-secondary}, starts {@code redis-secondary}, switches the zone's
 * records and restarts the application onto them: the API then serves from the secondary site and
 * takes writes there. When the primary site is back, {@code datacenter_failback} carries those
 * writes back, switches the records to the primary and restarts the application onto it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatacenterFailoverTest {
  private static final String SANDBOX = "e2e-datacenter";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 30000);
  private static final String QUEUE = "datacenter-e2e";
  private static final SiteClient SITE = new SiteClient(LAYOUT);

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  @Order(1)
  void losingThePrimarySiteFailsOverToTheSecondaryFromTheS3Copy() throws Exception {
    Path backups =
        E2eHarness.writeCutRunbook(
            E2E.dir().resolve("backup.json"),
            "backup_daily",
            List.of("pg_dump", "verify_dump", "replicate"));
    IncidentReport backup = run("backup_daily", backups, "nightly backup");
    String dump = stepReport(backup, "pg_dump").output().path("backupId").asText();

    for (Role role : Role.PRIMARY_SITE) {
      E2E.docker().stopContainerCmd(LAYOUT.container(role)).withTimeout(10).exec();
    }
    String id = "datacenter-failure-" + System.nanoTime();
    start(id, "datacenter_failure");
    approve(id, "approve_failover");
    approve(id, "approve_dns");
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsSubsequence("announce", "secondary_ready", "pick", "approve_failover")
        .containsSubsequence("approve_dns", "switch_dns", "restart_app", "check_health", "resolved")
        .contains(
            "restore_pg",
            "verify_pg",
            "start_redis",
            "verify_redis",
            "restart_worker",
            "check_ready",
            "check_data");
    assertThat(stepReport(report, "pick").output().path("backupId").asText()).isEqualTo(dump);
    try (Connection secondary = connect(Role.PG_SECONDARY)) {
      assertThat(Dataset.verify(secondary).mismatches())
          .as("the secondary holds the dataset")
          .isEmpty();
    }
    JsonNode health = SITE.getJson("/api/system/health/", null);
    assertThat(health.path("database").path("port").asInt())
        .as(health.toString())
        .isEqualTo(LAYOUT.port(Role.PG_SECONDARY));
    assertThat(health.path("redis").path("port").asInt())
        .isEqualTo(LAYOUT.port(Role.REDIS_SECONDARY));

    // Users go on working on the secondary site: a submission written there must survive the
    // fail-back.
    String token = SITE.login(1);
    HttpResponse<String> submitted =
        SITE.post("/api/assignments/1/submit/", token, "{\"answer\":\"written on the secondary\"}");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
  }

  @Test
  @Order(2)
  void whenThePrimarySiteIsBackTheFailBackCarriesTheSecondarysWritesHome() throws Exception {
    List<Role> startOrder = new ArrayList<>(Role.PRIMARY_SITE);
    java.util.Collections.reverse(startOrder);
    for (Role role : startOrder) {
      // The failover restarted the backend and the task worker on the secondary: those run already.
      if (!Boolean.TRUE.equals(
          E2E.docker()
              .inspectContainerCmd(LAYOUT.container(role))
              .exec()
              .getState()
              .getRunning())) {
        E2E.docker().startContainerCmd(LAYOUT.container(role)).exec();
      }
    }
    String id = "datacenter-failback-" + System.nanoTime();
    start(id, "datacenter_failback");
    approve(id, "approve");
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsSubsequence(
            "announce",
            "primary_ready",
            "dump_secondary",
            "approve",
            "safety",
            "restore",
            "verify",
            "switch_back")
        .contains("restart_app", "restart_worker")
        .endsWith("health", "resolved");
    assertThat(stepReport(report, "verify").output().path("ok").asBoolean()).isTrue();
    JsonNode health = SITE.getJson("/api/system/health/", null);
    assertThat(health.path("database").path("port").asInt())
        .as(health.toString())
        .isEqualTo(LAYOUT.port(Role.PRIMARY));
    assertThat(health.path("redis").path("port").asInt()).isEqualTo(LAYOUT.port(Role.REDIS));
    try (Connection primary = E2E.sandbox().primary();
        Statement statement = primary.createStatement();
        ResultSet rows = statement.executeQuery("select answer from app_submissions")) {
      assertThat(rows.next()).as("the submission written on the secondary").isTrue();
      assertThat(rows.getString(1)).isEqualTo("written on the secondary");
      assertThat(Dataset.verify(primary).mismatches()).isEmpty();
    }
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(body -> assertThat(body).contains("Fail-back complete"));
  }

  private IncidentReport run(String type, Path runbook, String reason) throws Exception {
    String id = type.replace('_', '-') + "-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                type,
                "-r",
                runbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                reason);
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(240));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    return report;
  }

  private void start(String id, String type) throws Exception {
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
                type + " drill");
    assertThat(started.exitCode()).as(started.text()).isZero();
  }

  private void approve(String id, String step) throws Exception {
    E2E.harness()
        .awaitProgress(
            id,
            progress ->
                progress.steps().stream()
                    .anyMatch(s -> s.id().equals(step) && s.status().equals("waiting-approval")),
            "the approval of " + step);
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--step", step, "--reason", "go", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
  }

  private static Connection connect(Role role) throws Exception {
    return DriverManager.getConnection(
        LAYOUT.jdbcUrl(role, SandboxLayout.DATABASE), SandboxLayout.USER, SandboxLayout.PASSWORD);
  }
}
