package io.drctl.worker.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.drctl.plan.PlanJson;

/** The small formatting every report format and the CLI's status share. */
public final class ReportText {
  private ReportText() {}

  /** 45s, 2m5s, 1h30m: seconds under a minute, then minutes, then hours and minutes. */
  public static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (s > 0 && h == 0 ? s + "s" : "");
  }

  /** A step's or incident's duration from milliseconds, or "" when unknown. */
  static String millis(Long millis) {
    if (millis == null) {
      return "";
    }
    return millis < 1000 ? millis + "ms" : duration(millis / 1000);
  }

  /** Indented JSON of a report, a summary or part of one (null as {@code null}). */
  public static String prettyJson(Object value) {
    try {
      return PlanJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String yesNo(Boolean value) {
    return value == null ? "—" : value ? "met" : "missed";
  }

  static String orDash(Object value) {
    return value == null || value.toString().isEmpty() ? "—" : value.toString();
  }
}
