package io.drctl.workflow;

import io.drctl.interpreter.IncidentState;
import io.drctl.interpreter.Interpreter;
import io.drctl.interpreter.Outcome;
import io.drctl.interpreter.Progress;
import io.drctl.interpreter.Redaction;
import io.drctl.interpreter.StepRun;
import io.drctl.interpreter.StepStatus;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.plan.Timestamps;
import java.util.ArrayList;
import java.util.List;

/** Builds the progress view, the markdown details and the final report from the run state. */
final class Reports {
  private Reports() {}

  static Progress progress(Interpreter interpreter, IncidentState state, long now) {
    Plan plan = interpreter.plan();
    List<Progress.StepProgress> steps = new ArrayList<>();
    for (StepRun run : state.steps().values()) {
      var step = interpreter.step(run.id());
      steps.add(
          new Progress.StepProgress(
              run.id(),
              step.title(),
              step.action(),
              interpreter.path(run.id()),
              run.status().json(),
              run.attempts(),
              time(run.startedMillis()),
              time(run.endedMillis()),
              run.error(),
              run.summary()));
    }
    long end = state.outcome() == null ? now : state.endedMillis();
    return new Progress(
        state.incidentId(),
        plan.type(),
        plan.title(),
        status(interpreter, state),
        time(state.startedMillis()),
        state.startedBy(),
        (end - state.startedMillis()) / 1000,
        Durations.parse(plan.objectives().rto()).toSeconds(),
        interpreter.waitingFor(state),
        steps,
        state.decisions(),
        state.alerts().trigger(),
        state.alerts().summary());
  }

  private static String status(Interpreter interpreter, IncidentState state) {
    if (state.outcome() != null) {
      return state.outcome().json();
    }
    if (state.paused()) {
      return "paused";
    }
    return interpreter.waitingFor(state) != null ? "waiting" : "running";
  }

  static IncidentReport of(Plan plan, IncidentState state, Interpreter interpreter) {
    List<IncidentReport.StepReport> steps = new ArrayList<>();
    List<IncidentReport.UndeliveredNotification> undelivered = new ArrayList<>();
    for (StepRun run : state.steps().values()) {
      var step = interpreter.step(run.id());
      if (step.background() && run.status() == StepStatus.FAILED) {
        undelivered.add(
            new IncidentReport.UndeliveredNotification(run.id(), step.title(), run.error()));
      }
      Long duration =
          run.startedMillis() > 0 && run.endedMillis() >= run.startedMillis()
              ? run.endedMillis() - run.startedMillis()
              : null;
      steps.add(
          new IncidentReport.StepReport(
              run.id(),
              step.title(),
              step.action(),
              interpreter.path(run.id()),
              run.status().json(),
              run.attempts(),
              time(run.startedMillis()),
              time(run.endedMillis()),
              duration,
              Redaction.redact(run.output()),
              run.error()));
    }
    for (String[] notice : state.undeliveredNotices()) {
      undelivered.add(
          new IncidentReport.UndeliveredNotification(
              notice[0],
              "lifecycle notification '" + notice[0] + "' to '" + notice[1] + "'",
              notice[2]));
    }
    long detected = detectedMillis(state);
    long seconds = (state.endedMillis() - detected) / 1000;
    boolean rtoMet =
        state.outcome() == Outcome.SUCCEEDED
            && state.endedMillis() - detected
                <= Durations.parse(plan.objectives().rto()).toMillis();
    DataLoss loss = dataLoss(interpreter, state);
    Boolean rpoMet =
        loss == null || plan.objectives().rpo() == null
            ? null
            : loss.seconds() * 1000 <= Durations.parse(plan.objectives().rpo()).toMillis();
    return new IncidentReport(
        state.incidentId(),
        plan.type(),
        plan.title(),
        plan.severity(),
        plan.runbookVersion(),
        plan.hash(),
        state.startedBy(),
        Redaction.redact(state.inputs()),
        time(state.startedMillis()),
        time(state.endedMillis()),
        state.outcome().json(),
        state.failure(),
        plan.objectives().rto(),
        plan.objectives().rpo(),
        seconds,
        rtoMet,
        loss == null ? null : loss.seconds(),
        rpoMet,
        loss == null ? null : loss.step(),
        steps,
        state.decisions(),
        undelivered,
        state.notes(),
        state.alerts().trigger(),
        state.alerts().summary(),
        detected == state.startedMillis() ? null : time(detected));
  }

