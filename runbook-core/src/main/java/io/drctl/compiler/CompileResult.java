package io.drctl.compiler;

import java.util.List;
import java.util.Optional;

/** What the compiler found: every diagnostic, and the compiled runbook when there was no error. */
public record CompileResult(List<Diagnostic> diagnostics, CompiledRunbook runbook) {
  public CompileResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean ok() {
    return runbook != null;
  }

  public boolean hasWarnings() {
    return diagnostics.stream().anyMatch(d -> !d.isError());
  }

  public Optional<CompiledRunbook> compiled() {
    return Optional.ofNullable(runbook);
  }

  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }
}
