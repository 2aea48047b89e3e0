package io.drctl.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drctl.runbook.InputSpec;
import io.drctl.runbook.Objectives;
import io.drctl.runbook.OnExhausted;
import io.drctl.runbook.TargetSpec;
import java.util.List;
import java.util.Map;

/**
 * The compiled form of one incident: what the interpreter runs. Immutable, JSON-serializable, and
 * identified by {@link #hash()}, the SHA-256 of its canonical JSON without the hash itself. A plan
 * is pinned in workflow history when an incident starts, so later edits of the runbook never change
 * an incident in flight.
 *
 * @param sourceHash SHA-256 of the runbook file the plan came from
 * @param targets every target of the runbook, after environment overrides; secrets stay references
 * @param escalation the notification to run when a human is needed, or null for none
 * @param children plans of the incidents this one runs as children (runbook steps), transitively,
 *     so that they are pinned with it
 * @param notifications who is told of the incident's lifecycle, or null (also in plans compiled
 *     before it existed, which keep their JSON and hash)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plan(
    int format,
    String runbookName,
    String runbookVersion,
    String sourceHash,
    String type,
    String title,
    String description,
    String severity,
    String scenario,
    String target,
    Objectives objectives,
    Map<String, InputSpec> inputs,
    Map<String, TargetSpec> targets,
    OnExhausted onExhausted,
    Escalation escalation,
    List<PlanStep> steps,
    Map<String, Plan> children,
    String hash,
    Notifications notifications) {

  public static final int FORMAT = 1;

  public Plan {
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
    targets = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(targets));
    steps = List.copyOf(steps);
    children =
        children == null || children.isEmpty()
            ? null
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(children));
  }

  /** The plans of child incidents; empty when there are none. */
  public Map<String, Plan> childPlans() {
    return children == null ? Map.of() : children;
  }

  /** The same plan with the given child plans (and its hash recomputed by the caller). */
  public Plan withChildren(Map<String, Plan> newChildren) {
    return new Plan(
        format,
        runbookName,
        runbookVersion,
        sourceHash,
        type,
        title,
        description,
        severity,
        scenario,
        target,
        objectives,
        inputs,
        targets,
        onExhausted,
        escalation,
        steps,
        newChildren,
        hash,
        notifications);
  }

  /** The same plan with another source hash. */
  public Plan withSourceHash(String newSourceHash) {
    return new Plan(
        format,
        runbookName,
        runbookVersion,
        newSourceHash,
        type,
        title,
        description,
        severity,
        scenario,
        target,
        objectives,
        inputs,
        targets,
        onExhausted,
        escalation,
        steps,
        children,
        hash,
        notifications);
  }

  /** The same plan with {@code newNotifications} (and its hash recomputed by the caller). */
  public Plan withNotifications(Notifications newNotifications) {
    return new Plan(
        format,
        runbookName,
        runbookVersion,
        sourceHash,
        type,
        title,
        description,
        severity,
        scenario,
        target,
        objectives,
        inputs,
        targets,
        onExhausted,
        escalation,
        steps,
        children,
        hash,
        newNotifications);
  }

  /** The same plan carrying {@code newHash}. */
  public Plan withHash(String newHash) {
    return new Plan(
        format,
        runbookName,
        runbookVersion,
        sourceHash,
        type,
        title,
        description,
        severity,
        scenario,
        target,
        objectives,
        inputs,
        targets,
        onExhausted,
        escalation,
        steps,
        children,
        newHash,
        notifications);
  }
}
