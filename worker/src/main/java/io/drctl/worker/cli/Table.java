package io.drctl.worker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell (capped, then cut with …). */
final class Table {
  private static final int MAX_WIDTH = 48;
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    this.header = header;
  }

  void row(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] row : rows) {
        widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i], row[i].length()));
      }
    }
    line(out, header, widths);
    String[] rule = new String[header.length];
    for (int i = 0; i < rule.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
  }

  private static void line(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 1) + "…" : cells[i];
      text.append(cell);
      if (i < cells.length - 1) {
        text.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(text.toString().stripTrailing());
  }
}
