package io.drctl.worker.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.ScheduledIncident;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What drctl wrote into one Temporal schedule, field by field in the runbook's words, kept in the
 * memo of the schedule's action. Temporal turns a cron expression into calendar ranges, so a sync
 * compares the runbook against this copy rather than the server's rendering; only the paused state
 * is read back from the schedule itself, as an operator may pause it in the Web UI.
 *
 * @param fields name to value, in a fixed order; absent fields are left out
 */
record ScheduleDefinition(Map<String, String> fields) {
  static final String PAUSED = "paused";

  /**
   * The order fields are written and compared in, so that a change reads the same way each time.
   */
  private static final List<String> ORDER =
      List.of(
          "incident",
          "cron",
          "interval",
          "timeZone",
          "overlap",
          "catchupWindow",
          "inputs",
          "note",
          "plan",
          "taskQueue",
          PAUSED);

  private static final int PLAN_HASH_SHOWN = 12;

  ScheduleDefinition {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The definition of {@code schedule} running {@code plan} on {@code taskQueue}. */
  static ScheduleDefinition of(ScheduledIncident schedule, Plan plan, String taskQueue) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("incident", schedule.incident());
    put(fields, "cron", schedule.cron());
    put(
        fields,
        "interval",
        schedule.interval() == null ? null : Durations.format(schedule.interval()));
    put(fields, "timeZone", schedule.cron() == null ? null : schedule.timeZone());
    fields.put("overlap", schedule.overlap().json());
    put(
        fields,
        "catchupWindow",
        schedule.catchupWindow() == null ? null : Durations.format(schedule.catchupWindow()));
    fields.put("inputs", schedule.inputs().toString());
    put(fields, "note", schedule.note());
    fields.put("plan", plan.hash().substring(0, PLAN_HASH_SHOWN));
    fields.put("taskQueue", taskQueue);
    fields.put(PAUSED, String.valueOf(schedule.paused()));
    return new ScheduleDefinition(fields);
  }

  static ScheduleDefinition fromJson(String json) {
    try {
      return new ScheduleDefinition(
          PlanJson.mapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a drctl schedule definition: " + e.getOriginalMessage(), e);
    }
  }

  String toJson() {
    try {
      return PlanJson.mapper().writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings did not serialise", e);
    }
  }

  /** The same definition with the paused state Temporal reports. */
  ScheduleDefinition withPaused(boolean paused) {
    Map<String, String> copy = new LinkedHashMap<>(fields);
    copy.put(PAUSED, String.valueOf(paused));
    return new ScheduleDefinition(copy);
  }

  boolean paused() {
    return Boolean.parseBoolean(fields.get(PAUSED));
  }

  /** Each field that differs from {@code before}, as {@code cron: '0 1 * * *' -> '30 1 * * *'}. */
  List<String> changesSince(ScheduleDefinition before) {
    Set<String> names = new LinkedHashSet<>(ORDER);
    names.addAll(fields.keySet());
    names.addAll(before.fields.keySet());
    List<String> changes = new ArrayList<>();
    for (String name : names) {
      String was = before.fields.get(name);
      String now = fields.get(name);
      if (was == null ? now != null : !was.equals(now)) {
        changes.add(name + ": " + shown(was) + " -> " + shown(now));
      }
    }
    return changes;
  }

  /** One line for a listing: {@code backup_daily, cron '0 1 * * *' (UTC)}. */
  String summary() {
    String timing =
        fields.containsKey("cron")
            ? "cron '" + fields.get("cron") + "' (" + fields.get("timeZone") + ")"
            : "every " + fields.get("interval");
    return fields.get("incident") + ", " + timing;
  }

  private static String shown(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }

  private static void put(Map<String, String> fields, String name, String value) {
    if (value != null) {
      fields.put(name, value);
    }
  }
}
