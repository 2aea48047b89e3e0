package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.alerts.Alert;
import io.drctl.interpreter.StepLifecycle.Transition;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.steps.StepKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Plan} as a pure state machine: {@code (plan, state, event) -> next decisions}.
 *
 * <p>It never does I/O and never reads a clock: the caller passes the time. The workflow feeds it
 * events (a step finished, an operator command) and carries out the {@link Decision}s it returns
 * (start a step, cancel running ones, finish). The same code serves tests, replay and dry runs.
 */
public final class Interpreter {
  private final Plan plan;
  private final PlanIndex index;
  private final Evaluator evaluator;
  private final OperatorCommands commands;
  private final LifecycleEvents lifecycle;
  private final StepKinds kinds = StepKinds.standard();
  private final StepEnds ends;

  public Interpreter(Plan plan) {
    this.plan = plan;
    this.index = new PlanIndex(plan);
    this.evaluator = new Evaluator(plan, index.steps.keySet());
    this.lifecycle = new LifecycleEvents(plan);
    this.ends = new StepEnds(index, lifecycle, kinds);
    this.commands = new OperatorCommands(index, ends::failed);
  }

  public Plan plan() {
    return plan;
  }

  /** A new incident's state: every step pending. {@code inputs} must already be resolved. */
  public IncidentState start(String incidentId, String startedBy, long nowMillis, JsonNode inputs) {
    return new IncidentState(incidentId, startedBy, nowMillis, inputs, index.steps.keySet());
  }

  /** What the workflow must do next. */
  public sealed interface Decision {
    /** Start a step; {@code with} has its expressions evaluated. */
    record Start(PlanStep step, JsonNode with, int attempt) implements Decision {}

    /** Cancel the steps that run (an abort, or a failure with others still running). */
    record Cancel(List<String> steps) implements Decision {}

    /** Reach a human: run the plan's escalation, if it has one. {@code step} may be null. */
    record Escalate(String reason, String step) implements Decision {}

    /**
     * Tell the channels of the runbook's notifications that wait for {@code event}; {@code
     * severity} is notify.send's, {@code step} the step it is about or null.
     */
    record Notify(String event, String severity, String message, String step) implements Decision {}

    /** The incident is over; see {@link IncidentState#outcome()}. */
    record Finish(Outcome outcome) implements Decision {}
  }

  /**
   * Advances the incident as far as it can without waiting: skips steps whose condition is false,
   * completes parallel steps and fallback chains, and returns the steps to start.
   */
  public List<Decision> next(IncidentState state, long nowMillis) {
    List<Decision> decisions = new ArrayList<>();
    if (state.outcome != null) {
      return withNotices(state, decisions);
    }
    if (state.aborted || state.failure != null) {
      return withNotices(state, new ArrayList<>(wind(state, nowMillis)));
    }
    decisions.addAll(advance(state, nowMillis));
    state.pendingEscalations.forEach(e -> decisions.add(0, new Decision.Escalate(e[0], e[1])));
    state.pendingEscalations.clear();
    return withNotices(state, decisions);
  }

  /** Hands over the lifecycle notifications decided so far, before a Finish. */
  private static List<Decision> withNotices(IncidentState state, List<Decision> decisions) {
    if (!state.pendingNotices.isEmpty()) {
      int at =
          !decisions.isEmpty() && decisions.get(decisions.size() - 1) instanceof Decision.Finish
              ? decisions.size() - 1
              : decisions.size();
      decisions.addAll(at, state.pendingNotices);
      state.pendingNotices.clear();
    }
    return decisions;
  }

  /**
   * Turns on the runbook's lifecycle notifications for this incident (a no-op for a plan without
   * them) and decides the {@code started} one. The workflow calls it once, right after {@link
   * #start} and {@link #triggeredBy}, for a top-level incident only.
   */
  public void announce(IncidentState state, String reason) {
    lifecycle.enable(state);
    lifecycle.started(state, reason);
  }

  /**
   * The RTO warning share of the budget is gone and the incident still runs: escalates, and tells
   * the channels that wait for {@code rtoWarning}.
   */
  public void rtoWarning(IncidentState state, long now) {
    if (state.outcome != null) {
      return;
    }
    ends.recordEscalation(
        state,
        plan.notifications().rtoWarningPercent()
            + "% of the RTO ("
            + plan.objectives().rto()
            + ") is used and the incident still runs",
        null,
        now);
    lifecycle.rtoWarning(state, now);
  }

  /** The periodic status update, while the incident runs. */
  public void statusUpdate(IncidentState state, long now) {
    if (state.outcome == null) {
      lifecycle.status(state, waitingFor(state), now);
    }
  }

