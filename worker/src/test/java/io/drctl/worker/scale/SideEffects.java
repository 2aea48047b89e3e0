package io.drctl.worker.scale;

import io.drctl.worker.report.IncidentRecord;
import io.drctl.workflow.IncidentReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the side-effect files say against what the incidents' reports say. Each attempt of a step
 * appends one line to {@code effects/INCIDENT_ID/STEP_ID}; {@code drctl report} (an {@link
 * IncidentRecord}, built from the history) lists every attempt of the step, the ones retried first.
 * So a step that ran once has one line, and a step ran again only as a retry the report lists:
 * never more lines than listed attempts (an attempt lost before its line was written leaves none;
 * one whose completion was lost with its worker leaves one, and is listed as retried).
 *
 * @param effects the directory of the side-effect files
 */
record SideEffects(Path effects) {
  /**
   * One step the report lists with more than one attempt, how often it ran, and why the first
   * attempt was retried.
   */
  record Retry(String incident, String step, int attempts, int runs, String retriedBecause) {}

  /**
   * Every way the results, reports and files disagree with "every step succeeded, and ran again
   * only when retried".
   */
  List<String> problems(
      Map<String, IncidentReport> results,
      Map<String, IncidentRecord> reports,
      int stepsPerIncident) {
    List<String> problems = new ArrayList<>();
    results.forEach(
        (id, result) -> {
          if (!"succeeded".equals(result.outcome())) {
            problems.add(id + ": " + result.outcome() + " (" + result.failure() + ")");
          }
        });
    reports.forEach(
        (id, report) -> {
          if (report.steps().size() != stepsPerIncident) {
            problems.add(
                id
                    + ": "
                    + report.steps().size()
                    + " steps in the report, expected "
                    + stepsPerIncident);
          }
          for (IncidentRecord.Step step : report.steps()) {
            int runs = runs(id, step.id());
            if (!"succeeded".equals(step.status())) {
              problems.add(id + "/" + step.id() + ": " + step.status() + " (" + step.error() + ")");
            }
            if (runs == 0) {
              problems.add(
                  id
                      + "/"
                      + step.id()
                      + ": reported "
                      + step.status()
                      + " but its side effect never happened");
            }
            long retried =
                step.attempts().stream()
                    .filter(attempt -> "retried".equals(attempt.outcome()))
                    .count();
            if (runs > step.attempts().size() || step.attempts().size() != retried + 1) {
              problems.add(
                  id
                      + "/"
                      + step.id()
                      + ": ran "
                      + runs
                      + " times but the report lists "
                      + step.attempts()
                      + ": a completed step ran again, or a retry is missing from the report");
            }
          }
        });
    return problems;
  }

  /** The steps the reports list with more than one attempt, with how often each ran. */
  List<Retry> retries(Map<String, IncidentRecord> reports) {
    List<Retry> retries = new ArrayList<>();
    reports.forEach(
        (id, report) ->
            report.steps().stream()
                .filter(step -> step.attempts().size() > 1)
                .forEach(
                    step ->
                        retries.add(
                            new Retry(
                                id,
                                step.id(),
                                step.attempts().size(),
                                runs(id, step.id()),
                                step.attempts().get(step.attempts().size() - 2).error()))));
    return retries;
  }

  /** How many lines the step's side-effect file has: how many of its attempts ran. */
  int runs(String incident, String step) {
    String text = ScaleCluster.read(effects.resolve(incident).resolve(step));
    return text.isEmpty() ? 0 : text.split("\n").length;
  }
}
