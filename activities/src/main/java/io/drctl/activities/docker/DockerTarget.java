package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;
import java.util.Set;

/**
 * What the docker actions need of a target the step names: a {@code container} target, or a {@code
 * postgres} or {@code redis} target that runs in a container. Read from the step's {@value
 * StepTargets#MEMBER} through {@link StepTargets}; other properties (host, password reference) are
 * not looked at. Immutable.
 *
 * @param name the target's name in the runbook
 * @param kind container, postgres or redis
 * @param container the container's name (or id), {@code null} when the target names none
 * @param dockerHost the target's engine, {@code null} for the worker's default
 * @param healthUrl HTTP endpoint that answers 2xx when healthy, or {@code null}
 * @param volume the Docker volume that holds the data, or {@code null}
 */
public record DockerTarget(
    String name,
    String kind,
    String container,
    String dockerHost,
    String healthUrl,
    String volume) {
  /** Kinds whose targets can name a container. */
  public static final Set<String> CONTAINER_KINDS = Set.of("container", "postgres", "redis");

  /** Kinds whose targets can name a data volume. */
  public static final Set<String> VOLUME_KINDS = Set.of("postgres", "redis");

  /**
   * The target that parameter {@code param} names, which must be one of {@code kinds}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@value StepTargets#UNKNOWN_TARGET} when the
   *     input does not carry it, {@link ActionFailures#INVALID_INPUT} for another kind or a
   *     malformed property (both non-retryable)
   */
  static DockerTarget of(
      Map<String, JsonNode> targets, String param, String name, Set<String> kinds) {
    JsonNode properties = StepTargets.of(targets).require(param, name);
    String kind = properties.path("kind").asText("");
    if (!kinds.contains(kind)) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' is a "
              + (kind.isEmpty() ? "target without kind" : kind + " target")
              + "; "
              + param
              + " needs a "
              + String.join(", ", kinds.stream().sorted().toList())
              + " target");
    }
    return new DockerTarget(
        name,
        kind,
        text(name, properties, "container"),
        text(name, properties, "dockerHost"),
        text(name, properties, "healthUrl"),
        text(name, properties, "volume"));
  }

  /** The container's name; {@link ActionFailures#INVALID_INPUT} when the target names none. */
  String requireContainer() {
    if (container == null) {
      throw ActionFailures.invalidInput(
          "target '"
              + name
              + "' names no container: a "
              + kind
              + " target needs a container"
              + " property for docker actions");
    }
    return container;
  }

  /**
   * {@code override}, else the target's volume; {@link ActionFailures#INVALID_INPUT} without
   * either.
   */
  String volume(String override) {
    if (override != null) {
      return override;
    }
    if (volume == null) {
      throw ActionFailures.invalidInput(
          "target '" + name + "' names no volume; give the step's volume parameter");
    }
    return volume;
  }

  /** How messages name the container: {@code container 'db' (target pg-primary)}. */
  String describe() {
    return "container '" + container + "' (target " + name + ")";
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