  /** A lifecycle notification could not be delivered: it goes into the notes and the report. */
  public void undelivered(
      IncidentState state, String event, String channel, String error, long now) {
    state.undeliveredNotices.add(new String[] {event, channel, error});
    ends.note(
        state,
        "notification '" + event + "' to '" + channel + "' was not delivered: " + error,
        now);
  }

  private List<Decision> advance(IncidentState state, long nowMillis) {
    List<Decision> decisions = new ArrayList<>();
    boolean changed = true;
    while (changed && state.failure == null) {
      changed = false;
      for (PlanStep step : index.steps.values()) {
        StepRun run = state.steps.get(step.id());
        switch (run.status) {
          case PENDING -> {
            if (!state.paused && ready(step, state)) {
              changed = true;
              begin(step, run, state, nowMillis, decisions);
            }
          }
          case RUNNING -> {
            if (kinds.of(step.kind()).hasBranches()) {
              changed |= ends.completeParallel(step, run, state, nowMillis);
            }
          }
          case RECOVERING -> changed |= ends.advanceFallbacks(step, run, state, nowMillis);
          default -> {}
        }
      }
    }
    if (state.failure != null) {
      return wind(state, nowMillis);
    }
    if (index.top.stream()
        .allMatch(id -> state.steps.get(id).status.isTerminal() || ends.isUnreachable(id, state))) {
      // A fallback whose step succeeded, or a step after one that ended without letting it run,
      // can never start: it is skipped, so that the incident ends instead of waiting for it.
      for (String id : index.top) {
        StepRun run = state.steps.get(id);
        if (run.status == StepStatus.PENDING) {
          String owner = index.fallbackOf.get(id);
          run.move(Transition.SKIP);
          run.summary =
              owner != null
                  ? "skipped: not needed, '" + owner + "' did not fail"
                  : "skipped: a step it needs did not succeed";
          run.endedMillis = nowMillis;
        }
      }
      // A fallback's own outcome shows in the step it backs up (recovered, or retried by an
      // operator).
      boolean ok =
          index.top.stream()
              .filter(id -> !index.fallbackOf.containsKey(id))
              .allMatch(id -> ends.lets(state, id));
      if (!ok && state.failure == null) {
        state.failure = "a step failed";
      }
      finish(state, ok ? Outcome.SUCCEEDED : Outcome.FAILED, nowMillis);
      decisions.add(new Decision.Finish(state.outcome));
    }
    return decisions;
  }

  private boolean ready(PlanStep step, IncidentState state) {
    String backed = index.fallbackOf.get(step.id());
    if (backed != null) {
      StepRun owner = state.steps.get(backed);
      PlanStep ownerStep = index.step(backed);
      if (owner.status != StepStatus.RECOVERING
          || !ownerStep.onFailure().get(owner.fallbackIndex).equals(step.id())) {
        return false;
      }
    }
    String parent = index.parent.get(step.id());
    if (parent != null && state.steps.get(parent).status != StepStatus.RUNNING) {
      return false;
    }
    for (String need : step.needs()) {
      if (!ends.lets(state, need)) {
        return false;
      }
    }
    return true;
  }

  private void begin(
      PlanStep step, StepRun run, IncidentState state, long now, List<Decision> decisions) {
    JsonNode with;
    try {
      if (step.condition() != null && !evaluator.condition(step.condition(), state, null)) {
        run.move(Transition.SKIP);
        run.summary = "skipped: condition is false";
        run.endedMillis = now;
        return;
      }
      with = evaluator.templates(step.with(), state);
    } catch (ExpressionException e) {
      run.attempts++;
      run.startedMillis = now;
      run.move(Transition.START);
      ends.failed(state, step.id(), "ExpressionError", e.getMessage(), now);
      return;
    }
    run.attempts++;
    run.startedMillis = now;
    run.endedMillis = 0;
    run.error = null;
    run.errorType = null;
    kinds
        .of(step.kind())
        .begin(new StepBegin(lifecycle, ends, step, run, with, state, now, decisions));
  }

  /** A step finished well. Stale completions (the step no longer runs) are ignored. */
  public void succeeded(IncidentState state, String stepId, JsonNode output, long now) {
    StepRun run = state.steps.get(stepId);
    if (run.status != StepStatus.RUNNING) {
      return;
    }
    run.move(Transition.SUCCEED);
    run.output = output == null ? JsonNodeFactory.instance.objectNode() : output;
    run.endedMillis = now;
    run.summary = Summaries.of(run.output);
    PlanStep step = index.step(stepId);
    if (step.destructive()) {
      lifecycle.acknowledged(state, "step '" + stepId + "' (" + step.title() + ") succeeded");
    }
  }

