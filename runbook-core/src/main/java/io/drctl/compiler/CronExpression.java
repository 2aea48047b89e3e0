package io.drctl.compiler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a 5-field cron expression as Temporal Schedules read it: minute, hour, day of month,
 * month, day of week; each field a star, a value, a range {@code a-b}, any of these with a step
 * ({@code /n}), or a comma list of these. Months and days may be named (JAN-DEC, SUN-SAT); Sunday
 * is 0 or 7. Pure.
 */
final class CronExpression {
  /** What is wrong and where: {@code offset} is the index in the expression of the bad part. */
  record Problem(int offset, String message, String hint) {}

  private record Field(String name, int min, int max, List<String> names, int firstNamed) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field("minute", 0, 59, List.of(), 0),
          new Field("hour", 0, 23, List.of(), 0),
          new Field("day of month", 1, 31, List.of(), 0),
          new Field(
              "month",
              1,
              12,
              List.of(
                  "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                  "DEC"),
              1),
          new Field(
              "day of week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 0));

  private static final String SHAPE =
      "five fields: minute hour day-of-month month day-of-week, e.g. '0 1 * * *' (01:00 every day)";

  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  private CronExpression() {}

  /** The first problem of {@code text}, or empty when Temporal will read it as written. */
  static Optional<Problem> check(String text) {
    String trimmed = text.strip();
    int start = text.indexOf(trimmed.isEmpty() ? text : trimmed);
    if (trimmed.isEmpty()) {
      return problem(0, "the cron expression is empty", SHAPE);
    }
    if (trimmed.startsWith("@")) {
      String nickname = trimmed.split("\\s+")[0].toLowerCase(Locale.ROOT);
      String same = NICKNAMES.get(nickname);
      return problem(
          start,
          "'" + trimmed + "' is a cron nickname; drctl takes the five fields",
          same != null
              ? "write '" + same + "'"
              : nickname.equals("@every") ? "use interval, e.g. \"interval\": \"6h\"" : SHAPE);
    }
    if (trimmed.toUpperCase(Locale.ROOT).startsWith("CRON_TZ=")
        || trimmed.toUpperCase(Locale.ROOT).startsWith("TZ=")) {
      return problem(
          start,
          "a time zone inside the cron expression is not allowed",
          "set the schedule's timeZone instead");
    }
    String[] parts = trimmed.split("\\s+");
    if (parts.length != FIELDS.size()) {
      return problem(
          start, "a cron expression has five fields; '" + trimmed + "' has " + parts.length, SHAPE);
    }
    int offset = start;
    for (int i = 0; i < parts.length; i++) {
      offset = text.indexOf(parts[i], offset);
      Optional<Problem> found = checkField(FIELDS.get(i), parts[i], offset);
      if (found.isPresent()) {
        return found;
      }
      offset += parts[i].length();
    }
    return Optional.empty();
  }

  private static Optional<Problem> checkField(Field field, String text, int offset) {
    int itemOffset = offset;
    for (String item : text.split(",", -1)) {
      Optional<Problem> found = checkItem(field, item, itemOffset);
      if (found.isPresent()) {
        return found;
      }
      itemOffset += item.length() + 1;
    }
    return Optional.empty();
  }

  private static Optional<Problem> checkItem(Field field, String item, int offset) {
    if (item.isEmpty()) {
      return problem(
          offset,
          "empty item in the " + field.name() + " field",
          "separate values with a single comma, e.g. 1,15");
    }
    String range = item;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      String step = item.substring(slash + 1);
      if (!step.matches("[0-9]{1,3}") || Integer.parseInt(step) == 0) {
        return problem(
            offset + slash + 1,
            "'" + step + "' is not a step in the " + field.name() + " field",
            "a step is a whole number from 1, e.g. */15");
      }
    }
    if (range.equals("*")) {
      return Optional.empty();
    }
    int dash = range.indexOf('-');
    String low = dash < 0 ? range : range.substring(0, dash);
    Integer from = value(field, low);
    if (from == null) {
      return problem(
          offset,
          "'" + low + "' is not a valid " + field.name() + " (" + allowed(field) + ")",
          SHAPE);
    }
    if (dash >= 0) {
      String high = range.substring(dash + 1);
      Integer to = value(field, high);
      if (to == null) {
        return problem(
            offset + dash + 1,
            "'" + high + "' is not a valid " + field.name() + " (" + allowed(field) + ")",
            SHAPE);
      }
      if (to < from) {
        return problem(
            offset,
            "the range " + range + " in the " + field.name() + " field runs backwards",
            "write the smaller value first; for a range that wraps, list two, e.g. 22-23,0-2");
      }
    }
    return Optional.empty();
  }

  private static Integer value(Field field, String text) {
    if (text.matches("[0-9]{1,2}")) {
      int number = Integer.parseInt(text);
      return number >= field.min() && number <= field.max() ? number : null;
    }
    int index = field.names().indexOf(text.toUpperCase(Locale.ROOT));
    return index < 0 ? null : index + field.firstNamed();
  }

  private static String allowed(Field field) {
    String numbers = field.min() + "-" + field.max();
    if (field.names().isEmpty()) {
      return numbers;
    }
    return numbers
        + " or "
        + field.names().get(0)
        + "-"
        + field.names().get(field.names().size() - 1)
        + (field.name().equals("day of week") ? "; Sunday is 0 or 7" : "");
  }

  private static Optional<Problem> problem(int offset, String message, String hint) {
    return Optional.of(new Problem(offset, message, hint));
  }
}
