package io.drctl.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.HttpTarget;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Runs {@code http.check} and {@code http.request} steps. Stateless apart from its HTTP client;
 * thread-safe.
 */
final class HttpActivitiesImpl implements HttpBackend {
  static final Set<String> CHECK_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  static final Set<String> REQUEST_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretResolver secrets;
  private final HttpCaller caller;

  HttpActivitiesImpl(SecretResolver secrets) {
    this(secrets, HttpOptions.defaults());
  }

  HttpActivitiesImpl(SecretResolver secrets, HttpOptions options) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.caller = new HttpCaller(options);
  }

  @Override
  public HttpCheckResult check(HttpCheckInput input) {
    try {
      return runCheck(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }

  @Override
  public HttpRequestResult request(HttpRequestInput input) {
    try {
      return runRequest(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }

  private HttpCheckResult runCheck(HttpCheckInput input) {
    if (input == null) {
      throw ActionFailures.invalidInput("http.check needs an input with a target");
    }
    String method = HttpInputs.method(input.method(), CHECK_METHODS);
    HttpInputs.status("expectedStatus", input.expectedStatus());
    HttpInputs.headers(input.headers());
    HttpInputs.notEmpty("bodyContains", input.bodyContains());
    Duration maxLatency = HttpInputs.positiveDuration("maxLatency", input.maxLatency());
    Duration timeout = HttpInputs.positiveDuration("timeout", input.timeout());
    JsonPathQuery jsonPath =
        input.jsonPath() == null ? null : JsonPathQuery.parse(input.jsonPath());
    HttpTarget target = StepTargets.of(input.targets()).http("target", input.target());
    RequestHeaders headers = RequestHeaders.resolve(target.headers(), input.headers(), secrets);

    int maxBodyBytes = caller.options().maxCheckBodyBytes();
    HttpCall call =
        new HttpCall(
            method,
            RequestUrl.resolve(target.url(), input.path()),
            headers,
            null,
            timeout,
            HttpCaller.captureBytes(maxBodyBytes, headers.secretValues()),
            target.insecureSkipVerify());
    HttpCheckResult result =
        new HealthCheck(input, jsonPath, maxLatency, maxBodyBytes)
            .judge(caller.send(call), headers.secretValues());
    if (!result.ok() && input.failOnProblem()) {
      throw ActionFailures.retryable(
          HttpFailures.CHECK_FAILED,
          call.describe() + " (target " + target.name() + "): " + result.problem(),
          result);
    }
    return result;
  }

  private HttpRequestResult runRequest(HttpRequestInput input) {
    if (input == null) {
      throw ActionFailures.invalidInput("http.request needs an input with a target");
    }
    String method = HttpInputs.method(input.method(), REQUEST_METHODS);
    HttpInputs.status("expectedStatus", input.expectedStatus());
    HttpInputs.headers(input.headers());
    HttpInputs.notEmpty("contentType", input.contentType());
    HttpInputs.notEmpty("idempotencyKey", input.idempotencyKey());
    int maxResponseBytes = input.maxResponseBytes();
    if (maxResponseBytes < 0 || maxResponseBytes > HttpRequestInput.MAX_RESPONSE_BYTES_LIMIT) {
      throw ActionFailures.invalidInput(
          "maxResponseBytes must be between 0 and "
              + HttpRequestInput.MAX_RESPONSE_BYTES_LIMIT
              + ", was "
              + maxResponseBytes);
    }
    Duration timeout = HttpInputs.positiveDuration("timeout", input.timeout());
    HttpTarget target = StepTargets.of(input.targets()).http("target", input.target());
    RequestHeaders headers =
        RequestHeaders.resolve(target.headers(), input.headers(), secrets)
            .with(IDEMPOTENCY_KEY, idempotencyKey(input.idempotencyKey()));
    if (input.body() != null) {
      headers = headers.with("Content-Type", input.contentType());
    }

    HttpCall call =
        new HttpCall(
            method,
            RequestUrl.resolve(target.url(), input.path()),
            headers,
            input.body(),
            timeout,
            HttpCaller.captureBytes(maxResponseBytes, headers.secretValues()),
            target.insecureSkipVerify());
    String what = call.describe() + " (target " + target.name() + ")";
    HttpCaller.Exchange exchange = caller.send(call);
    if (exchange instanceof HttpCaller.Unanswered none) {
      throw ActionFailures.retryable(HttpFailures.REQUEST_FAILED, what + ": " + none.reason());
    }
    HttpCaller.Answered response = (HttpCaller.Answered) exchange;
    ResponseText body = response.text(maxResponseBytes, headers.secretValues());
    HttpRequestResult result =
        new HttpRequestResult(
            response.status(), response.latencyMillis(), body.text(), jsonObject(body));
    int status = response.status();
    boolean expected =
        input.expectedStatus() == null
            ? status >= 200 && status < 300
            : status == input.expectedStatus();
    if (expected) {
      return result;
    }
    String message =
        what
            + ": status "
            + status
            + ", expected "
            + (input.expectedStatus() == null ? "2xx" : input.expectedStatus())
            + "; "
            + body.excerpt();
    if (status >= 500 || status == 408 || status == 429) {
      throw ActionFailures.retryable(HttpFailures.REQUEST_FAILED, message, result);
    }
    throw ActionFailures.nonRetryable(HttpFailures.REQUEST_REJECTED, message, result);
  }

  /** The step's key, or the incident (workflow) id and the activity id: stable across attempts. */
  private static String idempotencyKey(String given) {
    if (given != null) {
      return given;
    }
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return info.getWorkflowId() + "/" + info.getActivityId();
  }

  private static JsonNode jsonObject(ResponseText body) {
    JsonNode parsed;
    try {
      parsed = body.truncated() ? null : JSON.readTree(body.text());
    } catch (JsonProcessingException notJson) {
      parsed = null; // the catalog's json is an empty object when the body is not one
    }
    return parsed != null && parsed.isObject() ? parsed : JsonNodeFactory.instance.objectNode();
  }
}
