package io.drctl.compiler;

import io.drctl.compiler.Diagnostic.Severity;
import io.drctl.source.SourceDocument;
import io.drctl.source.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/** Collects the findings for one source document. Not thread-safe; one per compilation. */
public final class Diagnostics {
  private final SourceDocument source;
  private final String file;
  private final List<Diagnostic> found = new ArrayList<>();

  public Diagnostics(SourceDocument source) {
    this.source = source;
    this.file = source.file();
  }

  private Diagnostics(String file) {
    this.source = null;
    this.file = file;
  }

  /** A collector for the same file that records no positions; its findings are re-reported. */
  Diagnostics scratch() {
    return new Diagnostics(file);
  }

  /** An error located at the value of {@code pointer}. */
  public void error(String code, String pointer, String message, String hint) {
    add(Severity.ERROR, code, pointer, valuePosition(pointer), message, hint);
  }

  /** An error located at the member name of {@code pointer} (unknown or misspelled keys). */
  public void errorAtKey(String code, String pointer, String message, String hint) {
    add(Severity.ERROR, code, pointer, keyPosition(pointer), message, hint);
  }

  public void add(
      Severity severity,
      String code,
      String pointer,
      SourcePosition position,
      String message,
      String hint) {
    found.add(
        new Diagnostic(
            severity, code, file, position.line(), position.column(), pointer, message, hint));
  }

  public SourcePosition valuePosition(String pointer) {
    return source == null ? SourcePosition.UNKNOWN : source.valuePosition(pointer);
  }

  public SourcePosition keyPosition(String pointer) {
    return source == null ? SourcePosition.UNKNOWN : source.keyPosition(pointer);
  }

  public SourcePosition positionInString(String pointer, int offset) {
    return source == null ? SourcePosition.UNKNOWN : source.positionInString(pointer, offset);
  }

  /** An error at an exact position, e.g. inside an expression string. */
  public void errorAt(
      String code, String pointer, SourcePosition position, String message, String hint) {
    add(Severity.ERROR, code, pointer, position, message, hint);
  }

  public boolean hasErrors() {
    return found.stream().anyMatch(Diagnostic::isError);
  }

  /** Whether any error was reported at or below {@code pointer}. */
  public boolean hasErrorsUnder(String pointer) {
    return found.stream()
        .anyMatch(
            d ->
                d.isError()
                    && (d.pointer().equals(pointer) || d.pointer().startsWith(pointer + "/")));
  }

  public List<Diagnostic> list() {
    return found.stream().sorted(Diagnostic.ORDER).distinct().toList();
  }
}
