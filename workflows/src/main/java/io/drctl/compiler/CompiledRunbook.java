package io.drctl.compiler;

import io.drctl.alerts.AlertRouting;
import io.drctl.plan.Plan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A runbook that compiled without errors: one plan per incident type, in the runbook's order.
 *
 * @param sourceHash SHA-256 of the runbook file's text
 * @param alerts the routes of its alerts section; {@link AlertRouting#NONE} without one
 */
public record CompiledRunbook(
    String file, String name, String version, String sourceHash, Map<String, Plan> plans, AlertRouting alerts) {
  public CompiledRunbook {
    plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
    alerts = alerts == null ? AlertRouting.NONE : alerts;
  }

  /** A runbook without alert routes. */
  public CompiledRunbook(String file, String name, String version, String sourceHash, Map<String, Plan> plans) {
    this(file, name, version, sourceHash, plans, AlertRouting.NONE);
  }

  public Optional<Plan> plan(String type) {
    return Optional.ofNullable(plans.get(type));
  }
}
