package io.drctl.activities.http;

import static io.drctl.activities.http.HttpTestSupport.API_TOKEN;
import static io.drctl.activities.http.HttpTestSupport.OPTIONS;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.http.TestHttpServer.Reply;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http.request} against a real local HTTP server, through Temporal's activity test
 * environment.
 */
class HttpRequestTest {
  private static final String SWITCH = "/records/switch";
  private static final String BODY = "{\"zone\": \"thebot.io\", \"to\": \"secondary\"}";

  private TestHttpServer server;
  private TestActivityEnvironment environment;
  private HttpActivities http;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() throws Exception {
    server = new TestHttpServer();
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new HttpActivitiesImpl(HttpTestSupport.secrets(), HttpTestSupport.options()));
    http = environment.newActivityStub(HttpActivities.class, OPTIONS);
    targets = server.target("dns-webhook", "", Map.of("Authorization", "env:API_TOKEN"));
  }

  @AfterEach
  void stop() {
    environment.close();
    server.close();
  }

  private HttpRequestInput switchDns() {
    return HttpRequestInput.of("dns-webhook", "POST", SWITCH, targets).withBody(BODY);
  }

  @Test
  void postSendsTheBodyContentTypeTokenAndADefaultIdempotencyKey() {
    server.on(SWITCH, Reply.json(200, "{\"changed\": true, \"records\": 2}"));

    HttpRequestResult result = http.request(switchDns());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body()).isEqualTo("{\"changed\": true, \"records\": 2}");
    assertThat(result.json().path("records").asInt()).isEqualTo(2);
    assertThat(result.latencyMillis()).isBetween(0L, 5_000L);
    TestHttpServer.Recorded request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo(SWITCH);
    assertThat(request.body()).isEqualTo(BODY);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Authorization")).isEqualTo(API_TOKEN);
    assertThat(request.header("Idempotency-Key")).matches("test-workflow-id/.+");
  }

  @Test
  void givenIdempotencyKeyIsSentOnEveryAttempt() {
    server.on(SWITCH, Reply.json(204, ""));

    http.request(switchDns().withIdempotencyKey("incident-7.switch_dns"));
    http.request(switchDns().withIdempotencyKey("incident-7.switch_dns"));

    assertThat(server.requests())
        .extracting(request -> request.header("Idempotency-Key"))
        .containsExactly("incident-7.switch_dns", "incident-7.switch_dns");
  }

  @Test
  void requestWithoutBodySendsNoContentType() {
    server.on("/records", Reply.json(200, "[1, 2]"));

    HttpRequestResult result =
        http.request(HttpRequestInput.of("dns-webhook", "GET", "/records", targets));

    assertThat(server.onlyRequest().header("Content-Type")).isNull();
    assertThat(result.body()).isEqualTo("[1, 2]");
    assertThat(result.json().isObject()).isTrue();
    assertThat(result.json().isEmpty()).as("an array is not a JSON object").isTrue();
  }

  @Test
  void expectedStatusMustMatchExactly() {
    server.on(SWITCH, Reply.json(202, "{}"));

    assertThat(http.request(switchDns().withExpectedStatus(202)).status()).isEqualTo(202);
    ApplicationFailure failure =
        applicationFailure(() -> http.request(switchDns().withExpectedStatus(200)));

    assertThat(failure.getType()).isEqualTo(HttpFailures.REQUEST_REJECTED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("status 202, expected 200");
  }

  @Test
  void serverErrorFailsRetryablyWithRequestFailedAndTheResponseAsDetails() {
    server.on(SWITCH, Reply.json(502, "{\"error\": \"upstream DNS API down\"}"));

    ApplicationFailure failure = applicationFailure(() -> http.request(switchDns()));

    assertThat(failure.getType()).isEqualTo(HttpFailures.REQUEST_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "POST "
                + server.url()
                + SWITCH
                + " (target dns-webhook): status 502, expected"
                + " 2xx; body: {\"error\": \"upstream DNS API down\"}");
    HttpRequestResult details = failure.getDetails().get(HttpRequestResult.class);
    assertThat(details.status()).isEqualTo(502);
    assertThat(details.json().path("error").asText()).isEqualTo("upstream DNS API down");
  }

  @Test
  void clientErrorFailsNonRetryablyWithRequestRejected() {
    server.on(SWITCH, Reply.json(400, "{\"error\": \"unknown zone\"}"));
    server.on("/forbidden", Reply.json(403, ""));

    ApplicationFailure badRequest = applicationFailure(() -> http.request(switchDns()));
    ApplicationFailure forbidden =
        applicationFailure(
            () ->
                http.request(HttpRequestInput.of("dns-webhook", "DELETE", "/forbidden", targets)));

    assertThat(badRequest.getType()).isEqualTo(HttpFailures.REQUEST_REJECTED);
    assertThat(badRequest.isNonRetryable()).isTrue();
    assertThat(badRequest.getOriginalMessage())
        .endsWith("status 400, expected 2xx; body: {\"error\": \"unknown zone\"}");
    assertThat(forbidden.getType()).isEqualTo(HttpFailures.REQUEST_REJECTED);
    assertThat(forbidden.getOriginalMessage())
        .endsWith("status 403, expected 2xx; the body was empty");
  }

  @Test
  void tooManyRequestsAndRequestTimeoutAreRetryable() {
    server.on(SWITCH, Reply.json(429, "slow down"));
    server.on("/slow", Reply.json(408, ""));

    ApplicationFailure throttled = applicationFailure(() -> http.request(switchDns()));
    ApplicationFailure timedOut =
        applicationFailure(
            () -> http.request(HttpRequestInput.of("dns-webhook", "PUT", "/slow", targets)));

    assertThat(throttled.getType()).isEqualTo(HttpFailures.REQUEST_FAILED);
    assertThat(throttled.isNonRetryable()).isFalse();
    assertThat(timedOut.getType()).isEqualTo(HttpFailures.REQUEST_FAILED);
    assertThat(timedOut.isNonRetryable()).isFalse();
  }

  @Test
  void noResponseWithinTheTimeoutFailsRetryablyWithRequestFailed() {
    server.on(SWITCH, Reply.json(200, "{}").after(Duration.ofSeconds(10)));
    long started = System.nanoTime();

    ApplicationFailure failure =
        applicationFailure(() -> http.request(switchDns().withTimeout("300ms")));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(failure.getType()).isEqualTo(HttpFailures.REQUEST_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("(target dns-webhook): no")
        .contains("within 0.3 s");
  }

  @Test
  void refusedConnectionFailsRetryablyWithRequestFailed() throws Exception {
    Map<String, JsonNode> closed =
        TestHttpServer.targets(
            "dns-webhook", "http://127.0.0.1:" + TestHttpServer.closedPort(), Map.of());

    ApplicationFailure failure =
        applicationFailure(
            () -> http.request(HttpRequestInput.of("dns-webhook", "POST", SWITCH, closed)));

    assertThat(failure.getType()).isEqualTo(HttpFailures.REQUEST_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("cannot connect");
  }

  @Test
  void bodyBeyondMaxResponseBytesIsCutAndThenNotParsed() {
    String big = "{\"records\": [" + "1, ".repeat(1000) + "1]}";
    server.on(SWITCH, Reply.json(200, big));

    HttpRequestResult cut = http.request(switchDns().withMaxResponseBytes(100));
    HttpRequestResult none = http.request(switchDns().withMaxResponseBytes(0));

    assertThat(cut.body()).isEqualTo(big.substring(0, 100));
    assertThat(cut.json().isEmpty()).isTrue();
    assertThat(none.body()).isEmpty();
  }

  @Test
  void cutNeverSplitsAMultiByteCharacter() {
    server.on(SWITCH, Reply.text(200, "é".repeat(100)));

    HttpRequestResult result = http.request(switchDns().withMaxResponseBytes(11));

    assertThat(result.body()).isEqualTo("é".repeat(5));
    assertThat(result.body().getBytes(StandardCharsets.UTF_8)).hasSize(10);
  }

  @Test
  void secretEchoedByTheServerIsMaskedInTheBodyJsonAndMessage() {
    server.on(
        SWITCH,
        request -> Reply.json(500, "{\"auth\": \"" + request.header("Authorization") + "\"}"));

    ApplicationFailure failure = applicationFailure(() -> http.request(switchDns()));

    HttpRequestResult details = failure.getDetails().get(HttpRequestResult.class);
    assertThat(server.onlyRequest().header("Authorization")).isEqualTo(API_TOKEN);
    assertThat(details.body()).isEqualTo("{\"auth\": \"****\"}");
    assertThat(details.json().path("auth").asText()).isEqualTo("****");
    assertThat(failure.getOriginalMessage()).doesNotContain(API_TOKEN).contains("****");
  }

  @Test
  void secretCrossingTheCutIsNotLeftHalfVisible() {
    String padding = "x".repeat(90);
    server.on(
        SWITCH, request -> Reply.text(200, padding + request.header("Authorization") + "tail"));

    HttpRequestResult result = http.request(switchDns().withMaxResponseBytes(100));

    assertThat(result.body()).isEqualTo(padding + "****");
    assertThat(result.body()).doesNotContain(API_TOKEN.substring(0, 6));
  }

  @Test
  void cancellationAbortsTheWaitingRequest() {
    server.on(SWITCH, Reply.json(200, "{}").after(Duration.ofSeconds(20)));
    CompletableFuture<HttpRequestResult> call =
        CompletableFuture.supplyAsync(() -> http.request(switchDns().withTimeout("30s")));
    awaitRequest();
    long cancelled = System.nanoTime();

    environment.requestCancelActivity();

    Throwable thrown = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void methodOutsideTheCatalogsListFailsAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () -> http.request(HttpRequestInput.of("dns-webhook", "TRACE", "/", targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("method must be one of DELETE, GET, PATCH, POST, PUT, was TRACE");
  }

  private void awaitRequest() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.requests().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the request did not arrive within 10 s");
      }
      Thread.onSpinWait();
    }
  }
}
