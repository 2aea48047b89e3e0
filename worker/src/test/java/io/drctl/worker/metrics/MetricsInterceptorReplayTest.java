package io.drctl.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.notify.NotifyOptions;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.IncidentWorker;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents are counted once, by the workflow task that ends them: a closed incident replayed to
 * answer a query (after the worker dropped it from its cache) counts nothing more.
 */
class MetricsInterceptorReplayTest {
  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "replay",
       "incidents": [{"type": "replay_drill", "title": "Replay drill", "severity": "low", "objectives": {"rto": "5m"},
         "steps": [{"id": "say", "action": "shell.exec", "with": {"argv": ["echo", "hello"]}}]}]}
      """;

  @TempDir Path dir;

  @Test
  void aQueryThatReplaysAClosedIncidentDoesNotCountItAgain() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String queue = "drctl-replay-" + UUID.randomUUID().toString().substring(0, 8);
    try (DevServer server =
            FreePorts.retryingWhenTaken(
                () ->
                    DevServer.start(
                        new DevServer.Choice(DevServer.Kind.test, null, "test"),
                        new DevServerOptions(
                            "127.0.0.1",
                            FreePorts.any(),
                            FreePorts.any(),
                            dir,
                            "default",
                            Duration.ofSeconds(60)),
                        launched -> {}));
        TemporalConnection connection =
            TemporalConnection.open(
                TemporalSettings.plaintext(server.address(), "default", queue))) {
      new SearchAttributeRegistration(connection.operator(), "default").ensure();
      IncidentWorker worker =
          IncidentWorker.start(
              connection,
              RunbookCompiler.standard()
                  .compile(new RunbookCompiler.Source("replay.json", RUNBOOK))
                  .runbook(),
              new IncidentWorker.Tuning(2, 2),
              NotifyOptions.defaults(),
              new IncidentMetrics(registry));
      try {
        String id = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        WorkflowStub stub =
            connection
                .client()
                .newUntypedWorkflowStub(
                    "replay_drill",
                    WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
        stub.start(Map.of());
        assertThat(stub.getResult(60, TimeUnit.SECONDS, IncidentReport.class).outcome())
            .isEqualTo("succeeded");
        assertThat(count(registry)).isEqualTo(1.0);

        // The worker no longer holds the closed incident: the query replays its whole history.
        connection
            .client()
            .newUntypedWorkflowStub(id)
            .query(IncidentWorkflows.PROGRESS_QUERY, JsonNode.class);
        connection
            .client()
            .newUntypedWorkflowStub(id)
            .query(IncidentWorkflows.PROGRESS_QUERY, JsonNode.class);

        assertThat(count(registry)).isEqualTo(1.0);
        assertThat(
                Exposition.parse(registry.scrape())
                    .value("drctl_step_attempts_total", "step", "say", "outcome", "succeeded"))
            .hasValue(1.0);
      } finally {
        worker.shutdown(Duration.ofSeconds(2));
      }
    }
  }

  private static double count(PrometheusMeterRegistry registry) {
    return Exposition.parse(registry.scrape())
        .value("drctl_incidents_total", "type", "replay_drill", "outcome", "succeeded")
        .orElse(0);
  }
}
