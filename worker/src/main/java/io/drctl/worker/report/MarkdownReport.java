package io.drctl.worker.report;

import static io.drctl.worker.report.ReportText.orDash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.plan.PlanJson;
import java.util.List;

/** An {@link IncidentRecord} as markdown: readable in a terminal, a ticket or a wiki. */
public final class MarkdownReport {
  private final StringBuilder out = new StringBuilder();

  private MarkdownReport() {}

  public static String render(IncidentRecord record) {
    return new MarkdownReport().write(record);
  }

  private String write(IncidentRecord r) {
    line("# Incident report: " + r.title() + " (`" + r.incidentId() + "`)");
    line("");
    table(List.of("", ""), List.of(
        List.of("type", r.type()),
        List.of("status", r.status() + (r.failure() == null ? "" : " — " + r.failure())),
        List.of("severity", orDash(r.severity())),
        List.of("started", r.startedAt()),
        List.of("ended", r.endedAt() == null ? "still running" : r.endedAt() + " (after " + ReportText.duration(r.durationSeconds()) + ")"),
        List.of("run", orDash(r.runId())),
        List.of("runbook", orDash(r.runbook().name()) + " version " + orDash(r.runbook().version())
            + (r.runbook().sourceHash() == null ? "" : ", file sha256 " + r.runbook().sourceHash())),
        List.of("pinned plan", "sha256 " + r.runbook().planHash())));
    trigger(r.trigger());
    objectives(r.objectives());
    steps(r.steps());
    heading("Operator actions");
    if (r.operatorActions().isEmpty()) {
      line("None.");
    } else {
      table(List.of("at", "command", "step", "by", "reason", "comment", "via", "client", "result"),
          r.operatorActions().stream().map(a -> List.of(a.at(), a.command(), orDash(a.step()), orDash(a.by()), orDash(a.reason()),
              orDash(a.comment()), a.via(), orDash(a.clientIdentity()),
              a.accepted() == null ? "—" : (a.accepted() ? "accepted" : "refused") + (a.result() == null ? "" : ": " + a.result())))
              .toList());
    }
    heading("Backups touched");
    if (r.backups().isEmpty()) {
      line("None named by a step's output.");
    } else {
      table(List.of("backup", "checksum", "step"),
          r.backups().stream().map(b -> List.of(b.backupId(), orDash(b.checksum()), b.step())).toList());
    }
    heading("Inputs");
    json(r.inputs());
    if (!r.notes().isEmpty()) {
      heading("Notes");
      r.notes().forEach(note -> line("- " + note));
    }
    heading("What the history does not hold");
    r.limits().forEach(limit -> line("- " + limit));
    heading("Pinned plan");
    line("<details><summary>plan " + r.runbook().planHash() + "</summary>");
    line("");
    json(r.plan());
    line("</details>");
    return out.toString();
  }

  private void trigger(IncidentRecord.Trigger t) {
    heading("Trigger");
    String who = switch (t.kind()) {
      case "alert" -> "an alert";
      case "schedule" -> "schedule " + t.scheduleId();
      case "parent" -> "parent incident " + t.parentWorkflowId();
      case "ui" -> "a bare start (the Temporal Web UI's form or another client)";
      default -> "drctl (CLI or API)";
    };
    line("- started by " + who + (t.startedBy() == null ? "" : ", as " + t.startedBy())
        + (t.reason() == null ? "" : ": " + t.reason()));
    if (t.clientIdentity() != null) {
      line("- Temporal client identity: " + t.clientIdentity());
    }
    Alert alert = t.alert();
    if (alert != null) {
      line("- alert " + orDash(alert.name()) + " (" + alert.status() + ", from " + orDash(alert.source()) + "), labels "
          + alert.labels() + ", fingerprint " + orDash(alert.fingerprint()) + ", startsAt " + orDash(alert.startsAt()));
    }
    if (t.alertsReceived() != null) {
      line("- alerts received while it ran: " + t.alertsReceived());
    }
  }

  private void objectives(IncidentRecord.Objectives o) {
    heading("Objectives");
    table(List.of("objective", "target", "measured", "result"), List.of(
        List.of("RTO", o.rto() + " (" + o.rtoSeconds() + " s)",
            o.rtoMeasuredSeconds() + " s" + (o.rtoMet() == null ? " so far" : ""), ReportText.yesNo(o.rtoMet())),
        List.of("RPO", o.rpo() == null ? "—" : o.rpo() + " (" + o.rpoSeconds() + " s)",
            o.rpoMeasuredSeconds() == null ? "not measured" : o.rpoMeasuredSeconds() + " s (step " + o.rpoMeasuredBy() + ")",
            ReportText.yesNo(o.rpoMet()))));
  }

  private void steps(List<IncidentRecord.Step> steps) {
    heading("Steps");
    table(List.of("step", "action", "status", "started", "took", "attempts", "error"),
        steps.stream().map(s -> List.of((s.path().isEmpty() ? "" : s.path() + "/") + s.id(), orDash(s.action()), s.status(),
            orDash(s.startedAt()), ReportText.millis(s.durationMillis()), String.valueOf(s.attempts().size()), orDash(s.error())))
            .toList());
    for (IncidentRecord.Step s : steps) {
      if (s.input() == null && s.output() == null && s.attempts().isEmpty()) {
        continue;
      }
      line("");
      line("### `" + s.id() + "` — " + s.title());
      if (!s.attempts().isEmpty()) {
        line("");
        table(List.of("execution", "attempt", "outcome", "started", "ended", "error", "worker"),
            s.attempts().stream().map(a -> List.of(String.valueOf(a.execution()), a.attempt() == null ? "?" : a.attempt().toString(),
                a.outcome(), orDash(a.startedAt()), orDash(a.endedAt()),
                a.error() == null ? "retried" .equals(a.outcome()) ? "(not in the history)" : "—" : a.error(), orDash(a.worker())))
                .toList());
      }
      if (s.input() != null) {
        line("");
        line("Input:");
        json(s.input());
      }
      if (s.output() != null) {
        line("");
        line("Output:");
        json(s.output());
      }
    }
  }

  private void heading(String text) {
    line("");
    line("## " + text);
    line("");
  }

  private void table(List<String> header, List<List<String>> rows) {
    row(header);
    line("|" + "---|".repeat(header.size()));
    rows.forEach(this::row);
  }

  private void row(List<String> cells) {
    StringBuilder text = new StringBuilder("|");
    for (String cell : cells) {
      text.append(' ').append(cell == null ? "" : cell.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    line(text.toString());
  }

  private void json(JsonNode value) {
    line("```json");
    try {
      line(value == null ? "null" : PlanJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
    }
    line("```");
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
