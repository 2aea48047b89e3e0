package io.drctl.worker.cli;

import io.drctl.alerts.Alert;
import io.drctl.interpreter.Progress;
import io.drctl.store.text.TextTable;
import io.drctl.worker.report.ReportText;
import io.drctl.workflow.IncidentReport;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prints an {@link IncidentSnapshot} for people: a header, the steps, the decisions. */
final class IncidentPrinter {
  private IncidentPrinter() {}

  static void print(IncidentSnapshot snapshot, PrintWriter out) {
    var description = snapshot.description();
    Progress progress = snapshot.progress();
    IncidentReport report = snapshot.report();
    String temporalStatus = Statuses.name(snapshot.status());
    String title =
        progress != null
            ? progress.title()
            : report != null ? report.title() : description.getStaticSummary();
    out.println(
        "incident  "
            + description.getExecution().getWorkflowId()
            + "  ("
            + description.getWorkflowType()
            + ", run "
            + description.getExecution().getRunId()
            + ")");
    if (title != null && !title.isEmpty()) {
      out.println("title     " + title);
    }
    if (progress != null) {
      out.println(
          "status    "
              + progress.status()
              + (progress.waiting() == null ? "" : " — " + progress.waiting())
              + "   (Temporal: "
              + temporalStatus
              + ")");
      out.println(
          "started   "
              + progress.startedAt()
              + (progress.startedBy() == null ? "" : " by " + progress.startedBy())
              + "; elapsed "
              + ReportText.duration(progress.elapsedSeconds())
              + " of RTO "
              + ReportText.duration(progress.rtoSeconds())
              + (progress.rtoSeconds() > 0
                  ? " (" + (100 * progress.elapsedSeconds() / progress.rtoSeconds()) + "%)"
                  : ""));
    } else if (report != null) {
      out.println(
          "outcome   "
              + snapshot.outcome()
              + "   (Temporal: "
              + temporalStatus
              + ")"
              + (report.failure() == null ? "" : " — " + report.failure()));
      out.println(
          "started   "
              + report.startedAt()
              + (report.startedBy() == null ? "" : " by " + report.startedBy())
              + "; ended "
              + report.endedAt()
              + " after "
              + ReportText.duration(report.durationSeconds())
              + "; RTO "
              + report.rtoObjective()
              + (report.rtoMet() ? " met" : " missed"));
      if (report.rpoActualSeconds() != null) {
        out.println(
            "data loss "
                + String.format(java.util.Locale.ROOT, "%.3f", report.rpoActualSeconds())
                + " s measured by step "
                + report.rpoMeasuredBy()
                + (report.rpoObjective() == null
                    ? ""
                    : "; RPO "
                        + report.rpoObjective()
                        + (Boolean.TRUE.equals(report.rpoMet()) ? " met" : " missed")));
      }
      out.println(
          "runbook   " + report.runbookVersion() + "   plan " + shortHash(report.planHash()));
    } else {
      out.println(
          "status    "
              + (snapshot.running() ? "running" : snapshot.outcome())
              + "   (Temporal: "
              + temporalStatus
              + ")");
      out.println(
          "started   "
              + utc(description.getStartTime())
              + (description.getCloseTime() == null
                  ? ""
                  : "; ended " + utc(description.getCloseTime())));
    }
    printAlerts(
        progress != null ? progress.trigger() : report != null ? report.trigger() : null,
        progress != null ? progress.alerts() : report != null ? report.alerts() : null,
        out);
    if (snapshot.note() != null) {
      out.println("note      " + snapshot.note());
    }
    out.println();
    if (progress != null && progress.steps() != null) {
      stepsTable(progress.steps(), snapshot.pendingActivities()).print(out);
    } else if (report != null && report.steps() != null) {
      reportTable(report.steps()).print(out);
    }
    List<Progress.Decision> decisions =
        progress != null ? progress.decisions() : report != null ? report.decisions() : null;
    if (decisions != null && !decisions.isEmpty()) {
      out.println();
      out.println("decisions");
      for (Progress.Decision d : decisions) {
        out.println(
            "  "
                + d.at()
                + "  "
                + d.command()
                + (d.step() == null ? "" : " " + d.step())
                + (d.by() == null ? "" : " by " + d.by())
                + (d.reason() == null ? "" : ": " + d.reason())
                + (d.comment() == null ? "" : " (" + d.comment() + ")"));
      }
    }
    out.flush();
  }

