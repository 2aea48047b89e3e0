package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.drctl.compiler.Diagnostic;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints diagnostics for people (one block each) or for tools (JSON). */
final class DiagnosticPrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final PrintWriter out;

  DiagnosticPrinter(PrintWriter out) {
    this.out = out;
  }

  void human(List<Diagnostic> diagnostics) {
    for (Diagnostic d : diagnostics) {
      out.println(d.format());
    }
    out.flush();
  }

  /** One JSON document: {"files": [{"file", "valid", "errors", "warnings", "diagnostics"}]}. */
  void json(List<Map<String, Object>> files) {
    try {
      out.println(JSON.writeValueAsString(Map.of("files", files)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }
}
