package io.drctl.worker.report;

import static io.drctl.worker.report.ReportText.orDash;

import java.util.ArrayList;
import java.util.List;

/** The tables of a report as rows of text, the same for every format that draws tables. */
final class ReportRows {
  private ReportRows() {}

  static final List<String> STEP_HEADER =
      List.of("step", "action", "status", "started", "took", "attempts", "error");
  static final List<String> ATTEMPT_HEADER =
      List.of("execution", "attempt", "outcome", "started", "ended", "error", "worker");
  static final List<String> ACTION_HEADER =
      List.of("at", "command", "step", "by", "reason", "comment", "via", "client", "result");
  static final List<String> BACKUP_HEADER = List.of("backup", "checksum", "step");
  static final List<String> OBJECTIVE_HEADER = List.of("objective", "target", "measured", "result");

  /** Name and value: type, status, times, run, runbook, plan. */
  static List<List<String>> summary(IncidentRecord r) {
    return List.of(
        List.of("type", r.type()),
        List.of("status", r.status() + (r.failure() == null ? "" : " — " + r.failure())),
        List.of("severity", orDash(r.severity())),
        List.of("started", r.startedAt()),
        List.of(
            "ended",
            r.endedAt() == null
                ? "still running"
                : r.endedAt() + " (after " + ReportText.duration(r.durationSeconds()) + ")"),
        List.of("run", orDash(r.runId())),
        List.of(
            "runbook",
            orDash(r.runbook().name())
                + " version "
                + orDash(r.runbook().version())
                + (r.runbook().sourceHash() == null
                    ? ""
                    : ", file sha256 " + r.runbook().sourceHash())),
        List.of("pinned plan", "sha256 " + r.runbook().planHash()));
  }

  /** Who or what started it; rows with nothing to say are left out. */
  static List<List<String>> trigger(IncidentRecord.Trigger t) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "kind",
            t.kind()
                + switch (t.kind()) {
                  case "cli" -> " (a drctl client: the CLI or the alert receiver)";
                  case "ui" -> " (a bare start: the Temporal Web UI's form or another client)";
                  default -> "";
                }));
    rows.add(List.of("started by", orDash(t.startedBy())));
    String[][] optional = {
      {"reason", t.reason()},
      {"client identity", t.clientIdentity()},
      {"alert", t.alert() == null ? null : t.alert().describe()},
      {"schedule", t.scheduleId()},
      {"parent incident", t.parentWorkflowId()},
      {
        "alerts received while it ran",
        t.alertsReceived() == null ? null : t.alertsReceived().toString()
      }
    };
    for (String[] row : optional) {
      if (row[1] != null) {
        rows.add(List.of(row[0], row[1]));
      }
    }
    return rows;
  }

  static List<List<String>> objectives(IncidentRecord.Objectives o) {
    return List.of(
        List.of(
            "RTO",
            o.rto() + " (" + o.rtoSeconds() + " s)",
            o.rtoMeasuredSeconds()
                + " s"
                + (o.rtoMet() == null ? " so far" : "")
                + (o.rtoMeasuredFrom() == null
                    ? ""
                    : " from the alert's startsAt " + o.rtoMeasuredFrom()),
            ReportText.yesNo(o.rtoMet())),
        List.of(
            "RPO",
            o.rpo() == null ? "—" : o.rpo() + " (" + o.rpoSeconds() + " s)",
            o.rpoMeasuredSeconds() == null
                ? "not measured"
                : o.rpoMeasuredSeconds() + " s (step " + o.rpoMeasuredBy() + ")",
            ReportText.yesNo(o.rpoMet())));
  }

  static List<List<String>> steps(List<IncidentRecord.Step> steps) {
    return steps.stream()
        .map(
            s ->
                List.of(
                    (s.path().isEmpty() ? "" : s.path() + "/") + s.id(),
                    orDash(s.action()),
                    s.status(),
                    orDash(s.startedAt()),
                    ReportText.millis(s.durationMillis()),
                    String.valueOf(s.attempts().size()),
                    orDash(s.error())))
        .toList();
  }

  static List<List<String>> attempts(IncidentRecord.Step step) {
    return step.attempts().stream()
        .map(
            a ->
                List.of(
                    String.valueOf(a.execution()),
                    a.attempt() == null ? "?" : a.attempt().toString(),
                    a.outcome(),
                    orDash(a.startedAt()),
                    orDash(a.endedAt()),
                    a.error() != null
                        ? a.error()
                        : "retried".equals(a.outcome()) ? "(not in the history)" : "—",
                    orDash(a.worker())))
        .toList();
  }

  static List<List<String>> actions(List<IncidentRecord.OperatorAction> actions) {
    return actions.stream()
        .map(
            a ->
                List.of(
                    a.at(),
                    a.command(),
                    orDash(a.step()),
                    orDash(a.by()),
                    orDash(a.reason()),
                    orDash(a.comment()),
                    a.via(),
                    orDash(a.clientIdentity()),
                    a.accepted() == null
                        ? "—"
                        : (a.accepted() ? "accepted" : "refused")
                            + (a.result() == null ? "" : ": " + a.result())))
        .toList();
  }

  static List<List<String>> backups(List<IncidentRecord.Backup> backups) {
    return backups.stream()
        .map(b -> List.of(b.backupId(), orDash(b.checksum()), b.step()))
        .toList();
  }

  /** Whether a step has details worth a section of their own: input, output or attempts. */
  static boolean detailed(IncidentRecord.Step step) {
    return step.input() != null || step.output() != null || !step.attempts().isEmpty();
  }
}