  /** A running step was cancelled (abort, fail-fast). */
  public void cancelled(IncidentState state, String stepId, long now) {
    StepRun run = state.steps.get(stepId);
    if (!run.status.isTerminal() && StepLifecycle.allows(run.status, Transition.CANCEL)) {
      run.move(Transition.CANCEL);
      run.endedMillis = now;
      run.summary = "cancelled";
    }
  }

  /**
   * Checks an operator command and, when {@code apply} is true, carries it out. The same check
   * serves update validators (apply false) and the handlers.
   */
  public CommandResult command(
      IncidentState state, Command name, OperatorCommand command, long now, boolean apply) {
    CommandResult result = commands.handle(state, name, command, now, apply);
    if (apply && result.accepted()) {
      lifecycle.acknowledged(
          state, name + (command == null || command.by() == null ? "" : " by " + command.by()));
    }
    return result;
  }

  /** Winds down after an abort or a failure: cancel what runs, then finish. */
  private List<Decision> wind(IncidentState state, long now) {
    List<String> running = new ArrayList<>();
    for (StepRun run : state.steps.values()) {
      PlanStep step = index.step(run.id);
      if (run.status == StepStatus.RUNNING && !kinds.of(step.kind()).hasBranches()) {
        running.add(run.id);
      } else if (!run.status.isTerminal()) {
        run.move(Transition.CANCEL);
        run.endedMillis = now;
      }
    }
    if (!running.isEmpty()) {
      return List.of(new Decision.Cancel(running));
    }
    finish(state, state.aborted ? Outcome.ABORTED : Outcome.FAILED, now);
    return List.of(new Decision.Finish(state.outcome));
  }

  private void finish(IncidentState state, Outcome outcome, long now) {
    state.outcome = outcome;
    state.endedMillis = now;
    lifecycle.resolved(state);
  }

  /** What the incident waits for, in words, or null when it is simply running. */
  public String waitingFor(IncidentState state) {
    List<String> waits = new ArrayList<>();
    for (StepRun run : state.steps.values()) {
      if (run.status == StepStatus.WAITING_APPROVAL) {
        waits.add("approval of '" + run.id + "'");
      } else if (run.status == StepStatus.WAITING_OPERATOR) {
        waits.add("an operator to retry, skip or abort '" + run.id + "'");
      }
    }
    if (state.paused) {
      waits.add(0, "resume (paused)");
    }
    return waits.isEmpty() ? null : String.join("; ", waits);
  }

  /** The escalation's parameters, evaluated for this reason and step. */
  public JsonNode escalationInput(IncidentState state, String reason, String step)
      throws ExpressionException {
    return evaluator.templates(plan.escalation().with(), state, reason, step);
  }

  /** Records that {@code alert} started the incident. */
  public void triggeredBy(IncidentState state, Alert alert) {
    state.alerts.trigger(alert);
  }

  /**
   * Records an alert about the incident's problem, firing or resolved. It changes no step: the
   * recovery goes on as planned, and operators see the alerts in progress and report.
   */
  public void alert(IncidentState state, Alert alert, long now) {
    state.alerts.record(alert, now);
  }

  /** The branch path of a step ("" at the top level). */
  public String path(String stepId) {
    return index.path.get(stepId);
  }

  public PlanStep step(String stepId) {
    return index.step(stepId);
  }

  /** Evaluates a waitUntil condition over the polled action's result. */
  public boolean holds(String condition, IncidentState state, JsonNode result)
      throws ExpressionException {
    return evaluator.condition(condition, state, result);
  }

  /**
   * A step failed for good: its retries are used up, its approval was rejected or timed out, or an
   * expression could not be evaluated. Runs fallbacks, continues, asks the operator, or fails the
   * incident, in that order of preference. A background notification only ends failed and is
   * escalated: it never waits for an operator and never fails the incident.
   */
  public void failed(
      IncidentState state, String stepId, String errorType, String message, long now) {
    ends.failed(state, stepId, errorType, message, now);
  }

  /** An approval's wait ran out. */
  public void approvalTimedOut(IncidentState state, String stepId, int attempt, long now) {
    ends.approvalTimedOut(state, stepId, attempt, now);
  }

  /** Records an escalation and asks the workflow to send it. */
  public void escalate(IncidentState state, String reason, String step, long now) {
    ends.escalate(state, reason, step, now);
  }

  /** Records an escalation or a refused command in the incident's notes. */
  public void note(IncidentState state, String text, long now) {
    ends.note(state, text, now);
  }
}
