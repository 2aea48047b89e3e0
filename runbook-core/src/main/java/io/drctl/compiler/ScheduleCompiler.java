package io.drctl.compiler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.plan.ScheduledIncident;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.ScheduleSpec;
import io.drctl.source.JsonPointers;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the runbook's {@code schedules} section after the schema has: one cron expression or one
 * interval, a usable cron with the column of its first mistake, a known IANA time zone, a known
 * incident, its inputs against the incident's typed inputs, unique ids. Pure.
 */
final class ScheduleCompiler {
  /** Temporal refuses a catch-up window shorter than this. */
  static final Duration MIN_CATCHUP_WINDOW = Duration.ofSeconds(10);

  private static final Set<String> ZONES = new TreeSet<>(ZoneId.getAvailableZoneIds());

  private final Map<String, IncidentSpec> incidents;
  private final Diagnostics out;

  /**
   * @param incidents the runbook's incidents by type; a null value is an incident with schema
   *     errors
   */
  ScheduleCompiler(Map<String, IncidentSpec> incidents, Diagnostics out) {
    this.incidents = incidents;
    this.out = out;
  }

  /**
   * The checked schedules of {@code specs}, in the file's order; a schedule with errors is left out
   * after they are reported. A null spec had schema errors, already reported.
   */
  List<ScheduledIncident> compile(List<ScheduleSpec> specs) {
    List<ScheduledIncident> schedules = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      ScheduleSpec spec = specs.get(i);
      if (spec == null) {
        continue;
      }
      String at = JsonPointers.child("/schedules", i);
      Integer first = firstIndex.putIfAbsent(spec.id(), i);
      if (first != null) {
        out.error(
            "duplicate-schedule",
            at + "/id",
            "schedule id '" + spec.id() + "' is used twice",
            "first at line "
                + out.valuePosition(JsonPointers.child("/schedules", first) + "/id").line()
                + "; each id names one Temporal schedule and must be unique");
        continue;
      }
      compile(spec, at).ifPresent(schedules::add);
    }
    return schedules;
  }

  private Optional<ScheduledIncident> compile(ScheduleSpec spec, String at) {
    String cron = spec.cron();
    Duration interval = null;
    if ((cron == null) == (spec.interval() == null)) {
      out.error(
          "schedule-timing",
          at,
          cron == null
              ? "schedule '" + spec.id() + "' says neither when nor how often it runs"
              : "schedule '" + spec.id() + "' has both cron and interval",
          "give exactly one: \"cron\": \"0 1 * * *\" (01:00 every day) or \"interval\": \"6h\"");
    } else if (cron != null) {
      CronExpression.check(cron)
          .ifPresent(
              problem ->
                  out.errorAt(
                      "bad-cron",
                      at + "/cron",
                      out.positionInString(at + "/cron", problem.offset()),
                      problem.message(),
                      problem.hint()));
    } else {
      interval = DurationChecks.positive(spec.interval(), at + "/interval", out);
      if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
        out.error(
            "bad-duration",
            at + "/interval",
            "an interval under one second is not allowed",
            "e.g. 15m, 6h, 1d");
      }
    }
    String zone = spec.timeZone() == null ? ScheduledIncident.DEFAULT_TIME_ZONE : spec.timeZone();
    if (!ZONES.contains(zone)) {
      out.error(
          "bad-time-zone",
          at + "/timeZone",
          "'" + zone + "' is not an IANA time zone",
          DidYouMean.closest(zone, ZONES)
              .map(z -> "did you mean '" + z + "'?")
              .orElse("e.g. UTC, Europe/Berlin, America/New_York"));
    } else if (interval != null && spec.timeZone() != null) {
      out.error(
          "bad-time-zone",
          at + "/timeZone",
          "an interval runs the same in every time zone",
          "remove timeZone, or use cron for wall-clock times");
    }
    Duration catchup =
        spec.catchupWindow() == null
            ? null
            : DurationChecks.positive(spec.catchupWindow(), at + "/catchupWindow", out);
    if (catchup != null && catchup.compareTo(MIN_CATCHUP_WINDOW) < 0) {
      out.error(
          "bad-duration",
          at + "/catchupWindow",
          "Temporal's shortest catch-up window is 10s",
          "e.g. 1h");
    }
    IncidentSpec incident = incidents.get(spec.incident());
    if (!incidents.containsKey(spec.incident())) {
      out.error(
          "unknown-incident",
          at + "/incident",
          "no incident of type '" + spec.incident() + "' in this runbook",
          DidYouMean.hint(spec.incident(), incidents.keySet()));
    }
    ObjectNode inputs =
        spec.inputs() == null ? JsonNodeFactory.instance.objectNode() : spec.inputs();
    if (incident != null) {
      IncidentInputChecks.check(incident, inputs, at + "/inputs", at, false, out);
    }
    if (out.hasErrorsUnder(at) || incident == null) {
      return Optional.empty();
    }
    ScheduledIncident.Overlap overlap =
        spec.overlap() == null
            ? ScheduledIncident.Overlap.SKIP
            : ScheduledIncident.Overlap.fromJson(spec.overlap());
    return Optional.of(
        new ScheduledIncident(
            spec.id(),
            spec.incident(),
            cron == null ? null : cron.strip(),
            interval,
            zone,
            overlap,
            catchup,
            Boolean.TRUE.equals(spec.paused()),
            inputs,
            spec.note()));
  }
}
