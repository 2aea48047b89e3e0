package io.drctl.worker.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import io.drctl.worker.ui.PlaywrightScript;
import io.drctl.worker.ui.UiTestTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 15: a reduced drill, {@code drctl drill backend cache_failover --auto-approve}, from
 * nothing, as the README's main job runs it: its own Temporal server, S3Proxy, sandbox ({@value
 * #SANDBOX}, ports 30320-30339), worker with the alert receiver, baseline backups; the backend
 * killed and the Redis master killed under writers, each alert raised through the receiver. The SLA
 * table printed and written as JSON must hold both rows as measured, and the HTML report must open
 * offline in headless Chromium with a timeline per incident whose bars are the steps that ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class ReducedDrillTest {
  private static final String SANDBOX = "drill-it";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 30320);
  private static final Path RUNBOOK =
      Path.of("..", "runbooks", "dr-runbook.json").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  @AfterAll
  void takeDownWhatAFailedRunLeft() {
    try (SandboxEngine engine = SandboxEngine.fromEnvironment()) {
      new Sandbox(
              engine,
              LAYOUT,
              SandboxImages.fromEnvironment(System.getenv()),
              WalArchiving.volumeCopy(),
              line -> {})
          .down();
    }
  }

  @Test
  void twoScenariosAreBrokenRecoveredMeasuredAndReported() throws Exception {
    Path report = dir.resolve("report");
    CliCapture run =
        CliCapture.run(
            "drill",
            "backend",
            "cache_failover",
            "--auto-approve",
            "-r",
            RUNBOOK.toString(),
            "--name",
            SANDBOX,
            "--port-base",
            String.valueOf(LAYOUT.portBase()),
            "--port",
            "29764",
            "--ui-port",
            "29765",
            "--receiver-port",
            "29766",
            "--state-dir",
            dir.resolve("state").toString(),
            "--backups",
            dir.resolve("backups").toString(),
            "--report",
            report.toString());
    String output = run.out() + run.err();
    System.out.println(run.out()); // the live lines and the table, in the build's log

    assertThat(report.resolve("drill.json")).as("the drill wrote its JSON:\n" + output).exists();
    JsonNode drill = JSON.readTree(report.resolve("drill.json").toFile());
    assertThat(run.exitCode()).as(output).isEqualTo(drill.path("passed").asBoolean() ? 0 : 1);
    assertThat(drill.path("scenarios").findValuesAsText("scenario"))
        .containsExactly("backend", "cache_failover");
    for (JsonNode scenario : drill.path("scenarios")) {
      String key = scenario.path("scenario").asText();
      assertThat(scenario.path("outcome").asText()).as(key + "\n" + output).isEqualTo("succeeded");
      assertThat(scenario.path("status").asText()).as(key).isIn("met", "missed");
      assertThat(scenario.path("rtoSeconds").asDouble())
          .as(key)
          .isPositive()
          .isLessThan(scenario.path("rtoObjectiveSeconds").asDouble() * 2);
      assertThat(scenario.path("writesAcknowledged").asLong())
          .as(key + ": the writer wrote through the failure")
          .isGreaterThan(10);
      assertThat(scenario.path("verification").asText())
          .as(key)
          .startsWith("health 200")
          .contains("tables match their manifest");
      assertThat(scenario.path("detectedAt").asText()).isNotEmpty();
    }
    JsonNode backend = drill.path("scenarios").get(0);
    assertThat(backend.path("workflowId").asText()).isEqualTo("single_service_failure/backend");
    assertThat(backend.path("writesLost").asLong())
        .as("a backend crash loses no database write")
        .isZero();
    assertThat(backend.path("rpoMet").asBoolean()).isTrue();
    JsonNode cache = drill.path("scenarios").get(1);
    assertThat(cache.path("writer").asText()).isEqualTo("redis");
    assertThat(cache.path("dataLostSeconds").asDouble())
        .as(
            "the seed: a replica failover loses under a second of writes"
                + " beyond the replica's freeze")
        .isLessThan(5.0);

    // The table printed at the end, one row a scenario with the measured columns.
    // The backend's row: recovered within the objective and within a tenth of it (30 s).
    assertThat(run.out())
        .contains("SLA table, measured on ")
        .contains("DETECTION → RECOVERED")
        .contains("≤ RTO/10");
    assertThat(run.out())
        .containsPattern(
            "(?m)^backend +1 single service \\(backend container\\) +\\d+\\.\\d s +5m +yes +yes"
                + " +0\\.0 s +0s +yes +met");
    assertThat(run.out())
        .containsPattern(
            "(?m)^cache_failover +cache failover \\(Redis master lost\\) +\\d+\\.\\d s +5m ");
    assertThat(run.out())
        .contains("approved veto as drctl-drill")
        .contains("alert      BackendDown fired through the receiver");
    assertThat(Files.exists(report.resolve("step-durations.json"))).isTrue();

    assertTheHtmlReportHasATimelinePerIncident(report.resolve("drill.html"), drill);
  }

  private void assertTheHtmlReportHasATimelinePerIncident(Path html, JsonNode drill)
      throws Exception {
    UiTestTools tools = UiTestTools.findOrSkip();
    Path screenshots = Path.of("target", "report-screenshots", "drill");
    Files.createDirectories(screenshots);
    JsonNode seen =
        PlaywrightScript.run(
            tools,
            Path.of("src/test/ui/drill-html.js"),
            JSON.createObjectNode()
                .put("file", html.toString())
                .put("screenshotDir", screenshots.toAbsolutePath().toString()),
            screenshots,
            Duration.ofMinutes(2));

    assertThat(seen.path("requests"))
        .as("a self-contained page asks the network for nothing")
        .isEmpty();
    assertThat(seen.path("sla").findValuesAsText("scenario"))
        .containsExactly("backend", "cache_failover");
    assertThat(seen.path("sla").findValuesAsText("status"))
        .containsExactlyElementsOf(drill.path("scenarios").findValuesAsText("status"));
    assertThat(seen.path("incidents").findValuesAsText("incident"))
        .containsExactly(
            "backup_daily/drill-baseline",
            "single_service_failure/backend",
            "cache_failover/redis");
    for (JsonNode incident : seen.path("incidents")) {
      List<String> bars = incident.path("bars").findValuesAsText("step");
      assertThat(incident.path("trackWidth").asDouble())
          .as(incident.path("incident").asText())
          .isPositive();
      for (JsonNode bar : incident.path("bars")) {
        assertThat(bar.path("width").asDouble()).as(bar.toString()).isPositive();
      }
      switch (incident.path("incident").asText()) {
        case "single_service_failure/backend" ->
            assertThat(bars)
                .contains("inspect", "veto", "restart", "health", "resolved")
                .doesNotContain("escalate");
        case "cache_failover/redis" ->
            assertThat(bars)
                .contains(
                    "master",
                    "safety",
                    "failover",
                    "promoted",
                    "verify",
                    "repoint",
                    "restart_backend",
                    "health",
                    "resolved");
        default ->
            assertThat(bars).contains("pg_dump", "pg_base", "redis_rdb", "redis_aof", "replicate");
      }
      assertThat(incident.path("bars").findValuesAsText("status"))
          .as(incident.path("incident").asText())
          .containsOnly("succeeded");
    }
  }
}
