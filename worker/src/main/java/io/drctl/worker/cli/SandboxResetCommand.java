package io.drctl.worker.cli;

import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drctl sandbox reset}. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = "down, then up: a fresh sandbox with a freshly seeded dataset.")
final class SandboxResetCommand extends SandboxAction {
  @Option(names = "--scale", paramLabel = "S", description = "Dataset scale (default: 1).")
  Integer scale;

  @Option(
      names = "--targets-out",
      paramLabel = "FILE",
      description = "Where to write the targets file (as for up).")
  Path targetsOut;

  @Mixin SandboxCommand.Jar jar;

  @Override
  void prepare(SandboxLayout layout) {
    if (scale != null && scale < 1) {
      throw new Failures.UserError("--scale " + scale + ": must be 1 or more");
    }
  }

  @Override
  WalArchiving archiving(SandboxLayout layout) {
    return jar.archiving(backups.directory(layout));
  }

  @Override
  int run(Sandbox sandbox, PrintWriter out) {
    sandbox.down();
    return SandboxUpCommand.up(
        sandbox,
        scale,
        SandboxUpCommand.targetsFile(sandbox.layout(), targetsOut),
        output.json(),
        out);
  }
}
