package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.interpreter.StepLifecycle.Transition;
import io.drctl.plan.PlanStep;
import io.drctl.steps.StepStart;
import java.util.List;

/** {@link StepStart} over one step of an incident, as its kind begins it. Lives for one start. */
final class StepBegin implements StepStart {
  private final LifecycleEvents lifecycle;
  private final StepEnds ends;
  private final PlanStep step;
  private final StepRun run;
  private final JsonNode with;
  private final IncidentState state;
  private final long now;
  private final List<Decision> decisions;

  StepBegin(
      LifecycleEvents lifecycle,
      StepEnds ends,
      PlanStep step,
      StepRun run,
      JsonNode with,
      IncidentState state,
      long now,
      List<Decision> decisions) {
    this.lifecycle = lifecycle;
    this.ends = ends;
    this.step = step;
    this.run = run;
    this.with = with;
    this.state = state;
    this.now = now;
    this.decisions = decisions;
  }

  @Override
  public JsonNode with() {
    return with;
  }

  @Override
  public void run() {
    run.move(Transition.START);
    decisions.add(new Decision.Start(step, with, run.attempts));
  }

  @Override
  public void runBranches() {
    run.move(Transition.START);
  }

  @Override
  public void awaitApproval(String prompt) {
    run.move(Transition.AWAIT_APPROVAL);
    run.approvedBy.clear();
    run.summary = prompt;
    decisions.add(new Decision.Start(step, with, run.attempts));
    lifecycle.approvalRequested(state, step, run.summary);
  }

  @Override
  public void fail(String errorType, String message) {
    run.move(Transition.START);
    ends.failed(state, step.id(), errorType, message, now);
  }
}
