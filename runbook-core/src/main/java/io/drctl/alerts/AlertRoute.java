package io.drctl.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One compiled route: the alerts it takes, the incident it starts, the target that names the
 * problem, the inputs, and the cooldown after the incident ended. Immutable.
 *
 * @param name the route's name, or route-INDEX
 * @param pointer where it is in the runbook, e.g. /alerts/routes/0
 */
public record AlertRoute(
    String name,
    String pointer,
    List<LabelMatcher> matchers,
    String incident,
    AlertTemplate target,
    Map<String, AlertTemplate> inputs,
    Duration cooldown) {
  public AlertRoute {
    matchers = List.copyOf(matchers);
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
  }

  public boolean matches(Alert alert) {
    return matchers.stream().allMatch(m -> m.matches(alert.labels()));
  }
}
