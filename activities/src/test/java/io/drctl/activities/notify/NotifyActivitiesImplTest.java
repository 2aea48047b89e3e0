package io.drctl.activities.notify;

import static io.drctl.activities.http.HttpTestSupport.API_TOKEN;
import static io.drctl.activities.http.HttpTestSupport.OPTIONS;
import static io.drctl.activities.http.HttpTestSupport.ROUTING_KEY;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.http.HttpTestSupport;
import io.drctl.activities.http.TestHttpServer;
import io.drctl.activities.http.TestHttpServer.Reply;
import io.drctl.activities.targets.StepTargets;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code notify.send} and {@code notify.escalate} against real local webhook servers. */
class NotifyActivitiesImplTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");

  /** Incident id in Temporal's activity test environment. */
  private static final String INCIDENT = "test-workflow-id";

  private TestHttpServer slack;
  private TestHttpServer pagerDuty;
  private TestActivityEnvironment environment;
  private NotifyActivities notify;
  private final Map<String, JsonNode> targets = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    slack = new TestHttpServer().on("/", Reply.text(200, "ok"));
    pagerDuty =
        new TestHttpServer()
            .on(
                "/v2/enqueue",
                Reply.json(202, "{\"status\": \"success\", \"message\": \"Event processed\"}"));
    targets.putAll(slack.target("slack", "", Map.of("Authorization", "env:API_TOKEN")));
    targets.putAll(
        pagerDuty.target("pagerduty", "/v2/enqueue", Map.of("X-Routing-Key", "env:ROUTING_KEY")));
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new NotifyActivitiesImpl(
            HttpTestSupport.secrets(),
            HttpTestSupport.options(),
            new NotifyOptions(Duration.ofSeconds(2), Clock.fixed(NOW, ZoneOffset.UTC))));
    notify = environment.newActivityStub(NotifyActivities.class, OPTIONS);
  }

  @AfterEach
  void stop() {
    environment.close();
    slack.close();
    pagerDuty.close();
  }

  private static JsonNode body(TestHttpServer.Recorded request) throws Exception {
    return JSON.readTree(request.body());
  }

  @Test
  void slackMessageIsPostedAsTextAndBlocksWithTheTargetsTokenAndTheDedupKey() throws Exception {
    NotifySendResult result =
        notify.send(
            NotifySendInput.of(
                    "slack", "slack", "backend recovered after 2 restart(s) <@here>", targets)
                .withSeverity("info")
                .withTitle("Backend down"));

    TestHttpServer.Recorded request = slack.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo("/");
    assertThat(request.header("Authorization")).isEqualTo(API_TOKEN);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Idempotency-Key")).isEqualTo(result.dedupKey());
    JsonNode body = body(request);
    assertThat(body.path("text").asText())
        .isEqualTo("[info] Backend down: backend recovered after 2 restart(s) &lt;@here&gt;");
    assertThat(body.path("blocks").get(0).path("text").path("text").asText())
        .isEqualTo("Backend down");
    assertThat(body.path("blocks").get(1).path("text").path("text").asText())
        .isEqualTo("backend recovered after 2 restart(s) &lt;@here&gt;");
    assertThat(body.path("blocks").get(2).path("elements").get(0).path("text").asText())
        .contains("incident `" + INCIDENT + "`");
    assertThat(result.delivered()).isTrue();
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.dedupKey())
        .startsWith(INCIDENT + "/")
        .hasSizeGreaterThan(INCIDENT.length() + 1);
    assertThat(result.sentAt()).isEqualTo("2026-03-01T12:34:56.789Z");
  }

  @Test
  void jsonIsTheDefaultFormatAndCarriesIncidentAndDedupKey() throws Exception {
    NotifySendResult result =
        notify.send(
            new NotifySendInput(
                "slack", null, "warning", "Restore", "restoring 'latest'", "restore-1", targets));

    JsonNode body = body(slack.onlyRequest());
    assertThat(body.path("severity").asText()).isEqualTo("warning");
    assertThat(body.path("title").asText()).isEqualTo("Restore");
    assertThat(body.path("message").asText()).isEqualTo("restoring 'latest'");
    assertThat(body.path("incident").asText()).isEqualTo(INCIDENT);
    assertThat(body.path("dedupKey").asText()).isEqualTo("restore-1");
    assertThat(result.dedupKey()).isEqualTo("restore-1");
  }

  @Test
  void titleDefaultsToTheIncidentTypeOrElseTheIncidentId() throws Exception {
    // The test environment's activities have no workflow type.
    notify.send(NotifySendInput.of("slack", "json", "hello", targets));

    assertThat(body(slack.onlyRequest()).path("title").asText()).isEqualTo("incident " + INCIDENT);
  }

  @Test
  void pagerDutyFormatOfSendPutsTheRoutingKeyInTheBodyAndNotInAHeader() throws Exception {
    notify.send(
        NotifySendInput.of("pagerduty", "pagerduty", "failover complete", targets)
            .withSeverity("warning")
            .withTitle("Failover")
            .withDedupKey("failover-7"));

    TestHttpServer.Recorded request = pagerDuty.onlyRequest();
    assertThat(request.uri()).isEqualTo("/v2/enqueue");
    assertThat(request.header("X-Routing-Key")).isNull();
    JsonNode body = body(request);
    assertThat(body.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(body.path("event_action").asText()).isEqualTo("trigger");
    assertThat(body.path("dedup_key").asText()).isEqualTo("failover-7");
    assertThat(body.path("payload").path("summary").asText())
        .isEqualTo("Failover: failover complete");
    assertThat(body.path("payload").path("severity").asText()).isEqualTo("warning");
    assertThat(body.path("payload").path("source").asText()).isEqualTo("drctl");
  }

  @Test
  void pagerDutyAcknowledgeAndResolveNameTheAlertByItsDedupKeyAlone() throws Exception {
    for (String action : List.of("acknowledge", "resolve")) {
      notify.send(
          NotifySendInput.of("pagerduty", "pagerduty", "incident " + action + "d", targets)
              .withDedupKey("drctl/" + INCIDENT)
              .withEvent("resolved", action));
    }

    List<TestHttpServer.Recorded> requests = pagerDuty.requests();
    assertThat(requests).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode body = body(requests.get(i));
      assertThat(body.path("event_action").asText())
          .isEqualTo(List.of("acknowledge", "resolve").get(i));
      assertThat(body.path("dedup_key").asText()).isEqualTo("drctl/" + INCIDENT);
      assertThat(body.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
      assertThat(body.has("payload")).isFalse();
    }
  }

  @Test
  void aWorkerWithTheUiUrlLinksEveryFormatToTheIncidentsPage() throws Exception {
    TestActivityEnvironment linking = TestActivityEnvironment.newInstance();
    try {
      linking.registerActivitiesImplementations(
          new NotifyActivitiesImpl(
              HttpTestSupport.secrets(),
              HttpTestSupport.options(),
              new NotifyOptions(
                  Duration.ofSeconds(2),
                  Clock.fixed(NOW, ZoneOffset.UTC),
                  URI.create("http://127.0.0.1:8233/"))));
      NotifyActivities linked = linking.newActivityStub(NotifyActivities.class, OPTIONS);

      linked.send(
          NotifySendInput.of("slack", "slack", "restore started", targets)
              .withEvent("started", "trigger"));
      linked.send(
          NotifySendInput.of("slack", "json", "restore started", targets)
              .withEvent("started", "trigger"));
      linked.send(
          NotifySendInput.of("pagerduty", "pagerduty", "restore started", targets)
              .withEvent("started", "trigger"));

      String link = "http://127.0.0.1:8233/namespaces/";
      JsonNode slackBody = body(slack.requests().get(0));
      assertThat(slackBody.path("blocks").get(2).path("text").path("text").asText())
          .startsWith("<" + link)
          .contains("/workflows/" + INCIDENT + "|Open the incident in the Temporal UI>");
      assertThat(slackBody.path("blocks").get(3).path("elements").get(0).path("text").asText())
          .endsWith("event `started`");
      JsonNode json = body(slack.requests().get(1));
      assertThat(json.path("event").asText()).isEqualTo("started");
      assertThat(json.path("link").asText()).startsWith(link).endsWith("/workflows/" + INCIDENT);
      JsonNode page = body(pagerDuty.onlyRequest());
      assertThat(page.path("links").get(0).path("href").asText())
          .isEqualTo(json.path("link").asText());
      assertThat(page.path("payload").path("custom_details").path("event").asText())
          .isEqualTo("started");
    } finally {
      linking.close();
    }
  }

  @Test
  void withoutAnEventTheMessagesKeepTheirShape() throws Exception {
    notify.send(NotifySendInput.of("slack", "json", "plain", targets));

    JsonNode body = body(slack.onlyRequest());
    assertThat(body.has("event")).isFalse();
    assertThat(body.has("link")).isFalse();
  }

  @Test
  void escalationPagesWithTheIncidentAsDedupKeyThenFailsNonRetryablyWithEscalated()
      throws Exception {
    String message = "backend did not become healthy after 3 restarts";

    ApplicationFailure failure =
        applicationFailure(
            () -> notify.escalate(NotifyEscalateInput.of("pagerduty", message, targets)));

    assertThat(failure.getType()).isEqualTo(NotifyFailures.ESCALATED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "paged level 1 (critical) through target 'pagerduty' with dedup key "
                + INCIDENT
                + "; failAfterPaging: the step fails so that an operator decides");
    NotifyEscalateResult details = failure.getDetails().get(NotifyEscalateResult.class);
    assertThat(details.paged()).isTrue();
    assertThat(details.status()).isEqualTo(202);
    assertThat(details.dedupKey()).isEqualTo(INCIDENT);
    TestHttpServer.Recorded request = pagerDuty.onlyRequest();
    assertThat(request.header("Idempotency-Key")).isEqualTo(INCIDENT);
    assertThat(request.header("X-Routing-Key")).isNull();
    JsonNode body = body(request);
    assertThat(body.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(body.path("event_action").asText()).isEqualTo("trigger");
    assertThat(body.path("dedup_key").asText()).isEqualTo(INCIDENT);
    assertThat(body.path("payload").path("summary").asText()).isEqualTo(message);
    assertThat(body.path("payload").path("severity").asText()).isEqualTo("critical");
    assertThat(body.path("payload").path("custom_details").path("level").asInt()).isEqualTo(1);
    assertThat(body.path("payload").path("custom_details").path("incident").asText())
        .isEqualTo(INCIDENT);
  }

  @Test
  void repeatedEscalationSendsTheSameDedupKeySoTheProviderKeepsOnePage() throws Exception {
    NotifyEscalateInput page =
        NotifyEscalateInput.of("pagerduty", "still down", targets).withFailAfterPaging(false);

    notify.escalate(page);
    notify.escalate(page.withLevel(2));

    assertThat(pagerDuty.requests()).hasSize(2);
    for (TestHttpServer.Recorded request : pagerDuty.requests()) {
      assertThat(body(request).path("dedup_key").asText()).isEqualTo(INCIDENT);
      assertThat(request.header("Idempotency-Key")).isEqualTo(INCIDENT);
    }
  }

  @Test
  void withoutFailAfterPagingTheEscalationSucceeds() {
    NotifyEscalateResult result =
        notify.escalate(
            NotifyEscalateInput.of("pagerduty", "check replication", targets)
                .withFailAfterPaging(false)
                .withDedupKey("replica-lag"));

    assertThat(result.paged()).isTrue();
    assertThat(result.status()).isEqualTo(202);
    assertThat(result.dedupKey()).isEqualTo("replica-lag");
    assertThat(result.sentAt()).isEqualTo("2026-03-01T12:34:56.789Z");
  }

  @Test
  void jsonEscalationCarriesIncidentLevelAndMessage() throws Exception {
    notify.escalate(
        NotifyEscalateInput.of("slack", "need a DBA", targets)
            .withFormat("json")
            .withLevel(3)
            .withFailAfterPaging(false));

    TestHttpServer.Recorded request = slack.onlyRequest();
    JsonNode body = body(request);
    assertThat(body.path("incident").asText()).isEqualTo(INCIDENT);
    assertThat(body.path("level").asInt()).isEqualTo(3);
    assertThat(body.path("severity").asText()).isEqualTo("critical");
    assertThat(body.path("message").asText()).isEqualTo("need a DBA");
    assertThat(request.header("Authorization")).isEqualTo(API_TOKEN);
  }

  @Test
  void pagerDutyTargetWithoutRoutingKeyFailsNonRetryablyBeforeSending() {
    ApplicationFailure failure =
        applicationFailure(() -> notify.escalate(NotifyEscalateInput.of("slack", "page", targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("target 'slack' has no X-Routing-Key header");
    assertThat(slack.requests()).isEmpty();
  }

  @Test
  void failedPageIsADeliveryFailureNotAnEscalation() {
    pagerDuty.on("/v2/enqueue", Reply.json(503, "{\"status\": \"unavailable\"}"));

    ApplicationFailure failure =
        applicationFailure(
            () -> notify.escalate(NotifyEscalateInput.of("pagerduty", "page", targets)));

    assertThat(failure.getType()).isEqualTo(NotifyFailures.DELIVERY_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "POST "
                + pagerDuty.url()
                + "/v2/enqueue (target pagerduty): status 503; body:"
                + " {\"status\": \"unavailable\"}");
  }

  @Test
  void refusedCredentialsFailNonRetryablyWithAuthenticationFailedAndNoSecretInTheMessage() {
    slack.on("/", request -> Reply.text(401, "invalid token " + request.header("Authorization")));

    ApplicationFailure failure =
        applicationFailure(() -> notify.send(NotifySendInput.of("slack", "slack", "hi", targets)));

    assertThat(failure.getType()).isEqualTo(NotifyFailures.AUTHENTICATION_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .endsWith(
            "status 401, the channel refused the credentials in the target's headers; body:"
                + " invalid token ****")
        .doesNotContain(API_TOKEN);
  }

  @Test
  void routingKeyEchoedInAnErrorIsMasked() {
    pagerDuty.on("/v2/enqueue", request -> Reply.json(400, request.body()));

    ApplicationFailure failure =
        applicationFailure(
            () -> notify.escalate(NotifyEscalateInput.of("pagerduty", "page", targets)));

    assertThat(failure.getType()).isEqualTo(NotifyFailures.DELIVERY_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("\"routing_key\":\"****\"")
        .doesNotContain(ROUTING_KEY);
  }

  @Test
  void unreachableChannelFailsRetryablyWithDeliveryFailed() throws Exception {
    Map<String, JsonNode> closed =
        TestHttpServer.targets(
            "slack", "http://127.0.0.1:" + TestHttpServer.closedPort(), Map.of());

    ApplicationFailure failure =
        applicationFailure(() -> notify.send(NotifySendInput.of("slack", "slack", "hi", closed)));

    assertThat(failure.getType()).isEqualTo(NotifyFailures.DELIVERY_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("cannot connect");
  }

  @Test
  void channelMissingFromTheInputsTargetsFailsWithUnknownTarget() {
    ApplicationFailure failure =
        applicationFailure(() -> notify.send(NotifySendInput.of("teams", "json", "hi", targets)));

    assertThat(failure.getType()).isEqualTo(StepTargets.UNKNOWN_TARGET);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "channel names target 'teams', but the step's $targets does not carry it"
                + " (it has pagerduty, slack)");
  }

  @Test
  void severityOutsideTheCatalogsListFailsAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () -> notify.escalate(NotifyEscalateInput.of("pagerduty", "x", targets).withLevel(4)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).isEqualTo("level must be 1, 2 or 3, was 4");
    assertThat(pagerDuty.requests()).isEmpty();
  }
}
