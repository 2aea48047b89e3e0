package io.drctl.worker.drill;

import io.drctl.worker.report.HtmlReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed's SLA table with measured columns, one row per scenario: detection to recovery against
 * the RTO objective, data lost against the RPO objective, and whether each was met. As text for the
 * terminal and as an HTML table for the drill's report.
 */
final class SlaTable {
  static final List<String> HEADER =
      List.of(
          "SCENARIO",
          "SEED ROW",
          "DETECTION → RECOVERED",
          "RTO",
          "MET",
          "≤ RTO/10",
          "DATA LOST",
          "RPO",
          "MET",
          "RESULT");

  private SlaTable() {}

  /** The rows' cells, in {@link #HEADER}'s order. */
  static List<List<String>> rows(List<ScenarioResult> results) {
    List<List<String>> rows = new ArrayList<>();
    for (ScenarioResult r : results) {
      rows.add(
          List.of(
              r.scenario(),
              r.seedRow(),
              seconds(r.rtoSeconds()),
              orDash(r.rtoObjective()),
              yesNo(r.rtoMet()),
              yesNo(r.rtoWithinATenth()),
              seconds(r.dataLostSeconds()),
              orDash(r.rpoObjective()),
              yesNo(r.rpoMet()),
              r.status()
                  + (r.failure() == null || r.status().equals(ScenarioResult.SKIPPED)
                      ? ""
                      : ": " + r.failure())));
    }
    return rows;
  }

  /** Fixed-width text, the last column unpadded. */
  static String text(List<ScenarioResult> results) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    rows.addAll(
        rows(results).stream()
            .map(
                row -> {
                  List<String> shown = new ArrayList<>(row);
                  shown.set(shown.size() - 1, shorten(shown.get(shown.size() - 1), 90));
                  return (List<String>) shown;
                })
            .toList());
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        text.append(
            i == row.size() - 1
                ? row.get(i)
                : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row.get(i)));
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** An HTML table with id {@code sla}, one {@code tr data-scenario} per row. */
  static String html(List<ScenarioResult> results) {
    StringBuilder html = new StringBuilder("<table id=\"sla\"><tr>");
    HEADER.forEach(cell -> html.append("<th>").append(HtmlReport.escape(cell)).append("</th>"));
    html.append("</tr>\n");
    List<List<String>> rows = rows(results);
    for (int i = 0; i < rows.size(); i++) {
      html.append("<tr data-scenario=\"")
          .append(HtmlReport.escape(results.get(i).scenario()))
          .append("\" data-status=\"")
          .append(HtmlReport.escape(results.get(i).status()))
          .append("\">");
      rows.get(i)
          .forEach(cell -> html.append("<td>").append(HtmlReport.escape(cell)).append("</td>"));
      html.append("</tr>\n");
    }
    return html.append("</table>\n").toString();
  }

  static String seconds(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f s", value);
  }

  private static String yesNo(Boolean value) {
    return value == null ? "-" : value ? "yes" : "NO";
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
