package io.drctl.worker.cli;

import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The runbook a worker serves or a start pins: {@code --runbook} and {@code --targets}. */
final class RunbookSource {
  static final String DEFAULT_RUNBOOK = "runbooks/dr-runbook.json";

  @Option(
      names = {"-r", "--runbook"},
      paramLabel = "FILE",
      defaultValue = DEFAULT_RUNBOOK,
      description = "Runbook JSON file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Mixin RunbookOptions options;

  /** Compiles the runbook; when it is invalid, prints the diagnostics and fails with exit 2. */
  CompiledRunbook compile(PrintWriter out) {
    if (!Files.exists(file) && file.toString().equals(DEFAULT_RUNBOOK)) {
      throw new Failures.UserError(
          file + ": no such file (run from the repository root, or give --runbook FILE)");
    }
    CompileResult result = options.compile(file);
    if (!result.ok()) {
      new DiagnosticPrinter(out).human(result.errors());
      throw new Failures.UserError(
          file
              + " is not valid ("
              + result.errors().size()
              + " errors above); fix it first: drctl validate "
              + file);
    }
    return result.runbook();
  }
}
