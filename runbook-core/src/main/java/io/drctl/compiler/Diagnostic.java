package io.drctl.compiler;

import java.util.Comparator;

/**
 * One finding of the compiler: what is wrong, exactly where, and how to fix it.
 *
 * @param severity error (the runbook is invalid) or warning (a lint finding)
 * @param code a stable identifier of the kind of mistake, e.g. {@code unknown-property}
 * @param file the file as given on the command line
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param pointer RFC 6901 JSON pointer of the offending node
 * @param message what is wrong
 * @param hint how to fix it, or null
 */
public record Diagnostic(
    Severity severity,
    String code,
    String file,
    int line,
    int column,
    String pointer,
    String message,
    String hint) {

  public enum Severity {
    ERROR,
    WARNING;

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::file)
          .thenComparingInt(Diagnostic::line)
          .thenComparingInt(Diagnostic::column)
          .thenComparing(Diagnostic::code)
          .thenComparing(Diagnostic::message);

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The compiler's human format: {@code file:line:column: error[code] message (at pointer)}. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(file);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    out.append(": ").append(severity.label()).append('[').append(code).append("] ").append(message);
    out.append("\n    at ").append(pointer.isEmpty() ? "/" : pointer);
    if (hint != null && !hint.isBlank()) {
      out.append("\n    hint: ").append(hint);
    }
    return out.toString();
  }
}
