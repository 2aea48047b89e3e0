package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a drill runs on, set up from nothing and taken down again: a Temporal server (the
 * Temporal CLI's dev server, or the Java test server when there is no CLI, said plainly), S3Proxy
 * as the runbook's {@code backups-s3}, the sandbox with its dataset, the drill's runbook and
 * targets, and one {@code drctl worker} JVM with the alert receiver inside it.
 *
 * <p>Call rules: {@link #start} once; {@link #close} once; it stops what start started, newest
 * first, and takes the sandbox down unless told to keep it.
 */
final class DrillStack implements AutoCloseable {
  static final String TASK_QUEUE = "drctl-drill";
  static final String NAMESPACE = "default";
  static final String HOST = "127.0.0.1";
  private static final String TOKEN_VARIABLE = "DRCTL_DRILL_ALERT_TOKEN";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Where and how to set up.
   *
   * @param stateDir the drill's own state: server database, logs, runbook and targets files
   * @param backups the sandbox's local backup store (its WAL archive too)
   * @param drctlJar the shaded jar the PostgreSQL containers archive WAL with, or null to copy WAL
   *     into a volume
   */
  record Options(
      Path runbook,
      Path stateDir,
      SandboxLayout layout,
      Integer scale,
      DevServer.Kind server,
      int temporalPort,
      int uiPort,
      int receiverPort,
      Path backups,
      Path drctlJar,
      boolean keep) {}

  private final Options options;
  private final Consumer<String> say;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private DevServer server;
  private WorkerProcess worker;
  private DrillPlatform platform;
  private Sandbox sandbox;
  private TemporalConnection connection;
  private CompiledRunbook runbook;
  private String receiverUrl;
  private String token;

  private DrillStack(Options options, Consumer<String> say) {
    this.options = options;
    this.say = say;
  }

  /**
   * Sets everything up; on failure, stops what it had started and throws.
   *
   * @throws DrillException naming what could not be set up
   */
  static DrillStack start(
      Options options, Collection<DrillScenario> scenarios, Consumer<String> say) throws Exception {
    DrillStack stack = new DrillStack(options, say);
    // Ctrl-C or SIGTERM: the server, worker, S3Proxy and sandbox go too, as after a normal end.
    Thread hook =
        new Thread(
            () -> {
              try {
                stack.close();
              } catch (Exception e) {
                say.accept("tear-down    incomplete: " + e.getMessage());
              }
            },
            "drill-tear-down");
    Runtime.getRuntime().addShutdownHook(hook);
    stack.started.add(
        () -> {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself: nothing to remove.
          }
        });
    try {
      stack.setUp(scenarios);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void setUp(Collection<DrillScenario> scenarios) throws Exception {
    Path state = options.stateDir().toAbsolutePath();
    Files.createDirectories(state);
    startServer(state.resolve("temporal"));
    bringUpSandbox(state);
    say.accept(
        "S3           the sandbox's S3 store (S3Proxy, the secondary site) at "
            + options.layout().s3Endpoint()
            + ", bucket "
            + SandboxLayout.S3_BUCKET
            + " (the runbook's backups-s3)");
    Path targets = writeTargets(state.resolve("targets.json"));
    runbook =
        DrillRunbook.write(
            options.runbook(), targets, scenarios, state.resolve("drill-runbook.json"));
    say.accept(
        "runbook      "
            + runbook.file()
            + " ("
            + options.runbook()
            + " plus the drill's alert routes), targets "
            + targets);
    startWorker(state, targets);
    connection =
        TemporalConnection.open(TemporalSettings.plaintext(address(), NAMESPACE, TASK_QUEUE));
    started.push(connection);
  }

  private void startServer(Path state) throws IOException {
    // A fresh server state each drill: the receiver's cooldowns and workflow ids start over.
    if (Files.isDirectory(state)) {
      try (var files = Files.list(state)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
    DevServer.Choice choice =
        DevServer.choose(
            options.server(), System::getenv, Path.of(System.getProperty("user.home")));
    say.accept(
        "set-up       starting "
            + (choice.kind() == DevServer.Kind.cli
                ? "the Temporal CLI's dev server"
                : "Temporal's Java test server (in memory, no Web UI: " + choice.reason() + ")")
            + " on "
            + HOST
            + ":"
            + options.temporalPort());
    server =
        DevServer.start(
            choice,
            new DevServerOptions(
                HOST,
                options.temporalPort(),
                options.uiPort(),
                state,
                NAMESPACE,
                Duration.ofSeconds(60)),
            launched -> started.push(launched));
    say.accept(
        "server       "
            + server.description()
            + server.webUi().map(ui -> "; Web UI " + ui).orElse(""));
  }

  private void bringUpSandbox(Path state) {
    SandboxEngine engine = SandboxEngine.fromEnvironment();
    started.push(engine);
    DockerClient docker = DockerClients.open(DockerOptions.defaults());
    started.push(docker);
    // The set-up's progress is shown; between scenarios the runner says in one line what up
    // repaired.
    java.util.concurrent.atomic.AtomicBoolean setUp =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    sandbox =
        new Sandbox(
            engine,
            options.layout(),
            SandboxImages.fromEnvironment(System.getenv()),
            WalArchiving.store(options.backups(), options.drctlJar()),
            line -> {
              if (setUp.get()) {
                say.accept("sandbox      " + line);
              }
            });
    if (!options.keep()) {
      started.push(
          () -> {
            say.accept(
                "tear-down    sandbox "
                    + options.layout().name()
                    + ": "
                    + sandbox.down().containers().size()
                    + " containers removed");
          });
    }
    say.accept(
        "set-up       sandbox "
            + options.layout().name()
            + " on the Docker engine "
            + engine.host());
    Sandbox.UpOptions up =
        new Sandbox.UpOptions(options.scale(), state.resolve("sandbox.targets.json"));
    try {
      sandbox.up(up);
    } catch (io.drctl.sandbox.SandboxException e) {
      // On a loaded machine a health check can run out of time; up keeps what is healthy and
      // repairs the rest.
      say.accept(
          "set-up       the sandbox is not healthy yet ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); once more");
      sandbox.up(up);
    }
    setUp.set(false);
    platform = new DrillPlatform(sandbox, engine, docker);
  }

  private Path writeTargets(Path file) throws IOException {
    return DrillTargets.write(
        file,
        options.layout(),
        options.runbook(),
        options.backups(),
        options.layout().s3Endpoint());
  }

  private void startWorker(Path state, Path targets) throws InterruptedException {
    token = hex(24);
    Map<String, String> environment =
        new LinkedHashMap<>(
            Map.of(
                "PGPASSWORD",
                SandboxLayout.PASSWORD,
                "REDIS_PASSWORD",
                SandboxLayout.REDIS_PASSWORD,
                "DNS_WEBHOOK_TOKEN",
                SandboxLayout.REGISTRY_TOKEN,
                "SLACK_TOKEN",
                "Bearer " + SandboxLayout.NOTIFY_TOKEN,
                "PAGERDUTY_ROUTING_KEY",
                SandboxLayout.NOTIFY_TOKEN,
                "DRCTL_S3_ACCESS_KEY_ID",
                SandboxLayout.S3_ACCESS_KEY,
                "DRCTL_S3_SECRET_ACCESS_KEY",
                SandboxLayout.S3_SECRET_KEY,
                TOKEN_VARIABLE,
                token));
    worker =
        WorkerProcess.start(
            List.of(
                "--address",
                address(),
                "--task-queue",
                TASK_QUEUE,
                "--runbook",
                runbook.file(),
                "--targets",
                targets.toString(),
                "--receiver-host",
                HOST,
                "--receiver-port",
                String.valueOf(options.receiverPort()),
                "--receiver-token",
                "env:" + TOKEN_VARIABLE),
            environment,
            state.resolve("worker.log"));
    started.push(worker);
    receiverUrl = "http://" + HOST + ":" + options.receiverPort();
    say.accept(
        "worker       drctl worker (pid "
            + worker.pid()
            + ") on task queue "
            + TASK_QUEUE
            + ", alert receiver at "
            + receiverUrl
            + ", log "
            + state.resolve("worker.log"));
  }

  String address() {
    return HOST + ":" + options.temporalPort();
  }

  DevServer server() {
    return server;
  }

  /**
   * When the drill's own Temporal server or worker has ended: which, and why as far as its log
   * says; empty while both run. No incident can run without them.
   */
  Optional<String> down() {
    Optional<String> gone = server.exited();
    return gone.isPresent() ? gone : worker.exited();
  }

  DrillPlatform platform() {
    return platform;
  }

  TemporalConnection connection() {
    return connection;
  }

  CompiledRunbook runbook() {
    return runbook;
  }

  /** The receiver's base URL, e.g. {@code http://127.0.0.1:9095}. */
  String receiverUrl() {
    return receiverUrl;
  }

  /** The bearer token the receiver requires. */
  String receiverToken() {
    return token;
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  @Override
  public synchronized void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
