package io.drctl.store.text;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header, a rule under it, then the rows, left-aligned in columns two spaces
 * apart and as wide as their widest cell, trailing blanks stripped. The one table printer of the
 * CLI and of the store's reports (the retention dry run). By default a column is at most {@value
 * #MAX_WIDTH} characters wide and longer cells are cut with {@code …}; {@link #uncapped()} keeps
 * every cell whole (where a cell is a key someone copies, such as a WAL file's location).
 */
public final class TextTable {
  static final int MAX_WIDTH = 48;
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();
  private int maxWidth = MAX_WIDTH;

  public TextTable(String... header) {
    this.header = header.clone();
  }

  /** Columns as wide as their widest cell, however wide; returns this table. */
  public TextTable uncapped() {
    maxWidth = Integer.MAX_VALUE;
    return this;
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException when it has not as many cells as the header
   */
  public void row(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + header.length + " columns");
    }
    rows.add(cells.clone());
  }

  /** The table's lines, each ending in a newline. */
  public String render() {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = Math.min(maxWidth, header[i].length());
      for (String[] row : rows) {
        widths[i] = Math.min(maxWidth, Math.max(widths[i], row[i].length()));
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    String[] rule = new String[header.length];
    for (int i = 0; i < rule.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  /** Prints {@link #render()}. */
  public void print(PrintWriter out) {
    out.print(render());
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell =
          cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 1) + "…" : cells[i];
      text.append(cell);
      if (i < cells.length - 1) {
        text.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.append(text.toString().stripTrailing()).append('\n');
  }
}
