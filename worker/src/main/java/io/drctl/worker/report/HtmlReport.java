package io.drctl.worker.report;

import static io.drctl.worker.report.ReportText.orDash;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An {@link IncidentRecord} as one self-contained HTML file: inline CSS, no script, no font, no
 * image, no link to anything, so it opens offline and can be attached to a ticket. The timeline
 * draws one bar per step that started, placed and sized by its times within the incident.
 */
public final class HtmlReport {
  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#1d1d1f;padding:0 1em}
      h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
      th{background:#f5f5f7}pre{background:#f5f5f7;padding:.6em;overflow:auto;font-size:12px}
      .timeline{border:1px solid #ddd;padding:.5em}.row{display:flex;align-items:center;margin:2px 0}
      .label{width:14em;flex:none;font-family:monospace;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
      .track{position:relative;flex:1;height:1.2em;background:#fafafa}
      .bar{position:absolute;top:0;height:100%;min-width:2px;border-radius:2px}
      .succeeded,.recovered{background:#2e9e44}.failed,.timed-out{background:#d33}.running,.waiting-approval,.recovering,
      .waiting-operator{background:#e6a100}.skipped,.cancelled,.terminated,.aborted{background:#999}.pending{background:#ccc}
      .status{font-weight:600}.axis{display:flex;justify-content:space-between;margin-left:14em;color:#666;font-size:12px}
      """;

  private final StringBuilder out = new StringBuilder();

  private HtmlReport() {}

  public static String render(IncidentRecord record) {
    return new HtmlReport().write(record);
  }

  /**
   * Several incidents in one self-contained file, e.g. a drill's: {@code leadHtml} (already escaped
   * by the caller) first, then each incident's report in a {@code <section class="incident"
   * data-incident="ID">}, each with its own timeline.
   */
  public static String renderAll(String title, String leadHtml, List<IncidentRecord> records) {
    HtmlReport report = new HtmlReport();
    report.head(title);
    report.out.append(leadHtml);
    for (IncidentRecord record : records) {
      report
          .out
          .append("<section class=\"incident\" data-incident=\"")
          .append(escape(record.incidentId()))
          .append("\">\n");
      report.body(record);
      report.out.append("</section>\n");
    }
    report.out.append("</body></html>\n");
    return report.out.toString();
  }

  private String write(IncidentRecord r) {
    head("Incident report: " + r.title() + " (" + r.incidentId() + ")");
    body(r);
    out.append("</body></html>\n");
    return out.toString();
  }

  private void head(String title) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>")
        .append(escape(title))
        .append("</title>")
        .append("<style>")
        .append(STYLE)
        .append("</style></head><body>\n");
  }

  private void body(IncidentRecord r) {
    out.append("<h1>Incident report: ")
        .append(escape(r.title()))
        .append(" <code>")
        .append(escape(r.incidentId()))
        .append("</code></h1>\n");
    table("summary", List.of(), ReportRows.summary(r));
    section("trigger", "Trigger");
    table("trigger-table", List.of(), ReportRows.trigger(r.trigger()));
    IncidentRecord.Objectives o = r.objectives();
    section("objectives", "Objectives");
    table("objectives-table", ReportRows.OBJECTIVE_HEADER, ReportRows.objectives(o));
    section("timeline-section", "Timeline");
    timeline(r);
    section("steps", "Steps");
    steps(r.steps());
    section("operator-actions", "Operator actions");
    table(
        "operator-actions-table",
        ReportRows.ACTION_HEADER,
        ReportRows.actions(r.operatorActions()));
    section("backups", "Backups touched");
    table("backups-table", ReportRows.BACKUP_HEADER, ReportRows.backups(r.backups()));
    section("inputs", "Inputs");
    json(r.inputs());
    if (!r.notes().isEmpty()) {
      section("notes", "Notes");
      list(r.notes());
    }
    section("limits", "What the history does not hold");
    list(r.limits());
    section("plan", "Pinned plan");
    out.append("<details><summary>plan ")
        .append(escape(r.runbook().planHash()))
        .append("</summary>");
    json(r.plan());
    out.append("</details>\n");
  }

  /**
   * One row per step that started: a bar from its start to its end (or to the incident's end, or
   * now).
   */
  private void timeline(IncidentRecord r) {
    long from = Instant.parse(r.startedAt()).toEpochMilli();
    long to = from;
    for (IncidentRecord.Step step : r.steps()) {
      to = Math.max(to, step.endedAt() == null ? to : Instant.parse(step.endedAt()).toEpochMilli());
    }
    to =
        Math.max(
            to,
            r.endedAt() == null
                ? from + r.objectives().rtoMeasuredSeconds() * 1000
                : Instant.parse(r.endedAt()).toEpochMilli());
    long span = Math.max(1, to - from);
    out.append("<div class=\"timeline\" id=\"timeline\">\n");
    for (IncidentRecord.Step step : r.steps()) {
      if (step.startedAt() == null) {
        continue;
      }
      long start = Instant.parse(step.startedAt()).toEpochMilli();
      long end = step.endedAt() == null ? to : Instant.parse(step.endedAt()).toEpochMilli();
      double left = 100.0 * (start - from) / span;
      double width = Math.max(0.3, 100.0 * (end - start) / span);
      out.append("<div class=\"row\" data-step=\"")
          .append(escape(step.id()))
          .append("\"><span class=\"label\" title=\"")
          .append(escape(step.title()))
          .append("\">")
          .append(escape(step.id()))
          .append("</span><div class=\"track\">")
          .append("<div class=\"bar ")
          .append(escape(step.status()))
          .append("\" data-step=\"")
          .append(escape(step.id()))
          .append("\" data-status=\"")
          .append(escape(step.status()))
          .append("\" style=\"left:")
          .append(String.format(Locale.ROOT, "%.2f", Math.min(left, 99.7)))
          .append("%;width:")
          .append(String.format(Locale.ROOT, "%.2f", Math.min(width, 100 - Math.min(left, 99.7))))
          .append("%\" title=\"")
          .append(
              escape(
                  step.title()
                      + ": "
                      + step.status()
                      + ", "
                      + step.startedAt()
                      + " → "
                      + orDash(step.endedAt())
                      + " ("
                      + ReportText.millis(step.durationMillis())
                      + ")"))
          .append("\"></div></div></div>\n");
    }
    out.append("<div class=\"axis\"><span>")
        .append(escape(r.startedAt()))
        .append("</span><span>+")
        .append(ReportText.duration(span / 1000))
        .append("</span></div></div>\n");
  }

  private void steps(List<IncidentRecord.Step> steps) {
    table("steps-table", ReportRows.STEP_HEADER, ReportRows.steps(steps));
    for (IncidentRecord.Step s : steps) {
      if (!ReportRows.detailed(s)) {
        continue;
      }
      out.append("<details class=\"step\" data-step=\"")
          .append(escape(s.id()))
          .append("\"><summary><code>")
          .append(escape(s.id()))
          .append("</code> — ")
          .append(escape(s.title()))
          .append("</summary>\n");
      if (!s.attempts().isEmpty()) {
        table(null, ReportRows.ATTEMPT_HEADER, ReportRows.attempts(s));
      }
      if (s.input() != null) {
        out.append("<p>Input</p>");
        json(s.input());
      }
      if (s.output() != null) {
        out.append("<p>Output</p>");
        json(s.output());
      }
      out.append("</details>\n");
    }
  }

  private void section(String id, String title) {
    out.append("<h2 id=\"").append(id).append("\">").append(escape(title)).append("</h2>\n");
  }

  private void table(String id, List<String> header, List<List<String>> rows) {
    out.append("<table").append(id == null ? "" : " id=\"" + id + "\"").append(">");
    if (!header.isEmpty()) {
      out.append("<tr>");
      header.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
      out.append("</tr>");
    }
    for (List<String> row : rows) {
      out.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        out.append(header.isEmpty() && i == 0 ? "<th>" : "<td>")
            .append(escape(row.get(i)))
            .append(header.isEmpty() && i == 0 ? "</th>" : "</td>");
      }
      out.append("</tr>");
    }
    if (rows.isEmpty()) {
      out.append("<tr><td colspan=\"")
          .append(Math.max(1, header.size()))
          .append("\">None.</td></tr>");
    }
    out.append("</table>\n");
  }

  private void list(List<String> items) {
    out.append("<ul>");
    items.forEach(item -> out.append("<li>").append(escape(item)).append("</li>"));
    out.append("</ul>\n");
  }

  private void json(JsonNode value) {
    out.append("<pre>").append(escape(ReportText.prettyJson(value))).append("</pre>\n");
  }

  /** {@code text} with HTML's five special characters escaped; null as empty. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
