package io.drctl.interpreter;

import io.drctl.alerts.Alert;
import io.drctl.plan.Durations;
import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides the incident's lifecycle notifications and words them: what the runbook's {@code
 * notifications} ask for, recorded in the state for the workflow to send ({@link
 * Interpreter.Decision.Notify}). Pure; off (records nothing) until {@link #enable} and for a plan
 * without notifications.
 */
final class LifecycleEvents {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:%@+=-]+");

  private final Plan plan;

  LifecycleEvents(Plan plan) {
    this.plan = plan;
  }

  void enable(IncidentState state) {
    state.lifecycle = plan.notifications() != null;
  }

  /** The incident started: by whom, why, and the alert that triggered it if one did. */
  void started(IncidentState state, String reason) {
    Alert trigger = state.alerts.trigger();
    StringBuilder text =
        new StringBuilder("Incident ")
            .append(state.incidentId)
            .append(" started by ")
            .append(state.startedBy == null ? "unknown" : state.startedBy);
    if (reason != null && !reason.isBlank()) {
      text.append(" (").append(reason).append(")");
    }
    text.append(". Severity ")
        .append(plan.severity())
        .append(", RTO ")
        .append(plan.objectives().rto())
        .append('.');
    if (trigger != null) {
      text.append(" Trigger: ").append(trigger.describe()).append('.');
      String summary = trigger.annotations().get("summary");
      if (summary != null) {
        text.append(' ').append(summary);
      }
    }
    record(state, Notifications.STARTED, severity(plan.severity()), text.toString(), null);
  }

  /** An approval step waits: its prompt and the exact commands that answer it. */
  void approvalRequested(IncidentState state, PlanStep step, String prompt) {
    String id = quoted(state.incidentId);
    String text =
        "Approval needed for step '"
            + step.id()
            + "' ("
            + step.title()
            + "): "
            + prompt
            + "\nApprove: drctl approve "
            + id
            + " --step "
            + step.id()
            + " --reason \"...\""
            + "\nReject: drctl reject "
            + id
            + " --step "
            + step.id()
            + " --reason \"...\"";
    record(state, Notifications.APPROVAL_REQUESTED, "warning", text, step.id());
  }

  /**
   * Somebody is on it: the first operator command, or the first change to the system that worked.
   */
  void acknowledged(IncidentState state, String why) {
    if (state.acknowledged) {
      return;
    }
    state.acknowledged = true;
    record(state, Notifications.ACKNOWLEDGED, "info", "Acknowledged: " + why + ".", null);
  }

  /**
   * A step failed for good; its notice goes at {@code at} of the pending ones, ahead of those it
   * caused.
   */
  void stepFailed(IncidentState state, PlanStep step, StepRun run, int at) {
    int after = state.pendingNotices.size();
    record(
        state,
        Notifications.STEP_FAILED,
        "error",
        "Step '" + step.id() + "' (" + step.title() + ") " + run.summary + ".",
        step.id());
    if (state.pendingNotices.size() > after) {
      state.pendingNotices.add(at, state.pendingNotices.remove(after));
    }
  }

  void escalation(IncidentState state, String reason, String step) {
    record(state, Notifications.ESCALATION, "critical", "Escalation: " + reason + ".", step);
  }

  void rtoWarning(IncidentState state, long now) {
    record(
        state,
        Notifications.RTO_WARNING,
        "warning",
        plan.notifications().rtoWarningPercent()
            + "% of the RTO ("
            + plan.objectives().rto()
            + ") is used and the incident still runs: "
            + progress(state, now)
            + ".",
        null);
  }

  void status(IncidentState state, String waitingFor, long now) {
    record(
        state,
        Notifications.STATUS,
        "info",
        "Status: "
            + progress(state, now)
            + (waitingFor == null ? "" : "; waiting for " + waitingFor)
            + ".",
        null);
  }

  /** The incident ended; the text says how. */
  void resolved(IncidentState state) {
    boolean ok = state.outcome == Outcome.SUCCEEDED;
    long took = state.endedMillis - state.startedMillis;
    boolean rtoMet = took <= Durations.parse(plan.objectives().rto()).toMillis();
    String text =
        (ok
                ? "Resolved: the incident succeeded"
                : "Ended " + state.outcome + (state.failure == null ? "" : ": " + state.failure))
            + " after "
            + Durations.format(java.time.Duration.ofSeconds(took / 1000))
            + " (RTO "
            + plan.objectives().rto()
            + (ok ? rtoMet ? " met" : " missed" : "")
            + ").";
    record(state, Notifications.RESOLVED, ok ? "info" : "critical", text, null);
  }

  private String progress(IncidentState state, long now) {
    long done = state.steps.values().stream().filter(r -> r.status.isTerminal()).count();
    List<String> running =
        state.steps.values().stream()
            .filter(r -> r.status == StepStatus.RUNNING || r.status == StepStatus.RECOVERING)
            .map(r -> r.id)
            .toList();
    return "running for "
        + Durations.format(
            java.time.Duration.ofSeconds(Math.max(0, now - state.startedMillis) / 1000))
        + " of RTO "
        + plan.objectives().rto()
        + ", "
        + done
        + " of "
        + state.steps.size()
        + " steps done"
        + (running.isEmpty() ? "" : ", running " + String.join(", ", running));
  }

  private void record(
      IncidentState state, String event, String severity, String message, String step) {
    if (state.lifecycle && plan.notifications().wants(event)) {
      state.pendingNotices.add(new Interpreter.Decision.Notify(event, severity, message, step));
    }
  }

  /** notify.send's severity for an incident of {@code severity}. */
  private static String severity(String severity) {
    return switch (severity) {
      case "critical" -> "critical";
      case "high" -> "error";
      case "medium" -> "warning";
      default -> "info";
    };
  }

  /** The incident id as one shell word. */
  private static String quoted(String id) {
    return SHELL_SAFE.matcher(id).matches() ? id : "'" + id.replace("'", "'\\''") + "'";
  }
}
