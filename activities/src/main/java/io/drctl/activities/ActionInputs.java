package io.drctl.activities;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks every backend makes on inputs that the compiler's schema check may not have made (an
 * older runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT} and
 * name the field and the value. Each backend's own input checks build on these.
 */
public final class ActionInputs {
  private ActionInputs() {}

  /** The targets member as an immutable map; {@code null} (absent) is empty. */
  public static Map<String, JsonNode> targets(Map<String, JsonNode> targets) {
    return targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** Fails unless there is an input: {@code "ACTION needs an input with WHAT"}. */
  public static void present(String action, Object input, String what) {
    if (input == null) {
      throw ActionFailures.invalidInput(action + " needs an input with " + what);
    }
  }

  /** A duration such as {@code 30s} or {@code 1h30m}. */
  public static Duration duration(String field, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ActionFailures.invalidInput(field + ": " + e.getMessage());
    }
  }

  public static int between(String field, int value, int minimum, int maximum) {
    if (value < minimum || value > maximum) {
      throw ActionFailures.invalidInput(
          field + " must be between " + minimum + " and " + maximum + ", was " + value);
    }
    return value;
  }
}
