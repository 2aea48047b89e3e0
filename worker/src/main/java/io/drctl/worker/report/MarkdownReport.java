package io.drctl.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
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
    table(List.of("", ""), ReportRows.summary(r));
    trigger(r.trigger());
    objectives(r.objectives());
    steps(r.steps());
    heading("Operator actions");
    if (r.operatorActions().isEmpty()) {
      line("None.");
    } else {
      table(ReportRows.ACTION_HEADER, ReportRows.actions(r.operatorActions()));
    }
    heading("Backups touched");
    if (r.backups().isEmpty()) {
      line("None named by a step's output.");
    } else {
      table(ReportRows.BACKUP_HEADER, ReportRows.backups(r.backups()));
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
    table(List.of("", ""), ReportRows.trigger(t));
  }

  private void objectives(IncidentRecord.Objectives o) {
    heading("Objectives");
    table(ReportRows.OBJECTIVE_HEADER, ReportRows.objectives(o));
  }

  private void steps(List<IncidentRecord.Step> steps) {
    heading("Steps");
    table(ReportRows.STEP_HEADER, ReportRows.steps(steps));
    for (IncidentRecord.Step s : steps) {
      if (!ReportRows.detailed(s)) {
        continue;
      }
      line("");
      line("### `" + s.id() + "` — " + s.title());
      if (!s.attempts().isEmpty()) {
        line("");
        table(ReportRows.ATTEMPT_HEADER, ReportRows.attempts(s));
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
      text.append(' ')
          .append(cell == null ? "" : cell.replace("|", "\\|").replace("\n", " "))
          .append(" |");
    }
    line(text.toString());
  }

  private void json(JsonNode value) {
    line("```json");
    line(ReportText.prettyJson(value));
    line("```");
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