  /**
   * When the problem was detected, which the RTO counts from: the {@code startsAt} of the alert
   * that started the incident when it is earlier than the start, else the start itself.
   */
  static long detectedMillis(IncidentState state) {
    var trigger = state.alerts().trigger();
    return trigger == null
        ? state.startedMillis()
        : Math.min(state.startedMillis(), trigger.startsAtMillis(state.startedMillis()));
  }

  private record DataLoss(double seconds, String step) {}

  /**
   * The largest data loss a succeeded step measured ({@link
   * io.drctl.plan.PlanStep#dataLossOutput}), or null when no step measured one.
   */
  private static DataLoss dataLoss(Interpreter interpreter, IncidentState state) {
    DataLoss largest = null;
    for (StepRun run : state.steps().values()) {
      String field = interpreter.step(run.id()).dataLossOutput();
      if (field == null
          || run.status() != StepStatus.SUCCEEDED
          || run.output() == null
          || !run.output().path(field).isNumber()) {
        continue;
      }
      double seconds = run.output().path(field).asDouble();
      if (largest == null || seconds > largest.seconds()) {
        largest = new DataLoss(seconds, run.id());
      }
    }
    return largest;
  }

  /** The live markdown table the Temporal UI shows as the workflow's current details. */
  static String markdown(Interpreter interpreter, IncidentState state, long now) {
    Progress progress = progress(interpreter, state, now);
    StringBuilder out = new StringBuilder();
    out.append("**").append(progress.title()).append("** — ").append(progress.status());
    out.append(" · ")
        .append(progress.elapsedSeconds())
        .append("s of RTO ")
        .append(interpreter.plan().objectives().rto());
    if (progress.waiting() != null) {
      out.append("\n\nWaiting for ").append(progress.waiting());
    }
    out.append("\n\n| step | status | attempts | summary |\n|---|---|---|---|\n");
    for (Progress.StepProgress step : progress.steps()) {
      String name = (step.path().isEmpty() ? "" : step.path() + " / ") + step.title();
      out.append("| ")
          .append(cell(name))
          .append(" | ")
          .append(icon(step.status()))
          .append(' ')
          .append(step.status())
          .append(" | ")
          .append(step.attempts())
          .append(" | ")
          .append(cell(step.summary() == null ? "" : step.summary()))
          .append(" |\n");
    }
    appendAlerts(out, progress);
    List<String> notes = state.notes();
    if (!notes.isEmpty()) {
      out.append("\n");
      notes
          .subList(Math.max(0, notes.size() - 5), notes.size())
          .forEach(n -> out.append("- ").append(cell(n)).append('\n'));
    }
    return out.toString();
  }

  /** The trigger and the alert count, only for incidents that alerts concern. */
  private static void appendAlerts(StringBuilder out, Progress progress) {
    if (progress.trigger() != null) {
      out.append("\nStarted by alert ").append(cell(progress.trigger().describe())).append('\n');
    }
    if (progress.alerts() != null) {
      Progress.Alerts alerts = progress.alerts();
      out.append("\nAlerts: ")
          .append(alerts.received())
          .append(" received (")
          .append(alerts.firing())
          .append(" firing, ")
          .append(alerts.resolved())
          .append(" resolved), last at ")
          .append(alerts.lastAt())
          .append(": ")
          .append(cell(alerts.last().describe()))
          .append('\n');
    }
  }

  private static String icon(String status) {
    return switch (StepStatus.valueOf(status.toUpperCase().replace('-', '_'))) {
      case SUCCEEDED, RECOVERED -> "✅";
      case RUNNING, RECOVERING -> "⏳";
      case WAITING_APPROVAL, WAITING_OPERATOR -> "✋";
      case FAILED -> "❌";
      case SKIPPED, CANCELLED -> "⏭";
      case PENDING -> "·";
    };
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static String time(long millis) {
    return Timestamps.ofMillis(millis);
  }
}
