package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxNotifications;
import io.drctl.sandbox.SandboxStatus;
import io.drctl.sandbox.WalArchiving;
import io.drctl.store.text.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drctl sandbox up|down|status|reset|notifications}: the seed's platform as real containers on the
 * Docker engine of {@code DOCKER_HOST}. Everything it makes is labelled with the sandbox's name;
 * nothing else is touched.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"The seed's platform as containers: PostgreSQL 15 primary, streaming replica and staging, Redis 7,",
        "backend, and dns-webhook (a service-discovery stand-in the backend reads its database from).",
        "The default sandbox is what runbooks/dr-runbook.json's targets describe; --name N makes another",
        "(containers drctl-sandbox-N-ROLE, its own ports) and up writes a targets file to use with -t.",
        "Passwords are known values: PGPASSWORD=" + SandboxLayout.PASSWORD + ", REDIS_PASSWORD="
            + SandboxLayout.REDIS_PASSWORD + ", DNS_WEBHOOK_TOKEN=" + SandboxLayout.REGISTRY_TOKEN + ",",
        "SLACK_TOKEN=" + SandboxLayout.NOTIFY_TOKEN + ", PAGERDUTY_ROUTING_KEY=" + SandboxLayout.NOTIFY_TOKEN
            + " (the slack and pagerduty stand-ins; drctl sandbox notifications shows what they received).",
        "Images: DRCTL_SANDBOX_IMAGE (default " + SandboxImages.DEFAULT_IMAGE + ", from bin/setup images),",
        "DRCTL_SANDBOX_POSTGRES_IMAGE, DRCTL_SANDBOX_REDIS_IMAGE, DRCTL_SANDBOX_BACKEND_IMAGE (e.g. postgres:15, redis:7)."},
    subcommands = {SandboxCommand.Up.class, SandboxCommand.Down.class, SandboxCommand.Status.class,
        SandboxCommand.Reset.class, SandboxCommand.Notifications.class})
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
    @Option(names = "--name", paramLabel = "N", defaultValue = SandboxLayout.DEFAULT_NAME,
        description = "Sandbox name (default: ${DEFAULT-VALUE}, the runbook's targets).")
    String name;

    @Option(names = "--port-base", paramLabel = "P",
        description = "First of the named sandbox's ports: primary P, replica P+1, Redis P+2, backend P+3,"
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
    @Option(names = "--backups", paramLabel = "DIR",
        description = "The sandbox's backup store on the host, mounted in both PostgreSQL containers at /backups"
            + " (default: .state/sandbox-N/backups in the repository, or under $DRCTL_STATE).")
    Path directory;

    Path directory(SandboxLayout layout) {
      return directory != null ? directory : DevCommand.defaultStateDir(System.getenv("DRCTL_STATE"),
          Path.of("").toAbsolutePath()).resolve("sandbox-" + layout.name()).resolve("backups");
    }
  }

  /** The shared body: a sandbox on the engine, each SandboxException one line and exit 1. */
  abstract static class SandboxAction implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Which which;
    @Mixin Backups backups;

    /** json: the result as JSON, progress on standard error. */
    @Mixin FormatOption output;

    abstract int run(Sandbox sandbox, PrintWriter out) throws SQLException;

    @Override
    public final Integer call() throws SQLException {
      SandboxLayout layout = which.layout();
      prepare(layout);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter progressOut = output.json() ? spec.commandLine().getErr() : out;
      Consumer<String> progress = line -> {
        progressOut.println(line);
        progressOut.flush();
      };
      try (SandboxEngine engine = SandboxEngine.fromEnvironment()) {
        return run(new Sandbox(engine, layout, SandboxImages.fromEnvironment(System.getenv()), archiving(layout),
            progress), out);
      } catch (SandboxException e) {
        throw new Failures.UserError(e.getMessage(), UNHEALTHY);
      }
    }

    /** Checks options that need no engine. */
    void prepare(SandboxLayout layout) {}

    /** The store only; up and reset add the drctl jar. */
    WalArchiving archiving(SandboxLayout layout) {
      return WalArchiving.store(backups.directory(layout), null);
    }
  }

  /** --drctl-jar, for the commands that make containers. */
  static final class Jar {
    @Option(names = "--drctl-jar", paramLabel = "JAR",
        description = "The shaded drctl jar the PostgreSQL containers run `drctl wal push` and `fetch` from"
            + " (default: $" + DrctlJar.VARIABLE + ", else the jar this command runs from). Without one, WAL is"
            + " copied into a volume instead.")
    Path jar;

    WalArchiving archiving(Path backups) {
      return WalArchiving.store(backups, DrctlJar.locate(jar, System.getenv(DrctlJar.VARIABLE), SandboxCommand.class));
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {"Creates or repairs the sandbox, waits until every container is healthy, seeds the dataset",
          "and writes the targets file. Healthy containers are kept. Exit status: 0 up, 1 failed (the failing",
          "container and its last log lines are printed), 2 bad options."})
  static final class Up extends SandboxAction {
    @Option(names = "--scale", paramLabel = "S",
        description = "Dataset size: scale 1 is about 10 MB, linear. Reseeds when the dataset has another scale"
            + " (default: keep the dataset, or seed scale 1 when there is none).")
    Integer scale;

    @Option(names = "--targets-out", paramLabel = "FILE",
        description = "Where to write the targets file (default: .state/sandbox-N.targets.json in the repository,"
            + " or $DRCTL_STATE).")
    Path targetsOut;

    @Mixin Jar jar;

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
      return SandboxCommand.up(sandbox, scale, targetsFile(sandbox.layout(), targetsOut), output.json(), out);
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = {"Removes the sandbox's containers and volumes (only those labelled with its name) and its backup",
          "store directory (only when up made it, unless --keep-backups)."})
  static final class Down extends SandboxAction {
    @Option(names = "--keep-backups", description = "Keep the backup store directory (base backups, WAL archive).")
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
      } else if (result.containers().isEmpty() && result.volumes().isEmpty() && result.backups() == null) {
        out.println("sandbox " + sandbox.layout().name() + ": nothing to remove");
      } else {
        out.println("sandbox " + sandbox.layout().name() + " is down: removed " + result.containers().size()
            + " containers and " + result.volumes().size() + " volumes"
            + (result.backups() == null ? "" : " and the backup store " + result.backups()));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Shows each container's state, port, Docker health and a live probe, the replica's lag and",
          "the dataset. Exit status: 0 healthy, 1 something is not."})
  static final class Status extends SandboxAction {
    @Option(names = "--verify", description = "Also recompute every table's row count and checksum against the manifest.")
    boolean verify;

    @Override
    int run(Sandbox sandbox, PrintWriter out) throws SQLException {
      SandboxStatus status = sandbox.status();
      Dataset.Verification verification = null;
      String verifyProblem = null;
      if (verify) {
        try (Connection connection = sandbox.primary()) {
          verification = Dataset.verify(connection);
        } catch (SQLException | SandboxException e) {
          verifyProblem = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        }
      }
      boolean healthy = status.healthy() && (!verify || (verification != null && verification.ok()));
      if (output.json()) {
        ObjectNode root = status.toJson(JSON);
        root.put("healthy", healthy);
        if (verify) {
          ObjectNode node = root.putObject("verification");
          node.put("ok", verification != null && verification.ok());
          if (verifyProblem != null) {
            node.put("error", verifyProblem);
          }
          ArrayNode tables = node.putArray("tables");
          if (verification != null) {
            for (Dataset.TableCheck check : verification.tables()) {
              ObjectNode table = tables.addObject();
              table.put("table", check.table());
              table.put("matches", check.matches());
              table.put("expectedRows", check.expectedRows());
              table.put("liveRows", check.liveRows());
              table.put("expectedChecksum", check.expectedChecksum());
              table.put("liveChecksum", check.liveChecksum());
            }
          }
        }
        out.println(write(root));
      } else {
        printStatus(status, out);
        if (verify) {
          if (verification == null) {
            out.println("verify    failed: " + verifyProblem);
          } else {
            out.println("verify    " + (verification.ok() ? "every table matches its manifest row count and checksum"
                : "MISMATCH in " + String.join(", ", verification.mismatches().stream()
                    .map(check -> check.table() + " (rows " + check.liveRows() + " of " + check.expectedRows() + ")")
                    .toList())));
          }
        }
        out.println(healthy ? "sandbox " + status.name() + " is healthy" : "sandbox " + status.name() + " is NOT healthy");
      }
      out.flush();
      return healthy ? 0 : UNHEALTHY;
    }
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "down, then up: a fresh sandbox with a freshly seeded dataset.")
  static final class Reset extends SandboxAction {
    @Option(names = "--scale", paramLabel = "S", description = "Dataset scale (default: 1).")
    Integer scale;

    @Option(names = "--targets-out", paramLabel = "FILE", description = "Where to write the targets file (as for up).")
    Path targetsOut;

    @Mixin Jar jar;

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
      return SandboxCommand.up(sandbox, scale, targetsFile(sandbox.layout(), targetsOut), output.json(), out);
    }
  }

  @Command(name = "notifications", mixinStandardHelpOptions = true,
      description = {"Prints what the sandbox's slack and pagerduty stand-ins received, oldest first, refused ones",
          "(a wrong token or routing key) marked. Needs no Docker engine: it asks the sinks over HTTP."})
  static final class Notifications implements Callable<Integer> {
    private static final long FOLLOW_INTERVAL_MILLIS = 1000;

    @Spec CommandSpec spec;
    @Mixin Which which;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new messages as they arrive, until interrupted.")
    boolean follow;

    /** json: one JSON object a message (id, service, receivedAt, status, body). */
    @Mixin FormatOption output;

    @Override
    public Integer call() throws InterruptedException {
      SandboxNotifications sinks = new SandboxNotifications(which.layout());
      PrintWriter out = spec.commandLine().getOut();
      String last = null;
      do {
        List<SandboxNotifications.Notification> found;
        try {
          found = sinks.after(last);
        } catch (SandboxException e) {
          throw new Failures.UserError(e.getMessage(), UNHEALTHY);
        }
        for (SandboxNotifications.Notification notification : found) {
          out.println(output.json() ? JSON_LINE.valueToTree(notification).toString() : notification.describe());
          last = notification.id();
        }
        out.flush();
        if (follow) {
          Thread.sleep(FOLLOW_INTERVAL_MILLIS);
        }
      } while (follow);
      return 0;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  /** Finds the shaded drctl jar the containers run: --drctl-jar, $DRCTL_JAR, or the jar this code runs from. */
  static final class DrctlJar {
    static final String VARIABLE = "DRCTL_JAR";
    /** A class only the shaded jar holds beside the CLI: the WAL archive of the store module. */
    private static final String SHADED_ENTRY = "io/drctl/store/wal/WalArchive.class";

    private DrctlJar() {}

    /** The jar, or {@code null} when none is given and this code does not run from the shaded jar. */
    static Path locate(Path option, String variable, Class<?> anchor) {
      if (option != null) {
        return requireShaded(option, "--drctl-jar");
      }
      if (variable != null && !variable.isBlank()) {
        return requireShaded(Path.of(variable), "$" + VARIABLE);
      }
      java.security.CodeSource source = anchor.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      try {
        Path own = Path.of(source.getLocation().toURI());
        return java.nio.file.Files.isRegularFile(own) && isShaded(own) ? own : null;
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    }

    private static Path requireShaded(Path jar, String from) {
      if (!java.nio.file.Files.isRegularFile(jar)) {
        throw new Failures.UserError(from + " " + jar + ": no such file (build it: mvn -q -B -pl worker -am package"
            + " -DskipTests makes worker/target/drctl.jar)");
      }
      if (!isShaded(jar)) {
        throw new Failures.UserError(from + " " + jar + ": not the shaded drctl jar (it lacks " + SHADED_ENTRY
            + "); use worker/target/drctl.jar");
      }
      return jar.toAbsolutePath();
    }

    private static boolean isShaded(Path jar) {
      try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
        return file.getEntry(SHADED_ENTRY) != null && file.getManifest() != null
            && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
      } catch (java.io.IOException e) {
        return false;
      }
    }
  }

  static Path targetsFile(SandboxLayout layout, Path given) {
    if (given != null) {
      return given;
    }
    return DevCommand.defaultStateDir(System.getenv("DRCTL_STATE"), Path.of("").toAbsolutePath())
        .resolve("sandbox-" + layout.name() + ".targets.json");
  }

  private static int up(Sandbox sandbox, Integer scale, Path targets, boolean json, PrintWriter out) {
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
      result.seeded().ifPresent(seeded -> {
        dataset.put("seededBytes", seeded.bytes());
        dataset.put("seedSeconds", seeded.took().toMillis() / 1000.0);
        dataset.put("megabytesPerSecond", Math.round(seeded.megabytesPerSecond() * 10) / 10.0);
      });
      out.println(write(root));
    } else {
      out.println();
      TextTable table = new TextTable("ROLE", "CONTAINER", "PORT", "UP");
      for (Role role : Role.values()) {
        table.row(role.suffix(), layout.container(role), String.valueOf(layout.port(role)), result.actions().get(role));
      }
      table.print(out);
      out.println();
      out.printf(Locale.ROOT, "sandbox %s is up in %.1f s; backend health %s%n", layout.name(),
          result.took().toMillis() / 1000.0, layout.healthUrl());
      out.println("targets file   " + result.targetsFile().toAbsolutePath());
      out.println("use it         (in the worker's shell) export PGPASSWORD=" + SandboxLayout.PASSWORD + " REDIS_PASSWORD="
          + SandboxLayout.REDIS_PASSWORD + " DNS_WEBHOOK_TOKEN=" + SandboxLayout.REGISTRY_TOKEN);
      out.println("               export SLACK_TOKEN=" + SandboxLayout.NOTIFY_TOKEN + " PAGERDUTY_ROUTING_KEY="
          + SandboxLayout.NOTIFY_TOKEN);
      out.println("               drctl start single_service_failure" + (layout.isDefault()
          ? "   (the runbook's own targets already match)" : " -t " + result.targetsFile()));
      out.println("               drctl sandbox notifications" + (layout.isDefault() ? "" : " --name " + layout.name())
          + "   (what the slack and pagerduty stand-ins received)");
    }
    out.flush();
    return 0;
  }

  private static void printStatus(SandboxStatus status, PrintWriter out) {
    out.println("sandbox   " + status.name() + " on " + status.engine());
    TextTable table = new TextTable("ROLE", "CONTAINER", "PORT", "STATE", "HEALTH", "PROBE");
    for (SandboxStatus.Service service : status.services()) {
      table.row(service.role().suffix(), service.container(), String.valueOf(service.port()), service.state(),
          service.health(), (service.probeOk() ? "ok: " : "FAIL: ") + service.probe());
    }
    table.print(out);
    SandboxStatus.Replication replication = status.replication();
    out.println("replica   " + (replication == null ? "unknown (primary unreachable)"
        : replication.state() + (replication.lagBytes() < 0 ? "" : ", " + replication.lagBytes() + " bytes behind")
            + (replication.replayLag() == null ? "" : ", replay lag " + replication.replayLag())));
    SandboxStatus.Archiver archiver = status.archiver();
    if (archiver == null) {
      out.println("archiver  unknown (primary unreachable)");
    } else {
      out.println("archiver  " + archiver.via() + (status.backups() == null ? "" : "; store " + status.backups()));
      out.println("          " + archiver.archivedCount() + " archived, last " + (archiver.lastArchivedWal() == null
          ? "none" : archiver.lastArchivedWal() + " at " + archiver.lastArchivedTime()) + "; " + archiver.failedCount()
          + " failed" + (archiver.lastFailedWal() == null ? ""
              : ", last " + archiver.lastFailedWal() + " at " + archiver.lastFailedTime())
          + (archiver.failing() ? "; FAILING: see docker logs " + status.services().stream()
              .filter(service -> service.role() == Role.PRIMARY).findFirst().map(SandboxStatus.Service::container)
              .orElse("the primary") : ""));
    }
    if (status.manifest().isEmpty()) {
      out.println("dataset   " + status.dataset());
    } else {
      out.printf(Locale.ROOT, "dataset   scale %d, %,d rows in %d tables, seeded %s%n", status.datasetScale(),
          status.datasetRows(), status.manifest().size(), status.manifest().get(0).createdAt());
    }
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
