package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.postgres.PostgresTestClusters;
import io.drctl.activities.postgres.TestCluster;
import io.drctl.plan.PlanJson;
import io.drctl.worker.dev.DevServer;
import io.drctl.workflow.IncidentReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector's view of a real restore: {@code drctl worker --log-format json} dumps a real
 * PostgreSQL database into a local store and restores it with {@code postgres.restore}, and the
 * JSON lines of the restore step carry the incident (the SDK's {@code WorkflowId}) and the step
 * ({@code drctl.step}) in their {@code mdc}. The password never appears in the log.
 */
class PostgresRestoreLogTest {
  @RegisterExtension static final PostgresTestClusters POSTGRES = new PostgresTestClusters();
  private static final String PASSWORD = "restore-log-" + UUID.randomUUID();
  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "restore logs",
       "policy": {"rules": {"destructive-without-guard": "off"}},
       "targets": {
         "pg": {"kind": "postgres", "host": "127.0.0.1", "port": %1$d, "database": "postgres", "user": "postgres",
                "password": "env:RESTORE_LOG_PGPASSWORD", "sslMode": "disable"},
         "backups": {"kind": "backupStore", "store": "local", "path": "%2$s"}},
       "incidents": [{"type": "restore_log_drill", "title": "Restore log drill", "severity": "low", "objectives": {"rto": "10m"},
         "steps": [
           {"id": "dump", "action": "postgres.dump", "with": {"target": "pg", "store": "backups", "schedule": "daily"}},
           {"id": "restore", "action": "postgres.restore",
            "with": {"target": "pg", "store": "backups", "from": "${{ steps.dump.output.backupId }}",
                     "database": "restored", "dropExisting": true}}]}]}
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
  void theJsonLinesOfAPostgresRestoreStepNameTheIncidentAndTheStep() throws Exception {
    TestCluster postgres = POSTGRES.freshPrimary("restorelog");
    postgres.execute(
        "create table accounts (id int primary key, owner text)",
        "insert into accounts select n, 'owner ' || n from generate_series(1, 1000) n",
        "alter role postgres password '" + PASSWORD + "'");
    Path store = Files.createDirectories(dir.resolve("store"));
    Path runbook =
        Files.writeString(dir.resolve("restore.json"), RUNBOOK.formatted(postgres.port(), store));
    server = ContractServers.onFreePorts(ContractServers::javaTestServer, dir.resolve("server"));
    String queue = "drctl-restore-log-" + UUID.randomUUID().toString().substring(0, 8);
    worker =
        WorkerProcess.start(
            dir.resolve("worker.log"),
            Map.of("RESTORE_LOG_PGPASSWORD", PASSWORD),
            "--log-format",
            "json",
            "--address",
            server.address(),
            "--task-queue",
            queue,
            "--runbook",
            runbook.toString());
    String id = "restore-log-" + UUID.randomUUID().toString().substring(0, 8);

    IncidentReport report =
        worker.runIncident(server.address(), queue, runbook, "restore_log_drill", id, 120);
    worker.stop();

    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("succeeded", "succeeded");
    String text = worker.log();
    assertThat(text).doesNotContain(PASSWORD);
    List<JsonNode> restoreLines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode json = PlanJson.mapper().readTree(line);
        if ("postgres.restore".equals(json.path("mdc").path("ActivityType").asText())) {
          restoreLines.add(json);
        }
      }
    }
    assertThat(restoreLines)
        .as(text)
        .isNotEmpty()
        .allSatisfy(
            line -> {
              assertThat(line.path("mdc").path("WorkflowId").asText()).isEqualTo(id);
              assertThat(line.path("mdc").path("drctl.step").asText()).isEqualTo("restore");
            });
    assertThat(restoreLines)
        .extracting(line -> line.path("formattedMessage").asText())
        .anySatisfy(
            message ->
                assertThat(message).startsWith("step restore: postgres.restore attempt 1 started"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("step restore: postgres.restore attempt 1 succeeded in "));
  }
}
