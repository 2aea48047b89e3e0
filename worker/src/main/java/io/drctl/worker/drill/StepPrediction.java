package io.drctl.worker.drill;

import io.drctl.catalog.ActionKind;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.workflow.IncidentReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How long a simulated incident would take for real: for each step the simulation ran, the median
 * of its measured durations in earlier drills, else its timeout (an upper bound). Approval gates
 * count nothing with {@code --auto-approve}, up to their timeout waiting for a person.
 *
 * @param steps one per step that ran, in the order the report lists them
 * @param predictedMillis the sum of the steps' predictions (steps in parallel are added, so an
 *     upper bound)
 */
record StepPrediction(List<Step> steps, long predictedMillis, long minMillis, long maxMillis) {

  /** One step's prediction and where it comes from. */
  record Step(
      String id,
      String action,
      String status,
      long predictedMillis,
      long minMillis,
      long maxMillis,
      String basis) {}

  static StepPrediction of(Plan plan, IncidentReport report, StepDurations history) {
    List<Step> steps = new ArrayList<>();
    long predicted = 0;
    long min = 0;
    long max = 0;
    for (IncidentReport.StepReport ran : report.steps()) {
      if (ran.startedAt() == null) {
        continue;
      }
      Optional<PlanStep> planned = find(plan.steps(), ran.id());
      long timeout =
          planned
              .map(PlanStep::timeout)
              .filter(Durations::isValid)
              .map(text -> Durations.parse(text).toMillis())
              .orElse(0L);
      Step step;
      Optional<StepDurations.Range> measured = history.range(report.type(), ran.id());
      if (planned.isPresent() && planned.get().kind() == ActionKind.APPROVAL) {
        step =
            new Step(
                ran.id(),
                ran.action(),
                ran.status(),
                0,
                0,
                timeout,
                "approval: none with --auto-approve, up to its timeout waiting for a person");
      } else if (measured.isPresent()) {
        StepDurations.Range range = measured.get();
        step =
            new Step(
                ran.id(),
                ran.action(),
                ran.status(),
                range.median(),
                range.min(),
                range.max(),
                "median of "
                    + range.drills()
                    + " measured drill"
                    + (range.drills() == 1 ? "" : "s"));
      } else {
        step =
            new Step(
                ran.id(),
                ran.action(),
                ran.status(),
                timeout,
                0,
                timeout,
                "never measured: its timeout");
      }
      steps.add(step);
      predicted += step.predictedMillis();
      min += step.minMillis();
      max += step.maxMillis();
    }
    return new StepPrediction(steps, predicted, min, max);
  }

  /** Whether every step's prediction comes from measurements (or is an approval). */
  boolean measured() {
    return steps.stream().noneMatch(step -> step.basis().startsWith("never"));
  }

  private static Optional<PlanStep> find(List<PlanStep> steps, String id) {
    for (PlanStep step : steps) {
      if (step.id().equals(id)) {
        return Optional.of(step);
      }
      if (step.branches() != null) {
        for (PlanStep.PlanBranch branch : step.branches()) {
          Optional<PlanStep> inside = find(branch.steps(), id);
          if (inside.isPresent()) {
            return inside;
          }
        }
      }
    }
    return Optional.empty();
  }
}
