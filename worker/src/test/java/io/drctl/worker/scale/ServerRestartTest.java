package io.drctl.worker.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.worker.report.IncidentRecord;
import io.drctl.workflow.IncidentReport;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Server restart: while two {@code drctl worker} JVMs run incidents, the Temporal dev server is
 * stopped for 20 seconds and started again on the same port and SQLite file. The workers carry on
 * by themselves; every incident succeeds and no completed step runs again.
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
// A third of it is the outage, and its ports are its own: runs alongside the sequential classes
// (see junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class ServerRestartTest {
  private static final int INCIDENTS = 100;
  private static final int STEPS = 10;
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  @TempDir Path dir;
  private ScaleCluster cluster;

  @AfterEach
  void stopEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void incidentsRunningWhileTheServerIsDownForTwentySecondsAllSucceedAndNoCompletedStepRunsAgain()
      throws Exception {
    cluster = ScaleCluster.start(dir, ScaleCluster.RESTART_PORTS);
    Process a = cluster.startWorker("a");
    Process b = cluster.startWorker("b");
    List<WorkflowStub> incidents = cluster.startIncidents("restart", INCIDENTS);

    cluster.awaitSteps(INCIDENTS, "a tenth of the steps to run before the outage");
    cluster.stopServer();
    long runBeforeOutage = cluster.stepsRun();
    Thread.sleep(OUTAGE.toMillis());
    cluster.startServer();

    Map<String, IncidentReport> results = cluster.reports(incidents, Duration.ofMinutes(20));
    Map<String, IncidentRecord> reports = cluster.records(results.keySet());
    SideEffects effects = new SideEffects(cluster.effects());
    assertThat(runBeforeOutage)
        .as("steps run before the outage")
        .isLessThan((long) INCIDENTS * STEPS);
    assertThat(a.isAlive()).as("worker a outlived the outage").isTrue();
    assertThat(b.isAlive()).as("worker b outlived the outage").isTrue();
    assertThat(results).hasSize(INCIDENTS);
    assertThat(effects.problems(results, reports, STEPS)).isEmpty();
    assertThat(cluster.stepsRun()).isEqualTo((long) INCIDENTS * STEPS);
    List<SideEffects.Retry> retries = effects.retries(reports);
    System.out.printf(
        "server restart: %d incidents, %d steps run when the server stopped; %d steps retried: %s%n",
        results.size(), runBeforeOutage, retries.size(), retries);
  }
}
