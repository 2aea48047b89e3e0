package io.drctl.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus/drctl-rules.yml}: valid for promtool, on the issue's metrics, with the
 * seed's thresholds.
 */
class AlertRulesTest {
  private static final Path RULES = DeployFiles.DEPLOY.resolve("prometheus/drctl-rules.yml");

  @Test
  void promtoolAcceptsTheRules() throws IOException, InterruptedException {
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "rules", RULES.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is not installed: run 'bin/setup deploy' (Debian's prometheus package)", e);
    }
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS: " + rules().size() + " rules found");
  }

  @Test
  void everyExpressionReadsOnlyTheIssuesMetrics() {
    for (JsonNode rule : rules()) {
      String expression = rule.path("expr").asText();
      assertThat(DeployFiles.drctlNames(expression))
          .as(rule.path("alert").asText())
          .isNotEmpty()
          .allSatisfy(
              name ->
                  assertThat(DeployFiles.metricOf(name))
                      .as("%s in %s", name, expression)
                      .isNotNull());
    }
  }

  @Test
  void theSeedsBackupThresholdsAreThere() {
    Map<String, String> byAlert = new LinkedHashMap<>();
    rules()
        .forEach(
            rule ->
                byAlert.putIfAbsent(
                    rule.path("alert").asText(), oneLine(rule.path("expr").asText())));
    assertThat(byAlert.get("DrctlBackupMissing")).isEqualTo("drctl_backup_age_seconds > 25 * 3600");
    assertThat(byAlert.get("DrctlBackupSizeOff"))
        .contains("abs(drctl_backup_size_bytes - avg_over_time(drctl_backup_size_bytes[7d]))")
        .endsWith("> 0.5 * avg_over_time(drctl_backup_size_bytes[7d])");
    assertThat(byAlert.get("DrctlBackupSlow"))
        .contains("> 2 * (")
        .contains("drctl_incident_duration_seconds_sum{type=~\"backup_.*\"}");
    assertThat(byAlert.get("DrctlBackupFailed"))
        .contains("drctl_incidents_total{type=~\"backup_.*\", outcome!=\"succeeded\"}")
        .endsWith("> 0");
    assertThat(byAlert.get("DrctlRestoreTestStale"))
        .isEqualTo("drctl_restore_test_age_seconds > 8 * 86400");
  }

  @Test
  void everyIncidentOfTheRunbookHasItsRtoAlertAtEightyPercent() {
    JsonNode runbook = DeployFiles.json(DeployFiles.ROOT.resolve("runbooks/dr-runbook.json"));
    Map<String, String> expected = new LinkedHashMap<>();
    for (JsonNode incident : runbook.path("incidents")) {
      long rto = Durations.parse(incident.path("objectives").path("rto").asText()).toSeconds();
      expected.put(incident.path("type").asText(), "> 0.8 * " + rto);
    }
    Map<String, String> actual = new LinkedHashMap<>();
    for (JsonNode rule : rules()) {
      if (rule.path("alert").asText().equals("DrctlIncidentOverRtoBudget")) {
        String expression = oneLine(rule.path("expr").asText());
        String type = rule.path("labels").path("incident_type").asText();
        assertThat(expression).contains("{type=\"" + type + "\"}");
        actual.put(type, expression.substring(expression.lastIndexOf('>')));
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    DeployFiles.yaml(RULES)
        .path("groups")
        .forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }

  private static String oneLine(String expression) {
    return expression.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
