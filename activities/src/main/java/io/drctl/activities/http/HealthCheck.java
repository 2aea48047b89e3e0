package io.drctl.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges one {@code http.check} exchange: which of the step's checks did not hold. Pure: the
 * request has been made.
 */
final class HealthCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCheckInput input;
  private final JsonPathQuery jsonPath;
  private final Duration maxLatency;
  private final int maxBodyBytes;

  HealthCheck(HttpCheckInput input, JsonPathQuery jsonPath, Duration maxLatency, int maxBodyBytes) {
    this.input = input;
    this.jsonPath = jsonPath;
    this.maxLatency = maxLatency;
    this.maxBodyBytes = maxBodyBytes;
  }

  HttpCheckResult judge(HttpCaller.Exchange exchange, List<String> secrets) {
    if (exchange instanceof HttpCaller.Unanswered none) {
      return new HttpCheckResult(false, 0, none.latencyMillis(), "", 0, none.reason());
    }
    HttpCaller.Answered response = (HttpCaller.Answered) exchange;
    List<String> problems = new ArrayList<>();
    if (response.status() != input.expectedStatus()) {
      problems.add("status " + response.status() + ", expected " + input.expectedStatus());
    }
    if (response.latencyMillis() > maxLatency.toMillis()) {
      problems.add(
          "latency " + response.latencyMillis() + " ms is above maxLatency " + input.maxLatency());
    }
    String value = "";
    if (jsonPath != null || input.bodyContains() != null) {
      ResponseText body = response.text(maxBodyBytes, secrets);
      if (jsonPath != null) {
        Optional<JsonNode> found = lookUp(body, problems);
        value = found.map(JsonNode::toString).orElse("");
      }
      if (input.bodyContains() != null && !body.text().contains(input.bodyContains())) {
        problems.add(
            "the body does not contain '"
                + input.bodyContains()
                + "'"
                + (body.truncated() ? " in its first " + maxBodyBytes + " bytes" : ""));
      }
    }
    return new HttpCheckResult(
        problems.isEmpty(),
        response.status(),
        response.latencyMillis(),
        value,
        response.bodyBytes(),
        String.join("; ", problems));
  }

  private Optional<JsonNode> lookUp(ResponseText body, List<String> problems) {
    if (body.truncated()) {
      problems.add(
          "the body is larger than " + maxBodyBytes + " bytes; " + jsonPath + " was not looked up");
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = body.text().isBlank() ? null : JSON.readTree(body.text());
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null) {
      problems.add("the body is not JSON; " + jsonPath + " was not looked up");
      return Optional.empty();
    }
    Optional<JsonNode> found = jsonPath.select(root);
    if (found.isEmpty()) {
      problems.add(jsonPath + " is not in the body");
    } else if (input.expected() != null && !matches(found.get(), input.expected())) {
      problems.add(jsonPath + " is " + found.get() + ", expected " + input.expected());
    }
    return found;
  }

  /** JSON equality, with numbers compared by value ({@code 1} matches {@code 1.0}). */
  private static boolean matches(JsonNode actual, JsonNode expected) {
    if (actual.isNumber() && expected.isNumber()) {
      return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return actual.equals(expected);
  }
}
