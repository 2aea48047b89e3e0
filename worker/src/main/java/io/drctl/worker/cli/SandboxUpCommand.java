package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import io.drctl.store.text.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drctl sandbox up}. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or repairs the sandbox, waits until every container is healthy, seeds the dataset",
      "and writes the targets file. Healthy containers are kept. Exit status: 0 up, 1 failed (the failing",
      "container and its last log lines are printed), 2 bad options."
    })
final class SandboxUpCommand extends SandboxAction {
  @Option(
      names = "--scale",
      paramLabel = "S",
      description =
          "Dataset size: scale 1 is about 10 MB, linear. Reseeds when the dataset has another scale"
              + " (default: keep the dataset, or seed scale 1 when there is none).")
  Integer scale;

  @Option(
      names = "--targets-out",
      paramLabel = "FILE",
      description =
          "Where to write the targets file (default: .state/sandbox-N.targets.json in the repository,"
              + " or $DRCTL_STATE).")
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
    return up(sandbox, scale, targetsFile(sandbox.layout(), targetsOut), output.json(), out);
  }

  /** The targets file: the given one, or the default under the state directory. */
  static Path targetsFile(SandboxLayout layout, Path given) {
    if (given != null) {
      return given;
    }
    return DevCommand.defaultStateDir(System.getenv("DRCTL_STATE"), Path.of("").toAbsolutePath())
        .resolve("sandbox-" + layout.name() + ".targets.json");
  }

  /** Brings the sandbox up and prints what it did: shared with reset. */
  static int up(Sandbox sandbox, Integer scale, Path targets, boolean json, PrintWriter out) {
    Sandbox.UpResult result = sandbox.up(new Sandbox.UpOptions(scale, targets));
    SandboxLayout layout = sandbox.layout();
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.put("name", layout.name());
      root.put("targetsFile", result.targetsFile().toAbsolutePath().toString());
      root.put("seconds", result.took().toMillis() / 1000.0);
      ArrayNode containers = root.putArray("containers");
      for (Role role : Role.values()) {
        ObjectNode node = containers.addObject();
        node.put("role", role.suffix());
        node.put("container", layout.container(role));
        node.put("port", layout.port(role));
        node.put("action", result.actions().get(role));
      }
      ObjectNode dataset = root.putObject("dataset");
      dataset.put("scale", result.manifest().get(0).scale());
      dataset.put("rows", result.manifest().stream().mapToLong(Dataset.ManifestEntry::rows).sum());
      result
          .seeded()
          .ifPresent(
              seeded -> {
                dataset.put("seededBytes", seeded.bytes());
                dataset.put("seedSeconds", seeded.took().toMillis() / 1000.0);
                dataset.put(
                    "megabytesPerSecond", Math.round(seeded.megabytesPerSecond() * 10) / 10.0);
              });
      out.println(write(root));
    } else {
      out.println();
      TextTable table = new TextTable("ROLE", "CONTAINER", "PORT", "UP");
      for (Role role : Role.values()) {
        table.row(
            role.suffix(),
            layout.container(role),
            String.valueOf(layout.port(role)),
            result.actions().get(role));
      }
      table.print(out);
      out.println();
      out.printf(
          Locale.ROOT,
          "sandbox %s is up in %.1f s; backend health %s%n",
          layout.name(),
          result.took().toMillis() / 1000.0,
          layout.healthUrl());
      out.println("targets file   " + result.targetsFile().toAbsolutePath());
      out.println(
          "use it         (in the worker's shell) export PGPASSWORD="
              + SandboxLayout.PASSWORD
              + " REDIS_PASSWORD="
              + SandboxLayout.REDIS_PASSWORD
              + " DNS_WEBHOOK_TOKEN="
              + SandboxLayout.REGISTRY_TOKEN);
      out.println(
          "               export SLACK_TOKEN="
              + SandboxLayout.NOTIFY_TOKEN
              + " PAGERDUTY_ROUTING_KEY="
              + SandboxLayout.NOTIFY_TOKEN);
      out.println(
          "               drctl start single_service_failure"
              + (layout.isDefault()
                  ? "   (the runbook's own targets already match)"
                  : " -t " + result.targetsFile()));
      out.println(
          "               drctl sandbox notifications"
              + (layout.isDefault() ? "" : " --name " + layout.name())
              + "   (what the slack and pagerduty stand-ins received)");
    }
    out.flush();
    return 0;
  }
}
