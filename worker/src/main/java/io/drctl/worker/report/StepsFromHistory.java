package io.drctl.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.Redaction;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of an incident: the plan's steps in plan order, each with the activities the history
 * holds for it, matched by the title the workflow gave each activity as its summary (and by action
 * where titles repeat). State, times, output and error come from the workflow's own report once it
 * ended; while it runs, from the events. Activities the plan does not name (the escalations) follow
 * the plan's steps.
 */
final class StepsFromHistory {
  /**
   * A timer by its summary: when it started, and when it fired or was cancelled (null while it
   * runs).
   */
  record Timer(String startedAt, String endedAt, boolean fired) {}

  private final IncidentReport report;
  private final boolean ended;
  private final Map<String, Timer> timers;
  private final List<IncidentRecord.OperatorAction> actions;
  private final Map<String, PlanStep> steps = new LinkedHashMap<>();
  private final Map<String, String> paths = new LinkedHashMap<>();
  private final Map<String, List<ActivityRun>> runs = new LinkedHashMap<>();
  private final List<ActivityRun> unmatched = new ArrayList<>();

  /**
   * @param report the workflow's own report, or null while it runs or when it ended without one
   * @param ended whether the workflow has closed: then nothing of it still runs or waits
   */
  StepsFromHistory(
      Plan plan,
      IncidentReport report,
      boolean ended,
      Map<Long, ActivityRun> activities,
      Map<String, Timer> timers,
      List<IncidentRecord.OperatorAction> actions) {
    this.report = report;
    this.ended = ended;
    this.timers = timers;
    this.actions = actions;
    flatten(plan.steps(), "");
    steps.keySet().forEach(id -> runs.put(id, new ArrayList<>()));
    activities.values().forEach(this::match);
  }

  private void flatten(List<PlanStep> list, String path) {
    for (PlanStep step : list) {
      steps.put(step.id(), step);
      paths.put(step.id(), path);
      if (step.branches() != null) {
        for (PlanStep.PlanBranch branch : step.branches()) {
          flatten(
              branch.steps(), (path.isEmpty() ? "" : path + "/") + step.id() + "/" + branch.name());
        }
      }
    }
  }

  private void match(ActivityRun run) {
    if (run.stepId != null && runs.containsKey(run.stepId)) {
      runs.get(run.stepId).add(run);
      return;
    }
    PlanStep best = null;
    for (PlanStep step : steps.values()) {
      if (step.title() != null && step.title().equals(run.summary)) {
        boolean sameAction =
            run.type.equals(step.action()) || run.type.equals(step.with().path("action").asText());
        if (best == null || sameAction && !run.type.equals(best.action())) {
          best = step;
        }
      }
    }
    if (best == null) {
      unmatched.add(run);
    } else {
      runs.get(best.id()).add(run);
    }
  }

  List<IncidentRecord.Step> steps() {
    Map<String, IncidentReport.StepReport> reported = new LinkedHashMap<>();
    if (report != null && report.steps() != null) {
      report.steps().forEach(step -> reported.put(step.id(), step));
    }
    List<IncidentRecord.Step> result = new ArrayList<>();
    for (PlanStep step : steps.values()) {
      result.add(step(step, reported.get(step.id()), runs.get(step.id())));
    }
    for (ActivityRun run : unmatched) {
      result.add(
          new IncidentRecord.Step(
              run.type,
              run.summary,
              run.type,
              "(outside the plan)",
              run.open() ? "running" : run.outcome,
              run.scheduledAt,
              run.endedAt,
              millisBetween(run.scheduledAt, run.endedAt),
              Redaction.redact(run.input),
              Redaction.redact(run.result),
              run.error,
              run.attempts(1)));
    }
    return result;
  }

  private IncidentRecord.Step step(
      PlanStep step, IncidentReport.StepReport reported, List<ActivityRun> activities) {
    List<IncidentRecord.Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < activities.size(); i++) {
      attempts.addAll(activities.get(i).attempts(i + 1));
    }
    ActivityRun last = activities.isEmpty() ? null : activities.get(activities.size() - 1);
    JsonNode input = last == null ? null : Redaction.redact(last.input);
    if (reported != null) {
      return new IncidentRecord.Step(
          step.id(),
          step.title(),
          step.action(),
          paths.get(step.id()),
          reported.status(),
          reported.startedAt(),
          reported.endedAt(),
          reported.durationMillis(),
          input,
          reported.output(),
          reported.error(),
          attempts);
    }
    Timer timing = timing(step, activities);
    String status = status(step, last);
    if (ended && List.of("running", "waiting-approval").contains(status)) {
      status = "cancelled"; // the workflow was cancelled or terminated under it
    }
    return new IncidentRecord.Step(
        step.id(),
        step.title(),
        step.action(),
        paths.get(step.id()),
        status,
        timing.startedAt(),
        timing.endedAt(),
        millisBetween(timing.startedAt(), timing.endedAt()),
        input,
        last == null ? null : Redaction.redact(last.result),
        last == null ? null : last.error,
        attempts);
  }

  /** While the incident runs: the state the events show. */
  private String status(PlanStep step, ActivityRun last) {
    if (last != null) {
      return last.open() ? "running" : last.outcome;
    }
    if (step.kind() == ActionKind.APPROVAL) {
      Timer deadline = timers.get("Approval deadline: " + step.title());
      if (deadline != null && deadline.endedAt() == null) {
        return "waiting-approval";
      }
      if (decided(step, IncidentWorkflows.REJECT)) {
        return "failed";
      }
      if (decided(step, IncidentWorkflows.APPROVE)) {
        return "succeeded";
      }
      if (deadline != null) {
        return deadline.fired() ? "timed-out" : "cancelled";
      }
    }
    Timer timer = step.kind() == ActionKind.SLEEP ? timers.get(step.title()) : null;
    if (timer != null) {
      return timer.endedAt() == null ? "running" : timer.fired() ? "succeeded" : "cancelled";
    }
    return "pending";
  }

  /** Whether an operator's command of this name, not refused, names this step (or no step). */
  private boolean decided(PlanStep step, String command) {
    return actions.stream()
        .anyMatch(
            action ->
                command.equals(action.command())
                    && !Boolean.FALSE.equals(action.accepted())
                    && (action.step() == null || action.step().equals(step.id())));
  }

  /**
   * From the first activity's scheduling to the last one's end; for built-ins, the step's timer.
   */
  private Timer timing(PlanStep step, List<ActivityRun> activities) {
    if (!activities.isEmpty()) {
      return new Timer(
          activities.get(0).scheduledAt, activities.get(activities.size() - 1).endedAt, false);
    }
    Timer timer =
        timers.get(
            step.kind() == ActionKind.APPROVAL
                ? "Approval deadline: " + step.title()
                : step.title());
    return timer == null ? new Timer(null, null, false) : timer;
  }

  private static Long millisBetween(String from, String to) {
    return from == null || to == null
        ? null
        : Instant.parse(to).toEpochMilli() - Instant.parse(from).toEpochMilli();
  }
}
