package io.drctl.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/drctl-dashboard.json}: a panel for every drctl metric and the JVM, on the
 * issue's names only.
 */
class GrafanaDashboardTest {
  @Test
  void panelsShowEveryDrctlMetricAndTheJvm() {
    JsonNode dashboard =
        DeployFiles.json(DeployFiles.DEPLOY.resolve("grafana/drctl-dashboard.json"));
    List<String> expressions = new ArrayList<>();
    Set<String> titles = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      titles.add(panel.path("title").asText());
      panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
    }
    Set<String> shown = new TreeSet<>();
    for (String expression : expressions) {
      for (String name : DeployFiles.drctlNames(expression)) {
        String metric = DeployFiles.metricOf(name);
        assertThat(metric).as("%s in %s", name, expression).isNotNull();
        shown.add(metric);
      }
    }
    assertThat(shown).containsExactlyInAnyOrderElementsOf(DeployFiles.DRCTL_METRICS);
    assertThat(expressions).anyMatch(expression -> expression.contains("jvm_memory_used_bytes"));
    assertThat(titles)
        .contains(
            "Incidents by type and outcome",
            "RTO: incident duration against the objective",
            "RPO: data lost per incident",
            "Backup age per target",
            "Backup size per target",
            "Restore test age",
            "Step attempts",
            "JVM");
    assertThat(dashboard.path("templating").path("list").get(0).path("type").asText())
        .isEqualTo("datasource");
  }
}
