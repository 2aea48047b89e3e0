package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The checks on {@code docker} inputs that the compiler's schema check may not have made (an older
 * runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT} and name the
 * field and the value.
 */
final class DockerInputs {

  private DockerInputs() {}

  /** The targets member as an immutable map; {@code null} (absent) is empty. */
  static Map<String, JsonNode> targets(Map<String, JsonNode> targets) {
    return ActionInputs.targets(targets);
  }

  static void present(String action, Object input) {
    ActionInputs.present(action, input, "a target");
  }

  static Duration duration(String field, String text) {
    return ActionInputs.duration(field, text);
  }

  static Duration positiveDuration(String field, String text) {
    Duration duration = duration(field, text);
    if (duration.isZero()) {
      throw ActionFailures.invalidInput(field + " must be longer than 0, was " + text);
    }
    return duration;
  }

  static int between(String field, int value, int minimum, int maximum) {
    return ActionInputs.between(field, value, minimum, maximum);
  }

  static String path(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ActionFailures.invalidInput(field + " is missing");
    }
    if (value.indexOf('\0') >= 0) {
      throw ActionFailures.invalidInput(field + " contains a NUL character");
    }
    return value;
  }

  /**
   * An absolute path in a container, without {@code .} or {@code ..} segments and a trailing slash.
   */
  static String containerPath(String field, String value) {
    path(field, value);
    if (!value.startsWith("/")) {
      throw ActionFailures.invalidInput(
          field + " must be an absolute path in the container, was " + value);
    }
    String normalized = value.replaceAll("/+", "/");
    if (normalized.length() > 1 && normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    for (String segment : normalized.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw ActionFailures.invalidInput(
            field + " must not contain . or .. segments, was " + value);
      }
    }
    return normalized;
  }

  /** An http(s) URL, or {@code null}. */
  static URI url(String field, String value) {
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw ActionFailures.invalidInput(field + " is not a URL: " + value);
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw ActionFailures.invalidInput(
          field + " must be an http:// or https:// URL, was " + value);
    }
    return uri;
  }
}
