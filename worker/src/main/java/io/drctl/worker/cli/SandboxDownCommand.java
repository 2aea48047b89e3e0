package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Sandbox;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drctl sandbox down}. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Removes the sandbox's containers and volumes (only those labelled with its name) and its backup",
      "store directory (only when up made it, unless --keep-backups)."
    })
final class SandboxDownCommand extends SandboxAction {
  @Option(
      names = "--keep-backups",
      description = "Keep the backup store directory (base backups, WAL archive).")
  boolean keepBackups;

  @Override
  int run(Sandbox sandbox, PrintWriter out) {
    Sandbox.DownResult result = sandbox.down(keepBackups);
    if (output.json()) {
      ObjectNode root = JSON.createObjectNode();
      root.put("name", sandbox.layout().name());
      result.containers().forEach(root.putArray("containers")::add);
      result.volumes().forEach(root.putArray("volumes")::add);
      root.put("backupsRemoved", result.backups() == null ? null : result.backups().toString());
      out.println(write(root));
    } else if (result.containers().isEmpty()
        && result.volumes().isEmpty()
        && result.backups() == null) {
      out.println("sandbox " + sandbox.layout().name() + ": nothing to remove");
    } else {
      out.println(
          "sandbox "
              + sandbox.layout().name()
              + " is down: removed "
              + result.containers().size()
              + " containers and "
              + result.volumes().size()
              + " volumes"
              + (result.backups() == null ? "" : " and the backup store " + result.backups()));
    }
    out.flush();
    return 0;
  }
}
