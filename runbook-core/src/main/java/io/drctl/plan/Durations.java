package io.drctl.plan;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runbook durations: a sequence of number-unit pairs such as {@code 1h30m}, {@code 500ms}. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("([0-9]+(ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  /** Anything longer is certainly a typo (and would overflow Temporal's timers). */
  public static final Duration MAX = Duration.ofDays(3650);

  private Durations() {}

  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches() && parseOrNull(text) != null;
  }

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException when the text is not a duration or exceeds ten years
   */
  public static Duration parse(String text) {
    Duration result = parseOrNull(text);
    if (result == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 30s, 15m or 1h30m");
    }
    return result;
  }

  private static Duration parseOrNull(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        Duration part =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
        total = total.plus(part);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return total.compareTo(MAX) > 0 ? null : total;
  }

  /** The shortest canonical text, e.g. 90 minutes is {@code 1h30m}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) out.append(days).append('d');
    if (duration.toHoursPart() > 0) out.append(duration.toHoursPart()).append('h');
    if (duration.toMinutesPart() > 0) out.append(duration.toMinutesPart()).append('m');
    if (duration.toSecondsPart() > 0) out.append(duration.toSecondsPart()).append('s');
    if (duration.toMillisPart() > 0) out.append(duration.toMillisPart()).append("ms");
    return out.toString();
  }

  /** Canonical form of a valid duration text. */
  public static String canonical(String text) {
    return text == null ? null : format(parse(text));
  }
}
