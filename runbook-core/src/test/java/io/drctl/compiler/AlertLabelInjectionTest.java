package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRouting;
import io.drctl.alerts.AlertRoutingException;
import io.drctl.plan.InputValues;
import io.drctl.plan.Plan;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Alert labels and annotations carrying injection payloads (issue 14's five, plus a template an
 * evaluator might run twice) reach an incident's inputs as strings, whole and unchanged: a route's
 * CEL reads a label as a value, interpolation splices it in as text, nothing evaluates it again,
 * and a label that would choose the target can only pick one of the runbook's targets.
 */
class AlertLabelInjectionTest {
  private static final String RUNBOOK =
      """
      {
        "version": "1.0.0",
        "policy": {"rules": {"unused-target": "off", "unused-input": "off"}},
        "targets": {"api": {"kind": "http", "url": "http://api.example"}},
        "incidents": [
          {"type": "service_down", "title": "Service", "severity": "low", "objectives": {"rto": "1h"},
           "inputs": {"alert": {"type": "string", "description": "the label", "required": true},
                      "summary": {"type": "string", "description": "label and annotation", "required": true},
                      "replicas": {"type": "integer", "description": "how many", "default": 1}},
           "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]}
        ],
        "alerts": {"routes": [
          {"name": "whole", "match": ["alertname=Whole"], "labels": ["detail"], "incident": "service_down", "target": "api",
           "inputs": {"alert": "${{ labels.detail }}",
                      "summary": "[${{ labels.detail }}] ${{ annotations.summary }}."}},
          {"name": "typed", "match": ["alertname=Typed"], "labels": ["detail"], "incident": "service_down", "target": "api",
           "inputs": {"alert": "x", "summary": "x", "replicas": "${{ int(labels.detail) }}"}},
          {"name": "targeted", "match": ["alertname=Targeted"], "labels": ["detail"], "incident": "service_down",
           "target": "${{ labels.detail }}", "inputs": {"alert": "x", "summary": "x"}}
        ]}
      }
      """;

  private static AlertRouting routing;
  private static Plan plan;

  @BeforeAll
  static void compile() {
    CompileResult result =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("injection.json", RUNBOOK));
    assertThat(result.errors()).isEmpty();
    routing = result.runbook().alerts();
    plan = result.runbook().plan("service_down").orElseThrow();
  }

  static Stream<String> payloads() {
    return Stream.of(
        "\"; rm -rf x; \"", "$(touch pwned)", "'", "line\nbreak", "nul\0byte", "${{ 1 + 1 }}");
  }

  private static Alert alert(String name, String payload) {
    return new Alert(
        "alertmanager",
        Alert.FIRING,
        Map.of("alertname", name, "detail", payload),
        Map.of("summary", payload),
        "fp-" + name,
        "2026-12-06T10:00:00Z",
        null);
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aLabelReachesTheIncidentInputsAsTheSameString(String payload) throws AlertRoutingException {
    AlertRouting.Routed routed = routing.route(alert("Whole", payload)).orElseThrow();
    InputValues.Result inputs = InputValues.resolve(plan.inputs(), routed.inputs());

    assertThat(inputs.errors()).isEmpty();
    JsonNode alert = inputs.values().path("alert");
    assertThat(alert.isTextual()).isTrue();
    assertThat(alert.textValue())
        .isEqualTo(payload.strip()); // inputs are trimmed, as any text input
    assertThat(inputs.values().path("summary").textValue())
        .isEqualTo("[" + payload + "] " + payload + ".");
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aLabelThatIsNoNumberFailsRoutingNamingTheInput(String payload) {
    assertThatThrownBy(() -> routing.route(alert("Typed", payload)))
        .isInstanceOf(AlertRoutingException.class)
        .hasMessageStartingWith("route typed, input replicas: ");
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aLabelChoosingTheTargetCanOnlyNameARunbookTarget(String payload) {
    assertThatThrownBy(() -> routing.route(alert("Targeted", payload)))
        .isInstanceOf(AlertRoutingException.class)
        .hasMessageContaining("route targeted gives target ")
        .hasMessageContaining("which is not a target of the runbook");
  }
}
