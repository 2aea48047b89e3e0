package io.drctl.worker.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRouting;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.sandbox.SandboxLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario registry and the drill's runbook: every runnable scenario's alert reaches its
 * incident.
 */
class DrillScenariosTest {
  private static final Path RUNBOOK =
      Path.of("..", "runbooks", "dr-runbook.json").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void aKeyRegisteredTwiceIsAnError() {
    DrillScenarios scenarios = DrillScenarios.standard();
    DrillScenario again = scenarios.all().iterator().next();
    assertThatThrownBy(() -> scenarios.register(again))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("drill scenario backend is registered twice");
  }

  @Test
  void theFailBackComesRightAfterItsFailOverWhateverTheOrderGiven() {
    DrillScenarios scenarios = DrillScenarios.standard();
    assertThat(keys(scenarios.select(java.util.List.of("backend", "datacenter_failback"))))
        .containsExactly("backend", "datacenter_failure", "datacenter_failback");
    assertThat(
            keys(
                scenarios.select(
                    java.util.List.of(
                        "datacenter_failure", "backend", "datacenter_failback", "backend"))))
        .containsExactly("backend", "datacenter_failure", "datacenter_failback");
    assertThat(
            keys(scenarios.select(java.util.List.of("datacenter_failure", "datacenter_failback"))))
        .containsExactly("datacenter_failure", "datacenter_failback");
    assertThat(keys(java.util.List.copyOf(scenarios.all())))
        .containsSubsequence("datacenter_failure", "datacenter_failback");
  }

  private static java.util.List<String> keys(java.util.List<DrillScenario> scenarios) {
    return scenarios.stream().map(DrillScenario::key).toList();
  }

  @Test
  void anUnknownNameSuggestsTheClosest() {
    assertThatThrownBy(() -> DrillScenarios.standard().select(java.util.List.of("multi_servise")))
        .isInstanceOf(DrillException.class)
        .hasMessageContaining("did you mean 'multi_service'?");
  }

  @Test
  void everyRunnableScenarioIsRoutedToItsIncidentAndTargetWithItsInputs() throws Exception {
    DrillScenarios scenarios = DrillScenarios.standard();
    Path targets =
        DrillTargets.write(
            dir.resolve("targets.json"),
            SandboxLayout.of("drill-test", 30380),
            RUNBOOK,
            dir.resolve("backups"),
            "http://127.0.0.1:1");
    CompiledRunbook runbook =
        DrillRunbook.write(RUNBOOK, targets, scenarios.all(), dir.resolve("drill-runbook.json"));
    assertThat(scenarios.all()).allSatisfy(scenario -> assertThat(scenario.runnable()).isTrue());
    for (DrillScenario scenario : scenarios.all()) {
      Map<String, String> labels =
          DrillRunbook.labels(
              scenario, Map.of("until", "2026-12-07T01:00:00Z", "tables", "chat_messages"));
      AlertRouting.Routed routed =
          runbook
              .alerts()
              .route(new Alert("test", Alert.FIRING, labels, Map.of(), null, null, null))
              .orElseThrow(() -> new AssertionError("no route for " + scenario.key()));
      assertThat(routed.workflowId()).as(scenario.key()).isEqualTo(scenario.workflowId());
      assertThat(runbook.plan(scenario.incident())).as(scenario.key()).isPresent();
    }
    // A route of the runbook's own takes the alerts it names; the drill adds none for them.
    assertThat(runbook.alerts().routes().stream().map(route -> route.name()).toList())
        .contains("postgres-down", "backend-down", "redis-down", "drill-data-corruption")
        .doesNotContain("drill-backend", "drill-database-failure", "drill-cache-failure");
    Map<String, String> corruption =
        DrillRunbook.labels(
            scenarios.select(java.util.List.of("data_corruption")).get(0),
            Map.of("until", "2026-12-07T01:00:00Z", "tables", "chat_messages"));
    AlertRouting.Routed routed =
        runbook
            .alerts()
            .route(new Alert("test", Alert.FIRING, corruption, Map.of(), null, null, null))
            .orElseThrow();
    assertThat(routed.inputs().path("tables").asText()).isEqualTo("chat_messages");
    assertThat(routed.inputs().path("until").asText()).isEqualTo("2026-12-07T01:00:00Z");
  }

  @Test
  void aDrillRouteNeverTakesAnAlertWithoutTheDrillsLabel() throws Exception {
    Path targets =
        DrillTargets.write(
            dir.resolve("targets.json"),
            SandboxLayout.of("drill-test", 30380),
            RUNBOOK,
            dir.resolve("backups"),
            "http://127.0.0.1:1");
    CompiledRunbook runbook =
        DrillRunbook.write(
            RUNBOOK, targets, DrillScenarios.standard().all(), dir.resolve("r.json"));
    Alert real =
        new Alert(
            "test",
            Alert.FIRING,
            Map.of("alertname", "RedisMasterDown", "service", "redis-master"),
            Map.of(),
            null,
            null,
            null);
    assertThat(runbook.alerts().route(real)).isEmpty();
  }
}
