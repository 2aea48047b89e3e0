package io.drctl.worker.cli;

import io.drctl.compiler.RunbookCompiler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code drctl schema}: prints the runbook JSON Schema. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Prints the runbook JSON Schema (2020-12) for editors and tools.")
class SchemaCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(RunbookCompiler.schemaText());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
