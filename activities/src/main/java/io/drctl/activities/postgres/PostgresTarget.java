package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;
import java.util.Set;

/**
 * A {@code postgres} target of the plan ({@code postgresTarget} in the runbook schema), checked.
 * The password stays a reference ({@code env:NAME}, {@code file:/path}) until a connection or a
 * child process needs it. Immutable.
 *
 * @param name the target's name in the runbook
 * @param host host name or address the server listens on
 * @param port TCP port
 * @param database database to connect to (default {@code postgres})
 * @param user role to connect as (default {@code postgres})
 * @param password secret reference of the role's password, or {@code null} for none
 * @param container Docker container the server runs in, or {@code null}
 * @param dataDirectory PGDATA (inside the container when there is one), or {@code null}
 * @param volume Docker volume holding the data, or {@code null}
 * @param sslMode libpq sslmode (default {@code prefer})
 */
public record PostgresTarget(
    String name,
    String host,
    int port,
    String database,
    String user,
    String password,
    String container,
    String dataDirectory,
    String volume,
    String sslMode) {
  public static final String KIND = "postgres";
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /**
   * Characters a data directory may not hold: special inside restore_command's double quotes, or to
   * it.
   */
  private static final String SHELL_SPECIAL = "\"'`$\\%";

  /**
   * The postgres target that parameter {@code param} names.
   *
   * @throws io.temporal.failure.ApplicationFailure {@value StepTargets#UNKNOWN_TARGET} when the
   *     input does not carry it, {@link ActionFailures#INVALID_INPUT} for another kind or a
   *     malformed property (both non-retryable); messages never quote the password reference's
   *     value
   */
  public static PostgresTarget of(Map<String, JsonNode> targets, String param, String name) {
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
              + " needs a postgres target");
    }
    String host = text(name, properties, "host");
    if (host == null) {
      throw ActionFailures.invalidInput("target '" + name + "' has no host");
    }
    JsonNode port = properties.path("port");
    if (!port.canConvertToInt()
        || !port.isIntegralNumber()
        || port.asInt() < 1
        || port.asInt() > 65535) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' port must be an integer from 1 to 65535");
    }
    String password = text(name, properties, "password");
    if (password != null && !io.drctl.activities.secrets.SecretResolver.isReference(password)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' password must be a secret reference (env:NAME or file:/path), not a literal");
    }
    String sslMode = orDefault(text(name, properties, "sslMode"), "prefer");
    if (!SSL_MODES.contains(sslMode)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' sslMode must be one of "
              + SSL_MODES.stream().sorted().toList()
              + ", was "
              + sslMode);
    }
    String dataDirectory = text(name, properties, "dataDirectory");
    if (dataDirectory != null
        && (dataDirectory.chars().anyMatch(Character::isISOControl)
            || dataDirectory.chars().anyMatch(c -> SHELL_SPECIAL.indexOf(c) >= 0))) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' property dataDirectory '"
              + Identifiers.visible(dataDirectory)
              + "' contains one of "
              + SHELL_SPECIAL
              + " or a control character:"
              + " the restore_command of postgres.pitr hands it to a shell");
    }
    return new PostgresTarget(
        name,
        host,
        port.asInt(),
        Identifiers.checked(
            "target '" + name + "' property database",
            orDefault(text(name, properties, "database"), "postgres")),
        orDefault(text(name, properties, "user"), "postgres"),
        password,
        text(name, properties, "container"),
        dataDirectory,
        text(name, properties, "volume"),
        sslMode);
  }

  /**
   * The same server, the database a step's parameter {@code field} names ({@link
   * Identifiers#checked}); {@code null} keeps this one.
   */
  public PostgresTarget withDatabase(String field, String other) {
    return withDatabase(other == null ? null : Identifiers.checked(field, other));
  }

  /** The same server, another database (a name drctl made, or one already checked). */
  public PostgresTarget withDatabase(String other) {
    return other == null
        ? this
        : new PostgresTarget(
            name, host, port, other, user, password, container, dataDirectory, volume, sslMode);
  }

  /** The data directory; {@link ActionFailures#INVALID_INPUT} when the target names none. */
  public String requireDataDirectory() {
    if (dataDirectory == null) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' names no dataDirectory; this action"
              + " works on the server's files and needs it");
    }
    return dataDirectory;
  }

  /** {@code target 'name' (host:port/database)}: how messages name the server. */
  public String describe() {
    return "target '" + name + "' (" + host + ":" + port + "/" + database + ")";
  }

  /** The target as a docker action's {@code $targets} member needs it (no password). */
  Map<String, JsonNode> asDockerTargets() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", KIND);
    node.put("host", host);
    node.put("port", port);
    if (container != null) {
      node.put("container", container);
    }
    if (volume != null) {
      node.put("volume", volume);
    }
    return Map.of(name, node);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
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
