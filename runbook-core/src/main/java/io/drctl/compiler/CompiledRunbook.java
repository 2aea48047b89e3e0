package io.drctl.compiler;

import io.drctl.alerts.AlertRouting;
import io.drctl.plan.Plan;
import io.drctl.plan.ScheduledIncident;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A runbook that compiled without errors: one plan per incident type, in the runbook's order.
 *
 * @param sourceHash SHA-256 of the runbook file's text
 * @param schedules the incidents it starts on a calendar, in the runbook's order
 * @param alerts the routes of its alerts section; {@link AlertRouting#NONE} without one
 */
public record CompiledRunbook(
    String file,
    String name,
    String version,
    String sourceHash,
    Map<String, Plan> plans,
    List<ScheduledIncident> schedules,
    AlertRouting alerts) {
  public CompiledRunbook {
    plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
    schedules = List.copyOf(schedules);
    alerts = alerts == null ? AlertRouting.NONE : alerts;
  }

  public Optional<Plan> plan(String type) {
    return Optional.ofNullable(plans.get(type));
  }

  /**
   * Why {@link #plan} found nothing for {@code type}: the file, its version, the closest incident
   * type and all of them.
   */
  public String noSuchIncident(String type) {
    return "the worker's runbook " + file + " (version " + version + ") " + hasNo(type);
  }

  /** Why {@link #plan} found nothing for {@code type}, as a command names the runbook. */
  public String noIncident(String type) {
    return file + " " + hasNo(type);
  }

  private String hasNo(String type) {
    return "has no incident '"
        + type
        + "'"
        + DidYouMean.closest(type, plans.keySet())
            .map(s -> "; did you mean '" + s + "'?")
            .orElse("")
        + "; incidents: "
        + String.join(", ", plans.keySet());
  }
}
