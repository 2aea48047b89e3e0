package io.drctl.compiler;

import static io.drctl.steps.StepKind.first;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.catalog.ActionDefinition;
import io.drctl.plan.Durations;
import io.drctl.plan.Escalation;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import io.drctl.plan.RetryPolicy;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.EscalationSpec;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.InputSpec;
import io.drctl.runbook.OnExhausted;
import io.drctl.runbook.RetrySpec;
import io.drctl.runbook.RunbookSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.runbook.TargetSpec;
import io.drctl.steps.StepKind;
import io.drctl.steps.StepKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a checked incident's {@link Plan}: defaults resolved, constant conditions and folded
 * parameters applied, each step's kind deciding its timeout and retries. Reports the few problems
 * that only show once defaults are resolved.
 */
final class PlanBuilder {
  private final RunbookSpec runbook;
  private final DefaultsSpec defaults;
  private final String sourceHash;
  private final Diagnostics out;
  private final IncidentFacts facts;

  PlanBuilder(RunbookSpec runbook, String sourceHash, Diagnostics out, IncidentFacts facts) {
    this.runbook = runbook;
    this.defaults = runbook.defaults() == null ? DefaultsSpec.NONE : runbook.defaults();
    this.sourceHash = sourceHash;
    this.out = out;
    this.facts = facts;
  }

  Plan build(IncidentSpec incident, StepGraph graph, Map<String, TargetSpec> targets) {
    OnExhausted onExhausted =
        first(incident.onExhausted(), defaults.onExhausted(), OnExhausted.INTERVENE);
    List<PlanStep> steps = new ArrayList<>();
    for (StepNode node : graph.top) {
      steps.add(step(node, onExhausted));
    }
    Map<String, InputSpec> inputs = new LinkedHashMap<>(incident.inputsOrEmpty());
    EscalationSpec chosen =
        incident.escalation() != null ? incident.escalation() : defaults.escalation();
    Escalation escalation =
        chosen == null
            ? null
            : new Escalation(
                chosen.action(),
                facts.escalationWith != null ? facts.escalationWith : chosen.with());
    Plan plan =
        new Plan(
            Plan.FORMAT,
            runbook.name(),
            runbook.version(),
            sourceHash,
            incident.type(),
            incident.title(),
            incident.description(),
            incident.severity(),
            incident.scenario(),
            incident.target(),
            incident.objectives(),
            inputs,
            targets,
            onExhausted,
            escalation,
            steps,
            null,
            null,
            null);
    return plan.withHash(PlanJson.hash(plan));
  }

  private PlanStep step(StepNode node, OnExhausted incidentOnExhausted) {
    StepSpec spec = node.spec;
    ActionDefinition action = node.action;
    StepKind kind = StepKinds.standard().of(action.kind());
    String timeout = kind.timeout(spec, action, defaults);
    String heartbeat =
        kind.takesRetryAndHeartbeat()
            ? first(spec.heartbeat(), action.defaultHeartbeat(), defaults.heartbeat(), null)
            : null;
    if (heartbeat != null
        && spec.heartbeat() == null
        && action.defaultHeartbeat() == null
        && timeout != null
        && Durations.parse(heartbeat).compareTo(Durations.parse(timeout)) >= 0) {
      heartbeat = null; // the runbook-wide heartbeat cannot apply to a step shorter than it
    }
    RetryPolicy retry = kind.retried() ? retry(spec.retry(), defaults.retry()) : null;
    String condition =
        Boolean.TRUE.equals(facts.constantConditions.get(node)) ? null : spec.condition();
    List<PlanStep.PlanBranch> branches = null;
    if (kind.hasBranches()) {
      branches = new ArrayList<>();
      for (int b = 0; b < node.branches.size(); b++) {
        List<PlanStep> inner = new ArrayList<>();
        for (StepNode child : node.branches.get(b)) {
          inner.add(step(child, incidentOnExhausted));
        }
        branches.add(new PlanStep.PlanBranch(spec.branches().get(b).name(), inner));
      }
    }
    JsonNode with =
        facts.foldedWith.getOrDefault(
            node, spec.with() == null ? JsonNodeFactory.instance.objectNode() : spec.with());
    boolean background = runsInBackground(node, facts.readSteps);
    if (background && spec.onExhausted() != null) {
      out.errorAtKey(
          "not-applicable",
          node.pointer + "/onExhausted",
          "step '"
              + spec.id()
              + "' is a notification that runs in the background: when it cannot be delivered it is"
              + " escalated and the incident goes on, so onExhausted does not apply",
          "set \"blocking\": true to make it apply, or remove onExhausted");
    }
    PlanStep built =
        new PlanStep(
            spec.id(),
            spec.title() != null ? spec.title() : spec.id(),
            spec.action(),
            action.kind(),
            with,
            node.needs.stream().map(StepNode::id).toList(),
            condition,
            timeout == null ? null : Durations.canonical(timeout),
            heartbeat == null ? null : Durations.canonical(heartbeat),
            retry,
            spec.onFailure() == null ? List.of() : spec.onFailure(),
            node.isFallback(),
            Boolean.TRUE.equals(spec.continueOnError()),
            first(spec.onExhausted(), incidentOnExhausted, OnExhausted.INTERVENE),
            branches,
            action.destructive(),
            action.idempotent(),
            action.dataLossOutput(),
            background);
    checkResolvedTimeouts(node, built);
    return built;
  }

  /** After defaults are resolved: a heartbeat timeout must be shorter than the attempt timeout. */
  private void checkResolvedTimeouts(StepNode node, PlanStep step) {
    if (step.heartbeat() != null
        && step.timeout() != null
        && Durations.parse(step.heartbeat()).compareTo(Durations.parse(step.timeout())) >= 0) {
      boolean own = node.spec.heartbeat() != null;
      out.error(
          "heartbeat-exceeds-timeout",
          node.pointer + (own ? "/heartbeat" : ""),
          "heartbeat "
              + step.heartbeat()
              + " is not shorter than the step's timeout "
              + step.timeout()
              + (node.spec.timeout() == null ? " (the default of " + step.action() + ")" : ""),
          "a heartbeat timeout must be shorter than the step's timeout, or it never fires; set timeout on the step");
    }
  }

  /**
   * Whether a step runs in the background: a notification that the runbook does not make blocking
   * and that nothing hangs on, being no fallback, having none, and read by no expression.
   */
  private static boolean runsInBackground(StepNode node, Set<String> readSteps) {
    StepSpec spec = node.spec;
    return node.action.background()
        && !Boolean.TRUE.equals(spec.blocking())
        && !node.isFallback()
        && spec.onFailure() == null
        && !readSteps.contains(spec.id());
  }

  private static RetryPolicy retry(RetrySpec step, RetrySpec defaults) {
    RetrySpec merged =
        (step == null ? new RetrySpec(null, null, null, null, null) : step).inheriting(defaults);
    RetryPolicy base = RetryPolicy.DEFAULT;
    return new RetryPolicy(
        merged.maxAttempts() != null ? merged.maxAttempts() : base.maxAttempts(),
        Durations.canonical(
            merged.initialInterval() != null ? merged.initialInterval() : base.initialInterval()),
        merged.backoffCoefficient() != null
            ? merged.backoffCoefficient()
            : base.backoffCoefficient(),
        Durations.canonical(
            merged.maxInterval() != null ? merged.maxInterval() : base.maxInterval()),
        merged.nonRetryable() != null ? merged.nonRetryable() : base.nonRetryable());
  }
}
