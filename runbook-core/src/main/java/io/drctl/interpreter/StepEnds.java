package io.drctl.interpreter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.interpreter.StepLifecycle.Transition;
import io.drctl.plan.PlanStep;
import io.drctl.plan.Timestamps;
import io.drctl.runbook.OnExhausted;
import io.drctl.steps.StepKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * How steps end: a failure runs fallbacks, continues, waits for an operator or fails the incident;
 * a parallel step completes with its branches; an approval times out; escalations and notes are
 * recorded. Part of the {@link Interpreter}, which it serves; no I/O, no clock.
 */
final class StepEnds {
  private final PlanIndex index;
  private final LifecycleEvents lifecycle;
  private final StepKinds kinds;

  StepEnds(PlanIndex index, LifecycleEvents lifecycle, StepKinds kinds) {
    this.index = index;
    this.lifecycle = lifecycle;
    this.kinds = kinds;
  }

  boolean lets(IncidentState state, String id) {
    PlanStep step = index.step(id);
    return state.steps.get(id).status.letsDependentsRun(step.continueOnError(), step.background());
  }

  /** A pending step that can never start: something it needs ended without letting it run. */
  boolean isUnreachable(String id, IncidentState state) {
    StepRun run = state.steps.get(id);
    if (run.status != StepStatus.PENDING) {
      return false;
    }
    if (index.fallbackOf.containsKey(id)) {
      return state.steps.get(index.fallbackOf.get(id)).status != StepStatus.RECOVERING;
    }
    for (String need : index.step(id).needs()) {
      StepRun dependency = state.steps.get(need);
      if ((dependency.status.isTerminal() && !lets(state, need)) || isUnreachable(need, state)) {
        return true;
      }
    }
    return false;
  }

  boolean completeParallel(PlanStep step, StepRun run, IncidentState state, long now) {
    List<String> direct = new ArrayList<>();
    step.branches().forEach(b -> b.steps().forEach(s -> direct.add(s.id())));
    List<String> all = index.inner.get(step.id());
    boolean failFast = step.with().path("failFast").asBoolean(false);
    boolean anyFailed =
        direct.stream().anyMatch(id -> state.steps.get(id).status.isTerminal() && !lets(state, id));
    if (failFast && anyFailed) {
      all.stream()
          .map(state.steps::get)
          .filter(r -> r.status == StepStatus.PENDING)
          .forEach(
              r -> {
                r.move(Transition.CANCEL);
                r.endedMillis = now;
              });
    }
    if (!all.stream()
        .allMatch(id -> state.steps.get(id).status.isTerminal() || isUnreachable(id, state))) {
      return false;
    }
    all.stream()
        .map(state.steps::get)
        .filter(r -> r.status == StepStatus.PENDING)
        .forEach(
            r -> {
              r.move(Transition.CANCEL);
              r.endedMillis = now;
            });
    if (direct.stream().allMatch(id -> lets(state, id))) {
      run.move(Transition.SUCCEED);
      run.endedMillis = now;
      run.output = JsonNodeFactory.instance.objectNode();
    } else {
      failed(state, step.id(), "BranchFailed", "a branch of '" + step.id() + "' failed", now);
    }
    return true;
  }

  boolean advanceFallbacks(PlanStep step, StepRun run, IncidentState state, long now) {
    String current = step.onFailure().get(run.fallbackIndex);
    StepRun fallback = state.steps.get(current);
    if (!fallback.status.isTerminal()) {
      return false;
    }
    if (lets(state, current)) {
      run.fallbackIndex++;
      if (run.fallbackIndex == step.onFailure().size()) {
        run.move(Transition.RECOVERED);
        run.endedMillis = now;
        run.summary = "recovered by " + String.join(", ", step.onFailure());
      }
      return true;
    }
    run.fallbacksExhausted = true;
    exhausted(state, step, run, now);
    return true;
  }

  /**
   * A step failed for good: its retries are used up, its approval was rejected or timed out, or an
   * expression could not be evaluated. Runs fallbacks, continues, asks the operator, or fails the
   * incident, in that order of preference. A background notification only ends failed and is
   * escalated: it never waits for an operator and never fails the incident.
   */
  void failed(IncidentState state, String stepId, String errorType, String message, long now) {
    StepRun run = state.steps.get(stepId);
    if (run.status != StepStatus.RUNNING && run.status != StepStatus.WAITING_APPROVAL) {
      return;
    }
    run.errorType = errorType;
    run.error = message;
    int before = state.pendingNotices.size();
    exhausted(state, index.step(stepId), run, now);
    lifecycle.stepFailed(
        state, index.step(stepId), run, before); // ahead of the escalation it led to
  }

