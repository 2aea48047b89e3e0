package io.drctl.activities.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code with} of an {@code http.request} step, field for field the {@code params} of {@code
 * http.request} in the action catalog, plus the reserved {@value StepTargets#MEMBER} the workflow
 * adds. Absent fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target name of the http target, looked up in {@code targets}
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param path path joined to the target's url
 * @param headers headers over the target's; values may be secret references
 * @param body request body, its expressions already evaluated by the workflow, or {@code null}
 * @param contentType Content-Type of the body (sent only with a body)
 * @param expectedStatus the status that means success, or {@code null} for any 2xx
 * @param idempotencyKey Idempotency-Key header, or {@code null} for the default (incident id and
 *     activity id)
 * @param timeout request timeout, a runbook duration
 * @param maxResponseBytes bytes of the response body kept
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpRequestInput(
    @JsonProperty("target") String target,
    @JsonProperty("method") String method,
    @JsonProperty("path") String path,
    @JsonProperty("headers") Map<String, String> headers,
    @JsonProperty("body") String body,
    @JsonProperty("contentType") String contentType,
    @JsonProperty("expectedStatus") Integer expectedStatus,
    @JsonProperty("idempotencyKey") String idempotencyKey,
    @JsonProperty("timeout") String timeout,
    @JsonProperty("maxResponseBytes") Integer maxResponseBytes,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_METHOD = "POST";
  public static final String DEFAULT_PATH = "/";
  public static final String DEFAULT_CONTENT_TYPE = "application/json";
  public static final String DEFAULT_TIMEOUT = "30s";
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 65_536;
  public static final int MAX_RESPONSE_BYTES_LIMIT = 10_485_760;

  public HttpRequestInput {
    method = method == null ? DEFAULT_METHOD : method;
    path = path == null ? DEFAULT_PATH : path;
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    maxResponseBytes = maxResponseBytes == null ? DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes;
    targets =
        targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** A request of {@code method} to {@code path} on {@code target}, the rest at defaults. */
  public static HttpRequestInput of(
      String target, String method, String path, Map<String, JsonNode> targets) {
    return new HttpRequestInput(
        target, method, path, null, null, null, null, null, null, null, targets);
  }

  public HttpRequestInput withBody(String newBody) {
    return new HttpRequestInput(
        target,
        method,
        path,
        headers,
        newBody,
        contentType,
        expectedStatus,
        idempotencyKey,
        timeout,
        maxResponseBytes,
        targets);
  }

  public HttpRequestInput withHeaders(Map<String, String> newHeaders) {
    return new HttpRequestInput(
        target,
        method,
        path,
        newHeaders,
        body,
        contentType,
        expectedStatus,
        idempotencyKey,
        timeout,
        maxResponseBytes,
        targets);
  }

  public HttpRequestInput withExpectedStatus(Integer status) {
    return new HttpRequestInput(
        target,
        method,
        path,
        headers,
        body,
        contentType,
        status,
        idempotencyKey,
        timeout,
        maxResponseBytes,
        targets);
  }

  public HttpRequestInput withIdempotencyKey(String key) {
    return new HttpRequestInput(
        target,
        method,
        path,
        headers,
        body,
        contentType,
        expectedStatus,
        key,
        timeout,
        maxResponseBytes,
        targets);
  }

  public HttpRequestInput withTimeout(String duration) {
    return new HttpRequestInput(
        target,
        method,
        path,
        headers,
        body,
        contentType,
        expectedStatus,
        idempotencyKey,
        duration,
        maxResponseBytes,
        targets);
  }

  public HttpRequestInput withMaxResponseBytes(int bytes) {
    return new HttpRequestInput(
        target,
        method,
        path,
        headers,
        body,
        contentType,
        expectedStatus,
        idempotencyKey,
        timeout,
        bytes,
        targets);
  }

  /** Header and target names only, and the body's size: values may be literal tokens. */
  @Override
  public String toString() {
    return "HttpRequestInput[target="
        + target
        + ", "
        + method
        + " "
        + path
        + ", headers="
        + headers.keySet()
        + ", body="
        + (body == null ? "none" : body.length() + " chars")
        + ", contentType="
        + contentType
        + ", expectedStatus="
        + expectedStatus
        + ", idempotencyKey="
        + idempotencyKey
        + ", timeout="
        + timeout
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
