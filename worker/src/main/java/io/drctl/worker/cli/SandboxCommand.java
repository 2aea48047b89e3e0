package io.drctl.worker.cli;

import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drctl sandbox up|down|status|reset|notifications}: the seed's platform as real containers
 * on the Docker engine of {@code DOCKER_HOST}. Everything it makes is labelled with the sandbox's
 * name; nothing else is touched.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "The seed's platform as containers: PostgreSQL 15 primary, streaming replica and staging, Redis 7,",
      "backend, and dns-webhook (a service-discovery stand-in the backend reads its database from).",
      "The default sandbox is what runbooks/dr-runbook.json's targets describe; --name N makes another",
      "(containers drctl-sandbox-N-ROLE, its own ports) and up writes a targets file to use with -t.",
      "Passwords are known values: PGPASSWORD="
          + SandboxLayout.PASSWORD
          + ", REDIS_PASSWORD="
          + SandboxLayout.REDIS_PASSWORD
          + ", DNS_WEBHOOK_TOKEN="
          + SandboxLayout.REGISTRY_TOKEN
          + ",",
      "SLACK_TOKEN="
          + SandboxLayout.NOTIFY_TOKEN
          + ", PAGERDUTY_ROUTING_KEY="
          + SandboxLayout.NOTIFY_TOKEN
          + " (the slack and pagerduty stand-ins; drctl sandbox notifications shows what they received).",
      "Images: DRCTL_SANDBOX_IMAGE (default "
          + SandboxImages.DEFAULT_IMAGE
          + ", from bin/setup images),",
      "DRCTL_SANDBOX_POSTGRES_IMAGE, DRCTL_SANDBOX_REDIS_IMAGE, DRCTL_SANDBOX_BACKEND_IMAGE (e.g. postgres:15, redis:7)."
    },
    subcommands = {
      SandboxUpCommand.class,
      SandboxDownCommand.class,
      SandboxStatusCommand.class,
      SandboxResetCommand.class,
      SandboxNotificationsCommand.class
    })
final class SandboxCommand implements Runnable {
  /** Exit status of a sandbox that is not healthy, or of a step of up that failed. */
  static final int UNHEALTHY = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** --name and --port-base, shared by every subcommand. */
  static final class Which {
    @Option(
        names = "--name",
        paramLabel = "N",
        defaultValue = SandboxLayout.DEFAULT_NAME,
        description = "Sandbox name (default: ${DEFAULT-VALUE}, the runbook's targets).")
    String name;

    @Option(
        names = "--port-base",
        paramLabel = "P",
        description =
            "First of the named sandbox's ports: primary P, replica P+1, Redis P+2, backend P+3,"
                + " staging P+4, dns-webhook P+5, pagerduty P+6, slack P+7"
                + " (default: derived from the name).")
    Integer portBase;

    SandboxLayout layout() {
      try {
        return SandboxLayout.of(name, portBase);
      } catch (SandboxException e) {
        throw new Failures.UserError(e.getMessage());
      }
    }
  }

  /** --backups, shared by every subcommand. */
  static final class Backups {
    @Option(
        names = "--backups",
        paramLabel = "DIR",
        description =
            "The sandbox's backup store on the host, mounted in both PostgreSQL containers at /backups"
                + " (default: .state/sandbox-N/backups in the repository, or under $DRCTL_STATE).")
    Path directory;

    Path directory(SandboxLayout layout) {
      return directory != null
          ? directory
          : DevCommand.defaultStateDir(System.getenv("DRCTL_STATE"), Path.of("").toAbsolutePath())
              .resolve("sandbox-" + layout.name())
              .resolve("backups");
    }
  }

  /** --drctl-jar, for the commands that make containers. */
  static final class Jar {
    @Option(
        names = "--drctl-jar",
        paramLabel = "JAR",
        description =
            "The shaded drctl jar the PostgreSQL containers run `drctl wal push` and `fetch` from"
                + " (default: $"
                + DrctlJar.VARIABLE
                + ", else the jar this command runs from). Without one, WAL is"
                + " copied into a volume instead.")
    Path jar;

    WalArchiving archiving(Path backups) {
      return WalArchiving.store(
          backups, DrctlJar.locate(jar, System.getenv(DrctlJar.VARIABLE), SandboxCommand.class));
    }
  }
}
