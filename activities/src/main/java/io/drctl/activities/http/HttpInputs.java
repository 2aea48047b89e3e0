package io.drctl.activities.http;

import io.drctl.activities.ActionFailures;
import io.drctl.plan.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The checks on {@code http} inputs that the compiler's schema check may not have made (an older
 * runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT} and name the
 * field and the value (never a header value).
 */
final class HttpInputs {

  private HttpInputs() {}

  static String method(String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw ActionFailures.invalidInput(
          "method must be one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ", was "
              + value);
    }
    return value;
  }

  static void status(String field, Integer value) {
    if (value != null && (value < 100 || value > 599)) {
      throw ActionFailures.invalidInput(field + " must be between 100 and 599, was " + value);
    }
  }

  static Duration positiveDuration(String field, String text) {
    Duration duration;
    try {
      duration = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ActionFailures.invalidInput(field + ": " + e.getMessage());
    }
    if (duration.isZero()) {
      throw ActionFailures.invalidInput(field + " must be longer than 0, was " + text);
    }
    return duration;
  }

  static void headers(Map<String, String> headers) {
    headers.forEach(
        (name, value) -> {
          if (name == null || name.isBlank()) {
            throw ActionFailures.invalidInput("headers has an empty name");
          }
          if (value == null) {
            throw ActionFailures.invalidInput("headers." + name + " has no value");
          }
        });
  }

  static void notEmpty(String field, String value) {
    if (value != null && value.isEmpty()) {
      throw ActionFailures.invalidInput(field + " must not be empty");
    }
  }
}
