package io.drctl.activities.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The checks on {@code backup} inputs that the compiler's schema check may not have made (an older
 * runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT} and name the
 * field and the value.
 */
final class BackupInputs {
  static final Set<String> SERVICES = Set.of("postgresql", "redis");
  static final Set<String> FORMATS = Set.of("dump", "basebackup", "rdb", "aof");

  private BackupInputs() {}

  /** The targets member as an immutable map; {@code null} (absent) is empty. */
  static Map<String, JsonNode> targets(Map<String, JsonNode> targets) {
    return ActionInputs.targets(targets);
  }

  static void present(String action, Object input) {
    ActionInputs.present(action, input, "a store");
  }

  /** {@code null} or one of {@code allowed}. */
  static String oneOf(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw ActionFailures.invalidInput(
          field
              + " must be one of "
              + String.join(", ", new java.util.TreeSet<>(allowed))
              + ", not '"
              + value
              + "'");
    }
    return value;
  }

  static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ActionFailures.invalidInput(field + " is missing");
    }
    return value;
  }

  /** An RFC 3339 time with offset, or {@code null}. */
  static Instant time(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ActionFailures.invalidInput(
          field + " must be a time such as 2025-12-27T14:30:00Z, not '" + text + "'");
    }
  }

  static Duration duration(String field, String text) {
    return ActionInputs.duration(field, text);
  }

  static int between(String field, int value, int minimum, int maximum) {
    return ActionInputs.between(field, value, minimum, maximum);
  }

  static double atLeast(String field, double value, double minimum) {
    if (Double.isNaN(value) || value < minimum) {
      throw ActionFailures.invalidInput(field + " must be at least " + minimum + ", was " + value);
    }
    return value;
  }
}