  /** What started the incident, when an alert did, and the alerts received since. */
  static void printAlerts(Alert trigger, Progress.Alerts alerts, PrintWriter out) {
    if (trigger != null) {
      out.println("trigger   alert " + trigger.describe());
    }
    if (alerts != null) {
      out.println(
          "alerts    "
              + alerts.received()
              + " received ("
              + alerts.firing()
              + " firing, "
              + alerts.resolved()
              + " resolved); last at "
              + alerts.lastAt()
              + ": "
              + alerts.last().describe());
      out.println(
          "          fingerprints "
              + String.join(", ", alerts.fingerprints())
              + (alerts.fingerprintsNotListed() == null
                  ? ""
                  : " and " + alerts.fingerprintsNotListed() + " more"));
    }
  }

  static TextTable stepsTable(
      List<Progress.StepProgress> steps, List<PendingActivityInfo> pending) {
    Map<Progress.StepProgress, PendingActivityInfo> activities = match(steps, pending);
    TextTable table = new TextTable("step", "action", "status", "tries", "detail");
    for (Progress.StepProgress step : steps) {
      PendingActivityInfo activity = activities.get(step);
      String detail =
          activity != null
              ? ActivityProgress.describe(activity)
              : step.lastError() != null && !step.status().equals("succeeded")
                  ? step.lastError()
                  : step.summary() == null ? "" : step.summary();
      table.row(
          indent(step.path()) + step.id(),
          nullToEmpty(step.action()),
          step.status(),
          step.attempts() == 0 ? "" : String.valueOf(step.attempts()),
          detail);
    }
    return table;
  }

  private static TextTable reportTable(List<IncidentReport.StepReport> steps) {
    TextTable table = new TextTable("step", "action", "status", "tries", "took", "detail");
    for (IncidentReport.StepReport step : steps) {
      table.row(
          indent(step.path()) + step.id(),
          nullToEmpty(step.action()),
          step.status(),
          step.attempts() == 0 ? "" : String.valueOf(step.attempts()),
          step.durationMillis() == null ? "" : ReportText.duration(step.durationMillis() / 1000),
          step.error() == null ? "" : step.error());
    }
    return table;
  }

  /**
   * Pairs running steps with pending activities: by activity id (the step id, or path/id), else by
   * activity type (the step's action), in order.
   */
  static Map<Progress.StepProgress, PendingActivityInfo> match(
      List<Progress.StepProgress> steps, List<PendingActivityInfo> pending) {
    Map<Progress.StepProgress, PendingActivityInfo> matched = new HashMap<>();
    List<PendingActivityInfo> left = new ArrayList<>(pending);
    List<Progress.StepProgress> running =
        steps.stream().filter(s -> "running".equals(s.status())).toList();
    for (Progress.StepProgress step : running) {
      String full =
          step.path() == null || step.path().isEmpty() ? step.id() : step.path() + "/" + step.id();
      left.stream()
          .filter(a -> a.getActivityId().equals(step.id()) || a.getActivityId().equals(full))
          .findFirst()
          .ifPresent(
              a -> {
                matched.put(step, a);
                left.remove(a);
              });
    }
    for (Progress.StepProgress step : running) {
      if (!matched.containsKey(step)) {
        left.stream()
            .filter(a -> a.getActivityType().getName().equals(step.action()))
            .findFirst()
            .ifPresent(
                a -> {
                  matched.put(step, a);
                  left.remove(a);
                });
      }
    }
    return matched;
  }

  static String utc(Instant instant) {
    return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String indent(String path) {
    return path == null || path.isEmpty() ? "" : "  ".repeat(path.split("/").length);
  }

  private static String shortHash(String hash) {
    return hash == null ? "" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
