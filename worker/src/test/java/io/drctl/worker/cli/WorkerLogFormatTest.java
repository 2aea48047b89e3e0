package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.PlanJson;
import io.drctl.testing.JavaProcess;
import io.drctl.worker.dev.DevServer;
import io.drctl.workflow.IncidentReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's log as a collector reads it: {@code drctl worker --log-format json} in its own
 * process writes one JSON object a line, and the lines of a step's attempt carry the incident (the
 * SDK's {@code WorkflowId}) and the step ({@code drctl.step}) in their {@code mdc}.
 */
class WorkerLogFormatTest {
  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "logs",
       "incidents": [{"type": "log_drill", "title": "Log drill", "severity": "low", "objectives": {"rto": "5m"},
         "steps": [{"id": "say_hello", "action": "shell.exec", "with": {"argv": ["echo", "hello"]}},
                   {"id": "fail_once", "action": "shell.exec", "retry": {"maxAttempts": 2, "initialInterval": "1s"},
                    "continueOnError": true,
                    "with": {"argv": ["false"]}}]}]}
      """;

  @TempDir Path dir;
  private DevServer server;
  private WorkerProcess worker;

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyLineIsJsonAndAStepsLinesNameTheIncidentAndTheStep() throws Exception {
    Path runbook = Files.writeString(dir.resolve("logs.json"), RUNBOOK);
    server = ContractServers.onFreePorts(ContractServers::javaTestServer, dir.resolve("server"));
    String queue = "drctl-logs-" + UUID.randomUUID().toString().substring(0, 8);
    worker =
        WorkerProcess.start(
            dir.resolve("worker.log"),
            java.util.Map.of(),
            "--log-format",
            "json",
            "--address",
            server.address(),
            "--task-queue",
            queue,
            "--runbook",
            runbook.toString());
    String id = "log-drill-" + UUID.randomUUID().toString().substring(0, 8);

    IncidentReport report =
        worker.runIncident(server.address(), queue, runbook, "log_drill", id, 60);
    worker.stop();

    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("succeeded", "failed");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : worker.log().split("\n")) {
      if (line.startsWith("{")) {
        lines.add(PlanJson.mapper().readTree(line));
      } else {
        // The worker's own banner goes to standard output as text; every log line is JSON.
        assertThat(line)
            .as("a log line that is not JSON")
            .doesNotContainPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
      }
    }
    List<JsonNode> steps =
        lines.stream()
            .filter(
                line -> line.path("loggerName").asText().equals("io.drctl.worker.temporal.StepLog"))
            .filter(line -> line.path("mdc").path("WorkflowId").asText().equals(id))
            .toList();
    assertThat(steps)
        .extracting(
            line ->
                line.path("mdc").path("drctl.step").asText()
                    + " "
                    + line.path("formattedMessage").asText())
        .anySatisfy(
            text ->
                assertThat(text)
                    .startsWith("say_hello step say_hello: shell.exec attempt 1 succeeded in "))
        .anySatisfy(
            text ->
                assertThat(text)
                    .startsWith("fail_once step fail_once: shell.exec attempt 2 failed after "));
    assertThat(steps)
        .allSatisfy(
            line -> {
              assertThat(line.path("level").asText()).isIn("INFO", "WARN");
              assertThat(line.path("mdc").path("ActivityType").asText()).isEqualTo("shell.exec");
            });
  }

  @Test
  void anUnknownFormatIsRefusedWhetherFromTheOptionOrTheEnvironment() throws Exception {
    CliRun option = CliRun.of("validate", "--log-format", "xml", "../runbooks/dr-runbook.json");
    assertThat(option.exitCode()).isEqualTo(2);
    assertThat(option.err())
        .contains("--log-format: unknown log format 'xml'; formats: text, json");

    ProcessBuilder builder =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    "validate",
                    "../runbooks/dr-runbook.json"))
            .redirectErrorStream(true);
    builder.environment().put("DRCTL_LOG_FORMAT", "yaml");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output)
        .isEqualTo("drctl: DRCTL_LOG_FORMAT: unknown log format 'yaml'; formats: text, json\n");
  }
}
