package io.drctl.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;

/**
 * A checked schedule of the runbook: which incident starts, when, and what happens to a start that
 * overlaps a run still going or that the server missed. Exactly one of {@code cron} and {@code
 * interval} is set.
 *
 * @param cron a 5-field cron expression (minute hour day-of-month month day-of-week), or null
 * @param interval the time between starts, or null
 * @param timeZone the IANA time zone the cron expression is read in
 * @param catchupWindow how late a missed start may still run, or null for Temporal's default (one
 *     year)
 * @param inputs the incident's inputs as written (the workflow applies defaults, as for {@code
 *     drctl start})
 * @param note free text for the people reading the schedule, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduledIncident(
    String id,
    String incident,
    String cron,
    Duration interval,
    String timeZone,
    Overlap overlap,
    Duration catchupWindow,
    boolean paused,
    ObjectNode inputs,
    String note) {

  public static final String DEFAULT_TIME_ZONE = "UTC";

  /** What Temporal does with a start that comes while the previous run is still going. */
  public enum Overlap {
    SKIP,
    BUFFER_ONE,
    BUFFER_ALL,
    CANCEL_OTHER,
    TERMINATE_OTHER,
    ALLOW_ALL;

    /** The runbook's spelling, e.g. {@code buffer-one}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Overlap fromJson(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** When it runs, in words: {@code cron '0 1 * * *' (UTC)} or {@code every 6h}. */
  public String timing() {
    return cron != null
        ? "cron '" + cron + "' (" + timeZone + ")"
        : "every " + Durations.format(interval);
  }
}
