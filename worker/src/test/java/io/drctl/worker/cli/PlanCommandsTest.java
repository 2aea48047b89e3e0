package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** explain, graph, actions and schema over the shipped DR runbook. */
class PlanCommandsTest {
  private static final String RUNBOOK = Path.of("..", "runbooks", "dr-runbook.json").toString();

  @Test
  void explainShowsResolvedDefaultsAndFallbacks() {
    CliRun run = CliRun.of("explain", RUNBOOK, "--incident", "database_failure");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("incident  database_failure")
        .contains("postgres.restore")
        .contains("(on failure)")
        .contains("destructive");
  }

  @Test
  void explainAsJsonPrintsThePinnedPlan() throws Exception {
    CliRun run = CliRun.of("explain", RUNBOOK, "-i", "database_failure", "--format", "json");
    var plan = new ObjectMapper().readTree(run.out());
    assertThat(plan.path("type").asText()).isEqualTo("database_failure");
    assertThat(plan.path("hash").asText()).hasSize(64);
  }

  @Test
  void anUnknownIncidentListsTheKnownOnes() {
    CliRun run = CliRun.of("explain", RUNBOOK, "-i", "databse_failure");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("has no incident 'databse_failure'; did you mean 'database_failure'?")
        .contains("; incidents: single_service_failure, database_failure");
  }

  @Test
  void graphPrintsMermaidAndDot() {
    CliRun mermaid = CliRun.of("graph", RUNBOOK, "-i", "database_failure");
    assertThat(mermaid.out()).startsWith("flowchart TD").contains("restore -. on failure .-> pitr");
    CliRun dot = CliRun.of("graph", RUNBOOK, "-i", "database_failure", "--format", "dot");
    assertThat(dot.out())
        .startsWith("digraph \"database_failure\"")
        .contains("\"restore\" -> \"pitr\" [style=dashed");
  }

  @Test
  void actionsDocumentsParametersAndOutputs() {
    CliRun run = CliRun.of("actions", "postgres.pitr");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("postgres.pitr").contains("with:").contains("output:");
    assertThat(CliRun.of("actions", "postgress").err()).contains("did you mean 'postgres'?");
  }

  @Test
  void schemaPrintsTheRunbookSchema() throws Exception {
    var schema = new ObjectMapper().readTree(CliRun.of("schema").out());
    assertThat(schema.path("$id").asText())
        .isEqualTo("https://drctl.io/schemas/runbook.schema.json");
  }
}
