package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRoute;
import io.drctl.alerts.AlertRouting;
import io.drctl.alerts.AlertRoutingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runbook's alerts section: what compiles, and each mistake reported where it is. */
class AlertRoutesCompilerTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();

  /** Two incidents and three targets; {@code routes} goes into the alerts section. */
  private static String runbook(String routes) {
    return """
        {
          "version": "1.0.0",
          "policy": {"rules": {"unused-target": "off", "unused-input": "off"}},
          "targets": {
            "pg-primary": {"kind": "http", "url": "http://db.example"},
            "api": {"kind": "http", "url": "http://api.example"},
            "web": {"kind": "http", "url": "http://web.example"}
          },
          "incidents": [
            {"type": "database_failure", "title": "DB", "severity": "high", "objectives": {"rto": "1h"},
             "inputs": {"from": {"type": "string", "description": "backup", "default": "latest"}},
             "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]},
            {"type": "service_down", "title": "Service", "severity": "low", "objectives": {"rto": "1h"},
             "inputs": {"summary": {"type": "string", "description": "what", "required": true},
                        "replicas": {"type": "integer", "description": "how many", "default": 1}},
             "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]}
          ],
          "alerts": {"routes": [
        """
        + routes
        + """
          ]}
        }
        """;
  }

  private static CompileResult compile(String routes) {
    return COMPILER.compile(new RunbookCompiler.Source("alerts.json", runbook(routes)));
  }

  private static Alert firing(Map<String, String> labels) {
    return new Alert(
        "alertmanager",
        Alert.FIRING,
        labels,
        Map.of("summary", "api answers 502"),
        "fp1",
        "2026-12-06T10:00:00Z",
        null);
  }

  private static final String SERVICE_ROUTE =
      """
      {"name": "service", "match": ["alertname=ServiceDown", "service=~\\"api|web\\"", "env!=test"],
       "incident": "service_down", "target": "${{ labels.service }}",
       "inputs": {"summary": "${{ labels.alertname }} on ${{ labels.service }}: ${{ annotations.summary }}",
                  "replicas": "${{ size(labels.service) }}"},
       "cooldown": "5m"}
      """;

  @Test
  void aValidSectionRoutesByLabelsComputesTargetAndInputsAndDefaultsTheCooldown()
      throws AlertRoutingException {
    CompileResult result =
        compile(
            SERVICE_ROUTE
                + ",\n"
                + "{\"match\": [\"alertname=PostgresDown\"], \"incident\": \"database_failure\", \"target\": \"pg-primary\"}");
    assertThat(result.errors()).isEmpty();
    AlertRouting routing = result.runbook().alerts();
    assertThat(routing.routes())
        .extracting(AlertRoute::name, AlertRoute::incident, AlertRoute::cooldown)
        .containsExactly(
            tuple("service", "service_down", Duration.ofMinutes(5)),
            tuple("route-1", "database_failure", Duration.ofMinutes(15)));

    AlertRouting.Routed routed =
        routing.route(firing(Map.of("alertname", "ServiceDown", "service", "api"))).orElseThrow();
    assertThat(routed.workflowId()).isEqualTo("service_down/api");
    JsonNode inputs = routed.inputs();
    assertThat(inputs.path("summary").asText()).isEqualTo("ServiceDown on api: api answers 502");
    assertThat(inputs.path("replicas").asLong()).isEqualTo(3);

    assertThat(
            routing.route(
                firing(Map.of("alertname", "ServiceDown", "service", "api", "env", "test"))))
        .isEmpty();
    assertThat(routing.route(firing(Map.of("alertname", "ServiceDown", "service", "apis"))))
        .isEmpty();
    assertThat(
            routing.route(firing(Map.of("alertname", "PostgresDown"))).orElseThrow().workflowId())
        .isEqualTo("database_failure/pg-primary");
  }

  @Test
  void theDrRunbookRoutesItsMainScenariosAndValidatesClean() throws Exception {
    Path file = Path.of("..", "runbooks", "dr-runbook.json");
    CompileResult result =
        COMPILER.compile(new RunbookCompiler.Source(file.toString(), Files.readString(file)));
    assertThat(result.errors()).isEmpty();
    AlertRouting routing = result.runbook().alerts();
    assertThat(
            routing
                .route(firing(Map.of("alertname", "PostgresDown", "service", "postgres")))
                .orElseThrow()
                .workflowId())
        .isEqualTo("database_failure/pg-primary");
    AlertRouting.Routed backend =
        routing.route(firing(Map.of("alertname", "BackendDown"))).orElseThrow();
    assertThat(backend.workflowId()).isEqualTo("single_service_failure/backend");
    assertThat(backend.inputs().path("alert").asText()).isEqualTo("BackendDown: api answers 502");
    assertThat(
            routing
                .route(firing(Map.of("alertname", "RedisDown", "service", "cache")))
                .orElseThrow()
                .workflowId())
        .isEqualTo("cache_failure/redis");
  }

  @Test
  void anUnknownIncidentIsReportedAtItsPointerAndLineWithDidYouMean() {
    CompileResult result =
        compile(
            "{\"match\": [\"alertname=X\"], \"incident\": \"databse_failure\", \"target\": \"pg-primary\"}");
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer, Diagnostic::hint)
        .containsExactly(
            tuple(
                "unknown-incident",
                "/alerts/routes/0/incident",
                "did you mean 'database_failure'?"));
    assertThat(result.errors().get(0).line())
        .isEqualTo(runbook("").lines().toList().indexOf("  ]}") + 1);
  }

  @Test
  void anUnknownTargetAndAnUnknownInputSayWhatWasMeant() {
    CompileResult result =
        compile(
            """
        {"match": ["alertname=X"], "incident": "database_failure", "target": "pg-primray", "inputs": {"form": "daily"}}
        """);
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer, Diagnostic::hint)
        .containsExactlyInAnyOrder(
            tuple("unknown-target", "/alerts/routes/0/target", "did you mean 'pg-primary'?"),
            tuple("unknown-input", "/alerts/routes/0/inputs/form", "did you mean 'from'?"));
  }

  @Test
  void aBadMatcherRegexIsReportedInsideTheString() {
    CompileResult result =
        compile(
            "{\"match\": [\"instance=~db-(\"], \"incident\": \"database_failure\", \"target\": \"pg-primary\"}");
    Diagnostic error = result.errors().get(0);
    assertThat(error.code()).isEqualTo("bad-matcher");
    assertThat(error.pointer()).isEqualTo("/alerts/routes/0/match/0");
    assertThat(error.message()).contains("regex").contains("db-(");
    assertThat(error.column()).isGreaterThan(0);
  }

  @Test
  void anUnknownLabelInAnExpressionIsAnErrorWithDidYouMean() {
    CompileResult result =
        compile(
            """
        {"match": ["alertname=ServiceDown", "service=~\\".+\\""], "incident": "service_down", "target": "api",
         "inputs": {"summary": "${{ labels.servcie }}"}}
        """);
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(tuple("unknown-label", "/alerts/routes/0/inputs/summary"));
    assertThat(result.errors().get(0).hint()).startsWith("did you mean 'service'?");
  }

  @Test
  void badCelAWrongTypeAndAMissingRequiredInputAreErrors() {
    CompileResult result =
        compile(
            """
        {"match": ["alertname=A"], "incident": "service_down", "target": "${{ labels.alertname + }}",
         "inputs": {"summary": "${{ labels.alertname }}", "replicas": "${{ labels.alertname }}"}},
        {"match": ["alertname=B"], "incident": "service_down", "target": "api"}
        """);
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactlyInAnyOrder(
            tuple("bad-expression", "/alerts/routes/0/target"),
            tuple("type-error", "/alerts/routes/0/inputs/replicas"),
            tuple("missing-input", "/alerts/routes/1/incident"));
  }

  @Test
  void theSchemaRejectsAMatcherWithoutOperatorAndAnUnknownRouteProperty() {
    CompileResult result =
        compile(
            """
        {"match": ["PostgresDown"], "incident": "database_failure", "target": "pg-primary", "cooldwn": "5m"}
        """);
    assertThat(result.errors())
        .extracting(Diagnostic::pointer)
        .contains("/alerts/routes/0/match/0", "/alerts/routes/0/cooldwn");
  }

  @Test
  void aComputedTargetThatIsNoRunbookTargetFailsRoutingForThatAlertNaming() {
    AlertRouting routing =
        compile(
                """
        {"name": "by-instance", "match": ["alertname=PostgresDown"], "labels": ["instance"],
         "incident": "database_failure", "target": "${{ labels.instance }}"}
        """)
            .runbook()
            .alerts();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> routing.route(firing(Map.of("alertname", "PostgresDown", "instance", "db9"))))
        .isInstanceOf(AlertRoutingException.class)
        .hasMessageContaining(
            "route by-instance gives target \"db9\", which is not a target of the runbook");
  }
}
