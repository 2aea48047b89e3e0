package io.drctl.activities.targets;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code http} target of the plan ({@code httpTarget} in the runbook schema), checked. Header
 * values are kept as written: literals or secret references, resolved only when a request is built.
 * Immutable.
 *
 * @param name the target's name in the runbook
 * @param url base URL, {@code http} or {@code https}, without user info or fragment
 * @param headers headers sent with every request, in the runbook's order
 * @param insecureSkipVerify accept any TLS certificate and host name (sandboxes only)
 */
public record HttpTarget(
    String name, URI url, Map<String, String> headers, boolean insecureSkipVerify) {
  public static final String KIND = "http";

  public HttpTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * Reads a target's JSON as the plan holds it ({@code kind} included).
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT}, naming the
   *     target and the property (never a header value)
   */
  public static HttpTarget from(String name, JsonNode properties) {
    String kind = properties.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' is a "
              + (kind.isEmpty() ? "target without kind" : kind + " target")
              + ", an http target is needed");
    }
    return new HttpTarget(
        name,
        url(name, properties.path("url")),
        headers(name, properties.path("headers")),
        insecureSkipVerify(name, properties.path("insecureSkipVerify")));
  }

  private static URI url(String name, JsonNode node) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw ActionFailures.invalidInput("target '" + name + "' has no url");
    }
    URI url;
    try {
      url = new URI(node.asText());
    } catch (URISyntaxException e) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' has a malformed url: " + e.getReason());
    }
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' url must start with http:// or https://");
    }
    if (url.getHost() == null) {
      throw ActionFailures.invalidInput("target '" + name + "' url has no host");
    }
    if (url.getRawUserInfo() != null) {
      // Credentials in a URL end up in messages and history; headers take them by reference.
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' url must not contain credentials; put them in headers as a"
              + " secret reference (env:NAME or file:/path)");
    }
    if (url.getRawFragment() != null) {
      throw ActionFailures.invalidInput("target '" + name + "' url must not have a fragment");
    }
    return url;
  }

  private static Map<String, String> headers(String name, JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw ActionFailures.invalidInput("target '" + name + "' headers must be an object");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual()) {
        throw ActionFailures.invalidInput(
            "target '" + name + "' header " + field.getKey() + " must be a string");
      }
      headers.put(field.getKey(), field.getValue().asText());
    }
    return headers;
  }

  private static boolean insecureSkipVerify(String name, JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' insecureSkipVerify must be true or false");
    }
    return node.asBoolean();
  }

  /** Header names only: a value may be a literal token. */
  @Override
  public String toString() {
    return "HttpTarget[name="
        + name
        + ", url="
        + url
        + ", headers="
        + headers.keySet()
        + ", insecureSkipVerify="
        + insecureSkipVerify
        + "]";
  }
}
