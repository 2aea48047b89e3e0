package io.drctl.worker.cli;

import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Plan;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by commands that read a runbook: the environment's targets file. */
final class RunbookOptions {
  @Option(
      names = {"-t", "--targets"},
      paramLabel = "FILE",
      description =
          "A targets file that replaces the runbook's targets by name (one per environment).")
  Path targets;

  /** Reads a source file, turning I/O problems into a clear user error. */
  static RunbookCompiler.Source read(Path file) {
    try {
      return new RunbookCompiler.Source(
          file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new Failures.UserError(file + ": no such file");
    } catch (MalformedInputException e) {
      throw new Failures.UserError(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new Failures.UserError(file + ": cannot read: " + e.getMessage());
    }
  }

  CompileResult compile(Path file) {
    RunbookCompiler.Source targetsFile = targets == null ? null : read(targets);
    return RunbookCompiler.standard().compile(read(file), targetsFile);
  }

  /** Compiles and returns the plan of one incident, or fails with the diagnostics printed. */
  Plan plan(Path file, String incident, DiagnosticPrinter printer) {
    CompileResult result = compile(file);
    CompiledRunbook runbook = result.compiled().orElse(null);
    if (runbook == null) {
      printer.human(result.diagnostics());
      throw new Failures.UserError(file + " is not valid; fix the errors above first");
    }
    return runbook
        .plan(incident)
        .orElseThrow(() -> new Failures.UserError(runbook.noIncident(incident)));
  }
}
