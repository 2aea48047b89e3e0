package io.drctl.worker.drill;

import java.util.Map;

/**
 * One row of the seed's SLA table as a drill runs it: which incident of the runbook recovers it,
 * the alert monitoring would raise, how the failure is made for real, and what the writer measuring
 * the data lost writes to. Immutable; registered once in {@link DrillScenarios} under {@link #key}.
 *
 * @param key the name on the command line, e.g. {@code cache_failover}
 * @param seedRow the seed's name for the row, e.g. {@code 3B cache failure (AOF corrupt)}
 * @param incident the runbook incident type that recovers it
 * @param target the incident's target (the workflow id is {@code incident/target})
 * @param alert the labels of the alert raised at detection; {@code alertname} names it
 * @param routeInputs the incident inputs, as CEL over the alert's labels, of the route the drill
 *     adds when the runbook routes no alert to this incident; empty when none are needed
 * @param injection makes the failure, after the writer started
 * @param writer where the writer measuring lost data writes
 * @param skipReason why the drill cannot run it on this platform yet, or null when it can
 * @param follows the key of the scenario whose end state this one starts from (the fail-back starts
 *     where the fail-over left the platform), or null: such a scenario runs right after that one,
 *     without the repair in between, and only when that one recovered
 */
public record DrillScenario(
    String key,
    String seedRow,
    String incident,
    String target,
    Map<String, String> alert,
    Map<String, String> routeInputs,
    FailureInjection injection,
    WriterKind writer,
    String skipReason,
    String follows) {

  /** The store the writer of a scenario writes to. */
  public enum WriterKind {
    postgres,
    redis
  }

  public DrillScenario {
    alert = Map.copyOf(alert);
    routeInputs = Map.copyOf(routeInputs);
    if (!alert.containsKey("alertname")) {
      throw new IllegalArgumentException("scenario " + key + ": its alert has no alertname label");
    }
  }

  /** A scenario that starts from a repaired, healthy platform. */
  public DrillScenario(
      String key,
      String seedRow,
      String incident,
      String target,
      Map<String, String> alert,
      Map<String, String> routeInputs,
      FailureInjection injection,
      WriterKind writer,
      String skipReason) {
    this(key, seedRow, incident, target, alert, routeInputs, injection, writer, skipReason, null);
  }

  /** Whether the drill runs it (no skip reason). */
  public boolean runnable() {
    return skipReason == null;
  }

  /** The incident's workflow id, as the receiver names it. */
  public String workflowId() {
    return incident + "/" + target;
  }
}
