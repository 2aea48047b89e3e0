package io.drctl.worker.alerts;

import static io.drctl.worker.alerts.ReceiverTestBed.alertSignals;
import static io.drctl.worker.alerts.ReceiverTestBed.alertmanager;
import static io.drctl.worker.alerts.ReceiverTestBed.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.interpreter.Progress;
import io.drctl.plan.PlanJson;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The receiver against a real Temporal server and worker: one incident per problem under an alert
 * storm, every refusal with its status and nothing started, the cooldown after an incident ended.
 * Each test uses targets of its own, so they share the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertReceiverTest {
  private static final int MAX_BODY = 64 * 1024;

  private ReceiverTestBed bed;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeAll
  void startEverything() throws Exception {
    bed = ReceiverTestBed.start(MAX_BODY);
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @BeforeEach
  void captureLog() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(AlertReceiver.class)).addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(AlertReceiver.class)).detachAppender(logged);
    logged.list.clear();
  }

  @Test
  void anAlertStormStartsOneIncidentPerTargetWhoseHistoryHoldsEveryAlert() throws Exception {
    int storm = 500;
    List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
    for (int i = 0; i < storm; i++) {
      String body =
          alertmanager(
              "firing",
              Map.of("alertname", "ServiceDown", "service", "api", "pod", "api-" + i),
              "fp-" + i);
      posts.add(
          bed.http()
              .sendAsync(
                  bed.request(AlertFormat.alertmanager, body, bearer()),
                  HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> post : posts) {
      statuses.add(post.get().statusCode());
    }
    assertThat(statuses).hasSize(storm).containsOnly(200);

    String id = "service_down/api";
    WorkflowStub incident = bed.client().newUntypedWorkflowStub(id);
    assertThat(incident.describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    Progress progress = awaitAlerts(incident, storm);
    // Read after the incident has seen every alert: signals that arrive while a workflow task runs
    // are durable but reach the history only when that task completes.
    List<HistoryEvent> history = bed.history(id);
    assertThat(alertSignals(history)).as("alert signals in the one run of " + id).isEqualTo(storm);
    assertThat(progress.alerts().firing()).isEqualTo(storm);
    assertThat(progress.alerts().fingerprints()).hasSize(100).contains("fp-0");
    assertThat(progress.alerts().fingerprintsNotListed()).isEqualTo(storm - 100);
    assertThat(progress.trigger().name()).isEqualTo("ServiceDown");
    assertThat(progress.trigger().labels()).containsEntry("service", "api");
    assertThat(progress.trigger().startsAt()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(progress.trigger().fingerprint()).startsWith("fp-");
    JsonNode start =
        PlanJson.mapper()
            .readTree(
                history
                    .get(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getInput()
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8())
            .path("drctl");
    assertThat(start.at("/inputs/summary").asText())
        .as("input from CEL over labels")
        .isEqualTo("ServiceDown on api");
    assertThat(start.at("/plan/type").asText()).as("the plan is pinned").isEqualTo("service_down");
    assertThat(start.at("/alert/fingerprint").asText()).isEqualTo(progress.trigger().fingerprint());

    HttpResponse<String> web =
        bed.post(
            AlertFormat.alertmanager,
            alertmanager("firing", Map.of("alertname", "ServiceDown", "service", "web"), "fp-web"),
            bearer());
    assertThat(web.statusCode()).isEqualTo(200);
    JsonNode answer = PlanJson.mapper().readTree(web.body()).path("alerts").path(0);
    assertThat(answer.path("outcome").asText()).isEqualTo("delivered");
    assertThat(answer.path("incident").asText()).isEqualTo("service_down/web");
    assertThat(answer.path("runId").asText())
        .isNotEqualTo(incident.describe().getExecution().getRunId());
    assertThat(alertSignals(bed.history("service_down/web"))).isEqualTo(1);

    HttpResponse<String> resolved =
        bed.post(
            AlertFormat.alertmanager,
            alertmanager(
                "resolved", Map.of("alertname", "ServiceDown", "service", "web"), "fp-web"),
            bearer());
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(
            awaitAlerts(bed.client().newUntypedWorkflowStub("service_down/web"), 2)
                .alerts()
                .resolved())
        .isEqualTo(1);
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(
            line ->
                line.contains("ServiceDown (resolved) {alertname=ServiceDown, service=web}")
                    && line.contains("→ incident service_down/web"));

    bed.client().newUntypedWorkflowStub(id).terminate("test over");
    bed.client().newUntypedWorkflowStub("service_down/web").terminate("test over");
  }

  @Test
  void aBadOrMissingTokenAndABadSignatureGet401AndStartNothing() throws Exception {
    String body = alertmanager("firing", Map.of("alertname", "DbDown", "service", "db"), "fp-db");
    assertThat(
            bed.post(AlertFormat.alertmanager, body, "Authorization", "Bearer wrong").statusCode())
        .isEqualTo(401);
    assertThat(bed.post(AlertFormat.alertmanager, body).statusCode()).isEqualTo(401);
    assertThat(
            bed.post(
                    AlertFormat.grafana,
                    body,
                    "X-Grafana-Alerting-Signature",
                    sign("another key", body))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            bed.post(
                    AlertFormat.generic,
                    body,
                    "X-Drctl-Signature",
                    "sha256=" + sign(ReceiverTestBed.SIGNING_KEY, body + " "))
                .statusCode())
        .as("a signature of another body")
        .isEqualTo(401);
    assertNotStarted("service_down/db");
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .allMatch(line -> !line.contains(ReceiverTestBed.TOKEN) && !line.contains("wrong"))
        .anyMatch(line -> line.contains("no valid token or signature (401)"));
  }

  @Test
  void aGoodSignatureIsAcceptedAndAnAlertNoRouteTakesIsAnswered202AndLoggedWithItsLabels()
      throws Exception {
    String body =
        "{\"labels\": {\"alertname\": \"DiskFull\", \"host\": \"db9\"}, \"annotations\": {\"summary\": \"97%\"}}";
    HttpResponse<String> response =
        bed.post(
            AlertFormat.generic,
            body,
            "X-Drctl-Signature",
            "sha256=" + sign(ReceiverTestBed.SIGNING_KEY, body));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(PlanJson.mapper().readTree(response.body()).at("/alerts/0/outcome").asText())
        .isEqualTo("unrouted");
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(
            line ->
                line.contains("DiskFull (firing) {alertname=DiskFull, host=db9}")
                    && line.contains("unrouted"));
  }

  @Test
  void aMalformedBodyIs400WithTheReasonAndAnOversizedOne413AndNeitherStartsAnything()
      throws Exception {
    HttpResponse<String> notJson =
        bed.post(AlertFormat.alertmanager, "{\"version\": \"4\", \"alerts\": [", bearer());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not JSON");
    HttpResponse<String> noLabels =
        bed.post(
            AlertFormat.grafana,
            "{\"alerts\": [{\"status\": \"firing\", \"labels\": {}}]}",
            bearer());
    assertThat(noLabels.statusCode()).isEqualTo(400);
    assertThat(noLabels.body()).contains("/alerts/0/labels: an alert needs labels");
    HttpResponse<String> badStatus =
        bed.post(
            AlertFormat.generic,
            "{\"status\": \"burning\", \"labels\": {\"alertname\": \"DbDown\", \"service\": \"db\"}}",
            bearer());
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(badStatus.body()).contains("'burning' is neither firing nor resolved");
    HttpResponse<String> oldVersion =
        bed.post(
            AlertFormat.alertmanager,
            alertmanager("firing", Map.of("alertname", "DbDown", "service", "db"), "fp")
                .replace("\"version\":\"4\"", "\"version\":\"3\""),
            bearer());
    assertThat(oldVersion.statusCode()).isEqualTo(400);
    assertThat(oldVersion.body()).contains("version \\\"3\\\" is not supported");

    String padding = "x".repeat(MAX_BODY);
    String oversized =
        alertmanager(
            "firing", Map.of("alertname", "DbDown", "service", "db", "padding", padding), "fp-big");
    assertThat(bed.post(AlertFormat.alertmanager, oversized, bearer()).statusCode()).isEqualTo(413);
    assertNotStarted("service_down/db");
  }

  @Test
  void afterTheIncidentEndedTheCooldownStopsAFlappingAlertFromStartingAnother() throws Exception {
    String id = "quick_check/api";
    String first =
        firstDelivery(
            AlertFormat.alertmanager,
            alertmanager("firing", Map.of("alertname", "Flapping"), "fp-flap"));
    awaitClosed(id);
    HttpResponse<String> again =
        bed.post(
            AlertFormat.alertmanager,
            alertmanager("firing", Map.of("alertname", "Flapping"), "fp-flap"),
            bearer());
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(PlanJson.mapper().readTree(again.body()).at("/alerts/0/outcome").asText())
        .isEqualTo("cooldown");
    assertThat(bed.client().newUntypedWorkflowStub(id).describe().getExecution().getRunId())
        .isEqualTo(first);
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(
            line ->
                line.contains("Flapping (firing) {alertname=Flapping}")
                    && line.contains("cooldown")
                    && line.contains("route flapping (PT1H)"));

    HttpResponse<String> resolved =
        bed.post(
            AlertFormat.alertmanager,
            alertmanager("resolved", Map.of("alertname", "Flapping"), "fp-flap"),
            bearer());
    assertThat(resolved.statusCode()).isEqualTo(202);
    assertThat(PlanJson.mapper().readTree(resolved.body()).at("/alerts/0/outcome").asText())
        .isEqualTo("not_running");
  }

  @Test
  void withoutACooldownTheNextFiringAlertAfterTheEndStartsANewRun() throws Exception {
    String id = "quick_check/web";
    String body = alertmanager("firing", Map.of("alertname", "FlappingNoCooldown"), "fp-nocool");
    String first = firstDelivery(AlertFormat.alertmanager, body);
    awaitClosed(id);
    String second = firstDelivery(AlertFormat.alertmanager, body);
    assertThat(second).isNotEqualTo(first);
    awaitClosed(id);
    JsonNode report =
        PlanJson.mapper()
            .valueToTree(bed.client().newUntypedWorkflowStub(id).getResult(JsonNode.class));
    assertThat(report.at("/trigger/labels/alertname").asText()).isEqualTo("FlappingNoCooldown");
    assertThat(report.at("/trigger/fingerprint").asText()).isEqualTo("fp-nocool");
    assertThat(report.at("/alerts/received").asInt()).isEqualTo(1);
  }

  /** Posts one alert that must be delivered; returns the run id it went to. */
  private String firstDelivery(AlertFormat format, String body) throws Exception {
    HttpResponse<String> response = bed.post(format, body, bearer());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return PlanJson.mapper().readTree(response.body()).at("/alerts/0/runId").asText();
  }

  private void assertNotStarted(String id) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> bed.client().newUntypedWorkflowStub(id).describe())
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  private void awaitClosed(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (bed.client().newUntypedWorkflowStub(id).describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      assertThat(System.nanoTime()).as(id + " to end").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static Progress awaitAlerts(WorkflowStub incident, int received)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Progress progress = incident.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
    while (progress == null
        || progress.alerts() == null
        || progress.alerts().received() < received) {
      assertThat(System.nanoTime())
          .as("progress to show " + received + " alerts")
          .isLessThan(deadline);
      Thread.sleep(200);
      progress = incident.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
    }
    assertThat(progress.alerts().received()).isEqualTo(received);
    return progress;
  }

  private static String sign(String key, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
