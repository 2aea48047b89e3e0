package io.drctl.activities.http;

import static io.drctl.activities.http.HttpTestSupport.API_TOKEN;
import static io.drctl.activities.http.HttpTestSupport.OPTIONS;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.http.TestHttpServer.Reply;
import io.drctl.activities.targets.StepTargets;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http.check} against a real local HTTP server, through Temporal's activity test
 * environment.
 */
class HttpCheckTest {
  private static final String HEALTH = "/api/system/health/";
  private static final String HEALTHY =
      "{\"status\": \"ok\", \"version\": 3, \"checks\": [{\"name\": \"db\"}, {\"name\": \"redis\","
          + " \"up\": true}]}";

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
    targets = server.target("backend-api", "", Map.of("Authorization", "env:API_TOKEN"));
  }

  @AfterEach
  void stop() {
    environment.close();
    server.close();
  }

  private HttpCheckInput health() {
    return HttpCheckInput.of("backend-api", HEALTH, targets);
  }

  @Test
  void matchingStatusIsOkAndTheRequestCarriesTheTargetsResolvedHeader() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    HttpCheckResult result = http.check(health());

    assertThat(result.ok()).isTrue();
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.problem()).isEmpty();
    assertThat(result.value()).isEmpty();
    assertThat(result.bodyBytes()).isEqualTo(HEALTHY.length());
    assertThat(result.latencyMillis()).isBetween(0L, 5_000L);
    TestHttpServer.Recorded request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.uri()).isEqualTo(HEALTH);
    assertThat(request.header("Authorization")).isEqualTo(API_TOKEN);
  }

  @Test
  void pathIsAppendedToTheTargetUrlsPathAndKeepsItsQuery() {
    server.on("/", Reply.json(200, "{}"));
    Map<String, JsonNode> withBasePath = server.target("backend-api", "/base/", Map.of());

    http.check(HttpCheckInput.of("backend-api", "/api/health?full=1", withBasePath));
    http.check(HttpCheckInput.of("backend-api", "/", withBasePath));

    assertThat(server.requests())
        .extracting(TestHttpServer.Recorded::uri)
        .containsExactly("/base/api/health?full=1", "/base/");
  }

  @Test
  void headMethodIsSentAsIs() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    HttpCheckResult result = http.check(health().withMethod("HEAD"));

    assertThat(result.ok()).isTrue();
    assertThat(server.onlyRequest().method()).isEqualTo("HEAD");
  }

  @Test
  void stepHeadersReplaceTheTargetsOfTheSameNameInAnyCase() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    http.check(health().withHeaders(Map.of("authorization", "Basic step", "X-Extra", "1")));

    TestHttpServer.Recorded request = server.onlyRequest();
    assertThat(request.header("Authorization")).isEqualTo("Basic step");
    assertThat(request.header("X-Extra")).isEqualTo("1");
  }

  @Test
  void statusMismatchFailsRetryablyWithCheckFailedAndTheFindingsAsDetails() {
    server.on(HEALTH, Reply.json(503, "{\"status\": \"starting\"}"));

    ApplicationFailure failure = applicationFailure(() -> http.check(health()));

    assertThat(failure.getType()).isEqualTo(HttpFailures.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "GET " + server.url() + HEALTH + " (target backend-api): status 503, expected 200");
    HttpCheckResult details = failure.getDetails().get(HttpCheckResult.class);
    assertThat(details.ok()).isFalse();
    assertThat(details.status()).isEqualTo(503);
    assertThat(details.problem()).isEqualTo("status 503, expected 200");
  }

  @Test
  void clientErrorStatusIsAFailedCheckToo() {
    server.on(HEALTH, Reply.json(404, "{}"));

    ApplicationFailure failure = applicationFailure(() -> http.check(health()));

    assertThat(failure.getType()).isEqualTo(HttpFailures.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void withoutFailOnProblemAFailedCheckIsReportedInTheOutput() {
    server.on(HEALTH, Reply.json(503, "{}"));

    HttpCheckResult result = http.check(health().withFailOnProblem(false));

    assertThat(result.ok()).isFalse();
    assertThat(result.status()).isEqualTo(503);
    assertThat(result.problem()).isEqualTo("status 503, expected 200");
  }

  @Test
  void expectedStatusOtherThan200IsHonoured() {
    server.on(HEALTH, Reply.json(204, ""));

    assertThat(http.check(health().withExpectedStatus(204)).ok()).isTrue();
  }

  @Test
  void jsonPathYieldsTheValueAsJsonTextAndMatchesTheExpectedValue() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    HttpCheckResult status = http.check(health().withJsonPath("$.status", TextNode.valueOf("ok")));
    HttpCheckResult nested =
        http.check(health().withJsonPath("$.checks[1]['up']", BooleanNode.TRUE));
    HttpCheckResult last = http.check(health().withJsonPath("$.checks[-1].name", null));
    HttpCheckResult number =
        http.check(health().withJsonPath("$.version", DoubleNode.valueOf(3.0)));

    assertThat(status.ok()).isTrue();
    assertThat(status.value()).isEqualTo("\"ok\"");
    assertThat(nested.ok()).isTrue();
    assertThat(nested.value()).isEqualTo("true");
    assertThat(last.ok()).isTrue();
    assertThat(last.value()).isEqualTo("\"redis\"");
    assertThat(number.ok()).as("3 matches 3.0").isTrue();
  }

  @Test
  void jsonPathWithAnotherValueOrNoValueIsAProblem() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    HttpCheckResult other =
        http.check(
            health()
                .withJsonPath("$.status", TextNode.valueOf("degraded"))
                .withFailOnProblem(false));
    HttpCheckResult missing =
        http.check(health().withJsonPath("$.checks[5].name", null).withFailOnProblem(false));

    assertThat(other.ok()).isFalse();
    assertThat(other.value()).isEqualTo("\"ok\"");
    assertThat(other.problem()).isEqualTo("$.status is \"ok\", expected \"degraded\"");
    assertThat(missing.ok()).isFalse();
    assertThat(missing.value()).isEmpty();
    assertThat(missing.problem()).isEqualTo("$.checks[5].name is not in the body");
  }

  @Test
  void jsonPathOnABodyThatIsNotJsonIsAProblem() {
    server.on(HEALTH, Reply.text(200, "<html>ok</html>"));

    HttpCheckResult result =
        http.check(health().withJsonPath("$.status", null).withFailOnProblem(false));

    assertThat(result.ok()).isFalse();
    assertThat(result.problem()).isEqualTo("the body is not JSON; $.status was not looked up");
  }

  @Test
  void unsupportedJsonPathFailsNonRetryablyEvenWithoutFailOnProblem() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    ApplicationFailure failure =
        applicationFailure(
            () -> http.check(health().withJsonPath("$..status", null).withFailOnProblem(false)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("jsonPath '$..status'")
        .contains("position 2");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void bodyContainsHoldsOnlyWhenTheTextIsThere() {
    server.on(HEALTH, Reply.json(200, HEALTHY));

    HttpCheckResult present = http.check(health().withBodyContains("\"redis\""));
    HttpCheckResult absent =
        http.check(health().withBodyContains("kafka").withFailOnProblem(false));

    assertThat(present.ok()).isTrue();
    assertThat(absent.ok()).isFalse();
    assertThat(absent.problem()).isEqualTo("the body does not contain 'kafka'");
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    server.on(HEALTH, Reply.json(500, HEALTHY));

    HttpCheckResult result =
        http.check(
            health()
                .withJsonPath("$.status", TextNode.valueOf("green"))
                .withBodyContains("kafka")
                .withFailOnProblem(false));

    assertThat(result.problem())
        .isEqualTo(
            "status 500, expected 200; $.status is \"ok\", expected \"green\";"
                + " the body does not contain 'kafka'");
  }

  @Test
  void responseSlowerThanMaxLatencyIsAProblemThoughTheStatusIsRight() {
    server.on(HEALTH, Reply.json(200, HEALTHY).after(Duration.ofMillis(400)));

    HttpCheckResult result = http.check(health().withMaxLatency("100ms").withFailOnProblem(false));

    assertThat(result.ok()).isFalse();
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.latencyMillis()).isGreaterThanOrEqualTo(400);
    assertThat(result.problem()).matches("latency \\d+ ms is above maxLatency 100ms");
  }

  @Test
  void noResponseWithinTheTimeoutIsAFailedCheckWithStatusZero() {
    server.on(HEALTH, Reply.json(200, HEALTHY).after(Duration.ofSeconds(10)));
    long started = System.nanoTime();

    HttpCheckResult result = http.check(health().withTimeout("300ms").withFailOnProblem(false));
    ApplicationFailure failure =
        applicationFailure(() -> http.check(health().withTimeout("300ms")));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.ok()).isFalse();
    assertThat(result.status()).isZero();
    assertThat(result.problem()).contains("within 0.3 s");
    assertThat(failure.getType()).isEqualTo(HttpFailures.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void refusedConnectionIsAFailedCheckWithStatusZero() throws Exception {
    Map<String, JsonNode> closed =
        TestHttpServer.targets(
            "backend-api", "http://127.0.0.1:" + TestHttpServer.closedPort(), Map.of());

    HttpCheckResult result =
        http.check(HttpCheckInput.of("backend-api", HEALTH, closed).withFailOnProblem(false));
    ApplicationFailure failure =
        applicationFailure(() -> http.check(HttpCheckInput.of("backend-api", HEALTH, closed)));

    assertThat(result.ok()).isFalse();
    assertThat(result.status()).isZero();
    assertThat(result.problem()).startsWith("cannot connect");
    assertThat(failure.getType()).isEqualTo(HttpFailures.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("(target backend-api): cannot connect");
  }

  @Test
  void secretEchoedByTheServerIsMaskedInTheValueAndNeverInTheMessage() {
    server.on(
        HEALTH,
        request -> Reply.json(500, "{\"seen\": \"" + request.header("Authorization") + "\"}"));

    HttpCheckResult result =
        http.check(health().withJsonPath("$.seen", null).withFailOnProblem(false));
    ApplicationFailure failure =
        applicationFailure(() -> http.check(health().withJsonPath("$.seen", null)));

    assertThat(server.requests().get(0).header("Authorization")).isEqualTo(API_TOKEN);
    assertThat(result.value()).isEqualTo("\"****\"");
    assertThat(result.toString()).doesNotContain(API_TOKEN);
    assertThat(failure.getOriginalMessage()).doesNotContain(API_TOKEN).doesNotContain("s3cr3t");
    assertThat(failure.getDetails().get(HttpCheckResult.class).toString())
        .doesNotContain(API_TOKEN);
  }

  @Test
  void bodyBeyondTheWorkersLimitIsCountedButNotParsed() {
    String big = "{\"pad\": \"" + "x".repeat(10_000) + "\", \"status\": \"ok\"}";
    server.on(HEALTH, Reply.json(200, big));

    HttpCheckResult result =
        http.check(health().withJsonPath("$.status", null).withFailOnProblem(false));

    assertThat(result.bodyBytes()).isEqualTo(big.length());
    assertThat(result.problem())
        .isEqualTo("the body is larger than 4096 bytes; $.status was not looked up");
  }

  @Test
  void targetMissingFromTheInputsTargetsFailsNonRetryablyWithUnknownTarget() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                http.check(HttpCheckInput.of("backend", HEALTH, targets).withFailOnProblem(false)));

    assertThat(failure.getType()).isEqualTo(StepTargets.UNKNOWN_TARGET);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "target names target 'backend', but the step's $targets does not carry it"
                + " (it has backend-api)");
  }

  @Test
  void inputWithoutTargetsFailsWithUnknownTarget() {
    ApplicationFailure failure =
        applicationFailure(() -> http.check(HttpCheckInput.of("backend-api", HEALTH, null)));

    assertThat(failure.getType()).isEqualTo(StepTargets.UNKNOWN_TARGET);
    assertThat(failure.getOriginalMessage()).endsWith("(it is empty or absent)");
  }

  @Test
  void targetOfAnotherKindFailsNonRetryablyAsInvalidInput() {
    Map<String, JsonNode> container =
        Map.of(
            "backend",
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("kind", "container")
                .put("container", "drctl-backend"));

    ApplicationFailure failure =
        applicationFailure(() -> http.check(HttpCheckInput.of("backend", HEALTH, container)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("target 'backend' is a container target, an http target is needed");
  }

  @Test
  void pathThatWouldLeaveTheTargetFailsNonRetryablyBeforeAnyRequest() {
    for (String path :
        new String[] {"/../admin", "//evil.example/x", "http://evil.example/", "/a/%2e%2e/b"}) {
      ApplicationFailure failure =
          applicationFailure(() -> http.check(HttpCheckInput.of("backend-api", path, targets)));

      assertThat(failure.getType()).as(path).isEqualTo(ActionFailures.INVALID_INPUT);
      assertThat(failure.isNonRetryable()).as(path).isTrue();
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void unresolvableSecretReferenceFailsNonRetryablyNamingTheReference() {
    ApplicationFailure failure =
        applicationFailure(
            () -> http.check(health().withHeaders(Map.of("X-Key", "env:DRCTL_NOT_SET"))));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env:DRCTL_NOT_SET");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void restrictedHeaderFailsAsInvalidInputNamingOnlyTheHeader() {
    ApplicationFailure failure =
        applicationFailure(() -> http.check(health().withHeaders(Map.of("Host", "env:API_TOKEN"))));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .startsWith("header Host cannot be sent")
        .doesNotContain(API_TOKEN);
  }
}
