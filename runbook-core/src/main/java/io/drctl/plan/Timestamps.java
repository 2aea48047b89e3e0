package io.drctl.plan;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;

/** Times in reports, progress and the decision log: UTC, always with milliseconds. */
public final class Timestamps {
  /**
   * {@code 2026-11-27T20:34:20.000Z}: Instant.toString drops a zero fraction ({@code
   * 2026-11-27T20:34:20Z}), and then the text of a time no longer sorts as the time does.
   */
  private static final DateTimeFormatter MILLIS =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter(Locale.ROOT);

  private Timestamps() {}

  /** The time {@code millis} after the epoch, or {@code null} for 0 or less (not yet). */
  public static String ofMillis(long millis) {
    return millis <= 0 ? null : MILLIS.format(Instant.ofEpochMilli(millis));
  }
}
