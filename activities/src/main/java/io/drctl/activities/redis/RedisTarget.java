package io.drctl.activities.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * A {@code redis} target of the plan ({@code redisTarget} in the runbook schema), checked. The
 * password stays a reference ({@code env:NAME}, {@code file:/path}) until a connection sends it as
 * AUTH. Immutable.
 *
 * @param name the target's name in the runbook
 * @param host host name or address Redis listens on
 * @param port TCP port
 * @param password secret reference of the AUTH password, or {@code null} for none
 * @param container Docker container Redis runs in, or {@code null}
 * @param dataDirectory Redis {@code dir} (inside the container when there is one), or {@code null}
 */
public record RedisTarget(
    String name, String host, int port, String password, String container, String dataDirectory) {
  public static final String KIND = "redis";

  /**
   * The redis target that parameter {@code param} names.
   *
   * @throws io.temporal.failure.ApplicationFailure {@value StepTargets#UNKNOWN_TARGET} when the
   *     input does not carry it, {@link ActionFailures#INVALID_INPUT} for another kind or a
   *     malformed property (both non-retryable); messages never quote the password reference
   */
  static RedisTarget of(Map<String, JsonNode> targets, String param, String name) {
    JsonNode properties = StepTargets.of(targets).require(param, name);
    String kind = properties.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' is a "
              + (kind.isEmpty() ? "target without kind" : kind + " target")
              + "; "
              + param
              + " needs a redis target");
    }
    String host = text(name, properties, "host");
    if (host == null) {
      throw ActionFailures.invalidInput("target '" + name + "' has no host");
    }
    JsonNode port = properties.path("port");
    if (!port.isIntegralNumber() || port.asInt() < 1 || port.asInt() > 65535) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' port must be an integer from 1 to 65535");
    }
    String password = text(name, properties, "password");
    if (password != null && !SecretResolver.isReference(password)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' password must be a secret reference (env:NAME or file:/path), not a literal");
    }
    return new RedisTarget(
        name,
        host,
        port.asInt(),
        password,
        text(name, properties, "container"),
        text(name, properties, "dataDirectory"));
  }

  /**
   * The server at {@code host:port} with this target's password (another node of its replication
   * group).
   */
  RedisTarget at(String otherHost, int otherPort) {
    return new RedisTarget(name, otherHost, otherPort, password, null, null);
  }

  /** {@code host:port}. */
  String address() {
    return host + ":" + port;
  }

  /** {@code target 'name' (host:port)}: how messages name the server. */
  String describe() {
    return "target '" + name + "' (" + host + ":" + port + ")";
  }

  private static String text(String target, JsonNode properties, String field) {
    JsonNode value = properties.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ActionFailures.invalidInput(
          "target '" + target + "' property " + field + " must be a non-empty string");
    }
    return value.asText();
  }
}
