package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The checks on {@code postgres} inputs that the compiler's schema check may not have made (an
 * older runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT} and
 * name the field and the value.
 */
final class PostgresInputs {

  private PostgresInputs() {}

  static Map<String, JsonNode> targets(Map<String, JsonNode> targets) {
    return ActionInputs.targets(targets);
  }

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
  }

  static void present(String action, Object input) {
    ActionInputs.present(action, input, "a target");
  }

  static Duration duration(String field, String text) {
    return ActionInputs.duration(field, text);
  }

  static double ratio(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw ActionFailures.invalidInput(field + " must be between 0 and 1, was " + value);
    }
    return value;
  }

  static long atLeast(String field, long value, long minimum) {
    if (value < minimum) {
      throw ActionFailures.invalidInput(field + " must be at least " + minimum + ", was " + value);
    }
    return value;
  }

  /**
   * Table names from an array whose elements may themselves be comma separated lists, as {@link
   * TableName}s (schema {@code public} when omitted), without duplicates, in order.
   */
  static List<TableName> tables(String field, List<String> values) {
    LinkedHashSet<TableName> tables = new LinkedHashSet<>();
    for (String value : values) {
      if (value == null) {
        throw ActionFailures.invalidInput(field + " contains null");
      }
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          tables.add(TableName.parse(field, part.strip()));
        }
      }
    }
    return List.copyOf(tables);
  }
}
