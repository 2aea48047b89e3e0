package io.drctl.worker.cli;

import io.drctl.compiler.CompileResult;
import io.drctl.compiler.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl validate}: compile runbooks and report every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks runbooks and reports every problem, with file, line, column and JSON pointer.",
      "Exit status: 0 valid, 1 lint warnings under --strict, 2 invalid."
    })
class ValidateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Runbook JSON files.")
  List<Path> files;

  @Mixin RunbookOptions runbook;

  @Option(
      names = "--format",
      defaultValue = "human",
      description = "human or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(names = "--strict", description = "Treat lint warnings as failures (exit 1).")
  boolean strict;

  boolean showWarnings() {
    return true;
  }

  @Override
  public Integer call() {
    DiagnosticPrinter printer = new DiagnosticPrinter(spec.commandLine().getOut());
    boolean invalid = false;
    boolean warned = false;
    List<Map<String, Object>> report = new ArrayList<>();
    for (Path file : files) {
      CompileResult result = runbook.compile(file);
      List<Diagnostic> shown =
          result.diagnostics().stream().filter(d -> d.isError() || showWarnings()).toList();
      invalid |= !result.ok();
      warned |= result.hasWarnings();
      if (format == OutputFormat.json) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", file.toString());
        entry.put("valid", result.ok());
        entry.put("errors", result.errors().size());
        entry.put("warnings", result.diagnostics().size() - result.errors().size());
        entry.put(
            "incidents",
            result.compiled().map(r -> List.copyOf(r.plans().keySet())).orElse(List.of()));
        entry.put("diagnostics", shown);
        report.add(entry);
      } else {
        printer.human(shown);
        long errors = result.errors().size();
        long warnings = result.diagnostics().size() - errors;
        spec.commandLine()
            .getOut()
            .println(
                result.ok()
                    ? file
                        + ": valid, "
                        + count(result.runbook().plans().size(), "incident")
                        + (result.runbook().schedules().isEmpty()
                            ? ""
                            : ", " + count(result.runbook().schedules().size(), "schedule"))
                        + (warnings > 0 ? ", " + count(warnings, "warning") : "")
                    : file
                        + ": invalid, "
                        + count(errors, "error")
                        + (warnings > 0 ? ", " + count(warnings, "warning") : ""));
      }
    }
    if (format == OutputFormat.json) {
      printer.json(report);
    }
    spec.commandLine().getOut().flush();
    return invalid ? 2 : (warned && strict()) ? 1 : 0;
  }

  /** "1 error", "2 errors". */
  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  boolean strict() {
    return strict;
  }
}
