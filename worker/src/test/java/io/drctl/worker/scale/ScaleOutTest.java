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

/**
 * Scale-out: three {@code drctl worker} JVMs on one task queue of one real Temporal dev server run
 * 300 incidents of ten side-effecting steps. While they run, one worker is killed with SIGKILL and
 * another started. Every incident succeeds, and no step that completed ran again: a step's
 * side-effect file has one line per attempt the report lists, at most.
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
class ScaleOutTest {
  private static final int INCIDENTS = 300;
  private static final int STEPS = 10;
  @TempDir Path dir;
  private ScaleCluster cluster;

  @AfterEach
  void stopEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void threeWorkersRunThreeHundredIncidentsAndAKilledWorkersStepsAreRetriedNotRepeated()
      throws Exception {
    cluster = ScaleCluster.start(dir, ScaleCluster.OUT_PORTS);
    for (String name : List.of("a", "b", "c")) {
      cluster.startWorker(name);
    }
    List<WorkflowStub> incidents = cluster.startIncidents("scale-out", INCIDENTS);

    cluster.awaitSteps(INCIDENTS, "a tenth of the steps to run before the kill");
    long runBeforeKill = cluster.stepsRun();
    cluster.killWorker("a");
    cluster.startWorker("d");

    Map<String, IncidentReport> results = cluster.reports(incidents, Duration.ofMinutes(20));
    Map<String, IncidentRecord> reports = cluster.records(results.keySet());
    SideEffects effects = new SideEffects(cluster.effects());
    assertThat(runBeforeKill).as("steps run before the kill").isLessThan((long) INCIDENTS * STEPS);
    assertThat(results).hasSize(INCIDENTS);
    assertThat(effects.problems(results, reports, STEPS)).isEmpty();
    assertThat(cluster.stepsRun()).isEqualTo((long) INCIDENTS * STEPS);
    List<SideEffects.Retry> retries = effects.retries(reports);
    System.out.printf(
        "scale-out: %d incidents, %d steps run before worker a (pid %d) was killed; %d steps retried: %s%n",
        results.size(), runBeforeKill, cluster.workerPids().get("a"), retries.size(), retries);
  }
}
