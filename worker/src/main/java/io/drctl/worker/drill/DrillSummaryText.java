package io.drctl.worker.drill;

import java.util.List;
import java.util.Locale;

/** The end of a drill's output: the measured SLA table, or the simulation's predictions. */
public final class DrillSummaryText {
  private DrillSummaryText() {}

  /** The SLA table with a heading naming the machine and a closing verdict. */
  public static String table(DrillReportFiles.Summary summary) {
    long met =
        summary.results().stream()
            .filter(result -> result.status().equals(ScenarioResult.MET))
            .count();
    long skipped =
        summary.results().stream()
            .filter(result -> result.status().equals(ScenarioResult.SKIPPED))
            .count();
    return "SLA table, measured on "
        + summary.machine()
        + " ("
        + summary.server()
        + "):\n\n"
        + SlaTable.text(summary.results())
        + "\n"
        + met
        + " met, "
        + skipped
        + " skipped, "
        + (summary.results().size() - met - skipped)
        + " failed or missed an objective\n";
  }

  /**
   * One line per simulated scenario: predicted RTO, its range, the objective and where the figures
   * come from.
   */
  public static String predictions(List<DrillSimulation.Prediction> predictions) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-28s %-28s %6s %10s %23s %8s  %s%n",
                "SCENARIO",
                "INCIDENT",
                "STEPS",
                "PREDICTED",
                "RANGE",
                "RTO",
                "FROM"));
    for (DrillSimulation.Prediction prediction : predictions) {
      StepPrediction steps = prediction.steps();
      text.append(
          String.format(
              Locale.ROOT,
              "%-28s %-28s %6d %10s %23s %8s  %s%n",
              prediction.scenario().key(),
              prediction.scenario().incident(),
              steps.steps().size(),
              DrillSimulation.millis(steps.predictedMillis()),
              DrillSimulation.millis(steps.minMillis())
                  + " – "
                  + DrillSimulation.millis(steps.maxMillis()),
              DrillSimulation.millis(prediction.rtoObjectiveMillis()),
              steps.measured()
                  ? "earlier drills' measured steps"
                  : "step timeouts where never measured"));
    }
    return text.toString();
  }
}
