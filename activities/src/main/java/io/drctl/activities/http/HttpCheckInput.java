package io.drctl.activities.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code with} of an {@code http.check} step, field for field the {@code params} of {@code
 * http.check} in the action catalog ({@code io/drctl/catalog/http.json}), plus the reserved {@value
 * StepTargets#MEMBER} the workflow adds. Absent fields take the catalog's defaults; unknown fields
 * are ignored. Immutable.
 *
 * @param target name of the http target, looked up in {@code targets}
 * @param path path joined to the target's url
 * @param method GET, HEAD or OPTIONS
 * @param headers headers over the target's; values may be secret references
 * @param expectedStatus the status that means healthy
 * @param jsonPath where to look in a JSON body, or {@code null} to not parse the body
 * @param expected the value {@code jsonPath} must yield (JSON {@code null} included), or Java
 *     {@code null} when it only has to exist
 * @param bodyContains text the body must contain, or {@code null}
 * @param maxLatency slowest accepted response, a runbook duration
 * @param timeout request timeout, a runbook duration
 * @param failOnProblem fail with CheckFailed when a check does not hold (else report it)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpCheckInput(
    @JsonProperty("target") String target,
    @JsonProperty("path") String path,
    @JsonProperty("method") String method,
    @JsonProperty("headers") Map<String, String> headers,
    @JsonProperty("expectedStatus") Integer expectedStatus,
    @JsonProperty("jsonPath") String jsonPath,
    // Omitted when absent, so that "absent" does not turn into "must be null" on the wire.
    @JsonProperty("expected") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode expected,
    @JsonProperty("bodyContains") String bodyContains,
    @JsonProperty("maxLatency") String maxLatency,
    @JsonProperty("timeout") String timeout,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_PATH = "/";
  public static final String DEFAULT_METHOD = "GET";
  public static final int DEFAULT_EXPECTED_STATUS = 200;
  public static final String DEFAULT_MAX_LATENCY = "5s";
  public static final String DEFAULT_TIMEOUT = "10s";

  public HttpCheckInput {
    path = path == null ? DEFAULT_PATH : path;
    method = method == null ? DEFAULT_METHOD : method;
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    expectedStatus = expectedStatus == null ? DEFAULT_EXPECTED_STATUS : expectedStatus;
    maxLatency = maxLatency == null ? DEFAULT_MAX_LATENCY : maxLatency;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    failOnProblem = failOnProblem == null || failOnProblem;
    targets =
        targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** A GET of {@code path} on {@code target}, every other field at its default. */
  public static HttpCheckInput of(String target, String path, Map<String, JsonNode> targets) {
    return new HttpCheckInput(
        target, path, null, null, null, null, null, null, null, null, null, targets);
  }

  public HttpCheckInput withMethod(String newMethod) {
    return new HttpCheckInput(
        target,
        path,
        newMethod,
        headers,
        expectedStatus,
        jsonPath,
        expected,
        bodyContains,
        maxLatency,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withHeaders(Map<String, String> newHeaders) {
    return new HttpCheckInput(
        target,
        path,
        method,
        newHeaders,
        expectedStatus,
        jsonPath,
        expected,
        bodyContains,
        maxLatency,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withExpectedStatus(int status) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        status,
        jsonPath,
        expected,
        bodyContains,
        maxLatency,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withJsonPath(String newJsonPath, JsonNode newExpected) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        expectedStatus,
        newJsonPath,
        newExpected,
        bodyContains,
        maxLatency,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withBodyContains(String text) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        expectedStatus,
        jsonPath,
        expected,
        text,
        maxLatency,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withMaxLatency(String duration) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        expectedStatus,
        jsonPath,
        expected,
        bodyContains,
        duration,
        timeout,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withTimeout(String duration) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        expectedStatus,
        jsonPath,
        expected,
        bodyContains,
        maxLatency,
        duration,
        failOnProblem,
        targets);
  }

  public HttpCheckInput withFailOnProblem(boolean fail) {
    return new HttpCheckInput(
        target,
        path,
        method,
        headers,
        expectedStatus,
        jsonPath,
        expected,
        bodyContains,
        maxLatency,
        timeout,
        fail,
        targets);
  }

  /** Header names and target names only: values may be literal tokens. */
  @Override
  public String toString() {
    return "HttpCheckInput[target="
        + target
        + ", "
        + method
        + " "
        + path
        + ", headers="
        + headers.keySet()
        + ", expectedStatus="
        + expectedStatus
        + ", jsonPath="
        + jsonPath
        + ", expected="
        + expected
        + ", bodyContains="
        + bodyContains
        + ", maxLatency="
        + maxLatency
        + ", timeout="
        + timeout
        + ", failOnProblem="
        + failOnProblem
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