  private void exhausted(IncidentState state, PlanStep step, StepRun run, long now) {
    if (!step.onFailure().isEmpty()
        && !run.fallbacksExhausted
        && run.status != StepStatus.RECOVERING) {
      run.move(Transition.RECOVER);
      run.fallbackIndex = 0;
      for (String fallback : step.onFailure()) {
        StepRun f = state.steps.get(fallback);
        f.move(Transition.RESET); // a fallback runs afresh each time its step fails
        f.output = null;
      }
      run.summary = "failed: " + run.error + "; running fallback " + step.onFailure().get(0);
      return;
    }
    if (step.background()) {
      // A notification never stalls the recovery: it is recorded, and a human hears of it another
      // way.
      run.move(Transition.FAIL);
      run.endedMillis = now;
      run.summary = "notification not delivered: " + run.error;
      escalate(
          state,
          "notification '" + step.id() + "' was not delivered; the incident goes on: " + run.error,
          step.id(),
          now);
      return;
    }
    boolean rejected = "ApprovalRejected".equals(run.errorType);
    boolean intervene =
        step.onExhausted() == OnExhausted.INTERVENE
            && kinds.of(step.kind()).operatorMayRetry()
            && !rejected;
    String owner = index.fallbackOf.get(step.id());
    boolean handsOver = owner != null && state.steps.get(owner).status == StepStatus.RECOVERING;
    if (handsOver && intervene && !step.continueOnError()) {
      // The operator's gate belongs on the step the fallback backs up: a retry there runs the
      // real recovery again (and its fallbacks, if it fails again), not the fallback alone.
      run.move(Transition.FAIL);
      run.endedMillis = now;
      run.summary = "failed: " + run.error + "; '" + owner + "' goes to an operator";
    } else if (step.continueOnError()) {
      run.move(Transition.FAIL);
      run.endedMillis = now;
      run.summary = "failed (continuing): " + run.error;
    } else if (intervene) {
      run.move(Transition.ESCALATE);
      run.summary = "needs an operator: " + run.error;
      escalate(
          state,
          "step '"
              + step.id()
              + "' failed and waits for an operator (retry, skip or abort): "
              + run.error,
          step.id(),
          now);
    } else {
      run.move(Transition.FAIL);
      run.endedMillis = now;
      run.summary = "failed: " + run.error;
      if (state.failure == null) {
        state.failure = "step '" + step.id() + "' failed: " + run.error;
      }
    }
  }

  /** An approval's wait ran out. */
  void approvalTimedOut(IncidentState state, String stepId, int attempt, long now) {
    StepRun run = state.steps.get(stepId);
    if (run.status != StepStatus.WAITING_APPROVAL || run.attempts != attempt) {
      return;
    }
    PlanStep step = index.step(stepId);
    String onTimeout = step.with().path("onTimeout").asText("fail");
    ObjectNode output = JsonNodeFactory.instance.objectNode().put("decision", "timedOut");
    switch (onTimeout) {
      case "skip" -> {
        run.move(Transition.SKIP);
        run.output = output;
        run.endedMillis = now;
        run.summary = "skipped: nobody decided within " + step.timeout();
      }
      case "continue" -> {
        run.move(Transition.SUCCEED);
        run.output = output;
        run.endedMillis = now;
        run.summary = "continued: nobody decided within " + step.timeout();
      }
      default -> {
        run.output = output;
        failed(state, stepId, "ApprovalTimedOut", "nobody decided within " + step.timeout(), now);
      }
    }
  }

  /** Records an escalation and asks the workflow to send it. */
  void escalate(IncidentState state, String reason, String step, long now) {
    recordEscalation(state, reason, step, now);
    lifecycle.escalation(state, reason, step);
  }

  void recordEscalation(IncidentState state, String reason, String step, long now) {
    note(state, "escalation: " + reason, now);
    state.pendingEscalations.add(new String[] {reason, step});
  }

  /** Records an escalation or a refused command in the incident's notes. */
  void note(IncidentState state, String text, long now) {
    state.notes.add(Timestamps.ofMillis(now) + " " + text);
  }
}
