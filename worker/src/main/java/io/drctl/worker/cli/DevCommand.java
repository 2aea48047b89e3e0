package io.drctl.worker.cli;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.Plan;
import io.drctl.runbook.InputSpec;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.CodecOptions;
import io.drctl.worker.codec.CodecServer;
import io.drctl.worker.codec.EncryptionCodec;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.schedules.ScheduleSync;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentWorkflows;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drctl dev}: a Temporal server and a worker in one command, for trying runbooks on one
 * machine. Ctrl-C stops the worker, then the server; nothing is left running.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local Temporal server and a worker in one process.",
      "The server is the Temporal CLI's dev server (state in SQLite, Web UI) when the CLI is installed,",
      "else the in-memory Java test server. Ctrl-C stops both."
    })
class DevCommand implements Callable<Integer> {
  static final String NAMESPACE = "default";
  static final String HOST = "127.0.0.1";

  /** How often {@code drctl dev} looks whether its Temporal server is still running. */
  private static final Duration SERVER_CHECK = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      defaultValue = "auto",
      paramLabel = "KIND",
      description =
          "auto (the CLI if found), cli, or test (the in-memory Java test server); default: ${DEFAULT-VALUE}.")
  DevServer.Kind server;

  @Option(
      names = "--port",
      defaultValue = "7233",
      paramLabel = "PORT",
      description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      description = "Web UI port (default: --port + 1000, so 8233).")
  Integer uiPort;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the server keeps its SQLite file and log (default: $DRCTL_STATE, else .state/ in the repository).")
  Path stateDir;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      defaultValue = "${env:DRCTL_TASK_QUEUE:-" + IncidentWorkflows.DEFAULT_TASK_QUEUE + "}",
      description = "Task queue (default: ${DEFAULT-VALUE}).")
  String taskQueue;

  @Mixin WorkerOptions worker;

  @Mixin CodecOptions codec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    checkPort("--port", port);
    int ui = uiPort != null ? uiPort : port + 1000;
    checkPort("--ui-port", ui);
    if (ui == port) {
      throw new Failures.UserError("--ui-port " + ui + ": the same as --port");
    }
    CompiledRunbook runbook = worker.runbook.compile(spec.commandLine().getErr());
    CodecKeys keys;
    try {
      keys = codec.validate();
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    Path state =
        stateDir != null
            ? stateDir
            : defaultStateDir(System.getenv("DRCTL_STATE"), Path.of("").toAbsolutePath());
    DevServer.Choice choice;
    try {
      choice = DevServer.choose(server, System::getenv, Path.of(System.getProperty("user.home")));
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    out.println(
        "drctl dev: starting "
            + (choice.kind() == DevServer.Kind.cli
                ? "the Temporal dev server"
                : "the Java test server")
            + " on "
            + HOST
            + ":"
            + port
            + " ("
            + choice.reason()
            + ")");
    out.flush();
    try (WorkerSession session = new WorkerSession(spec.commandLine().getErr())) {
      DevServerOptions serverOptions =
          new DevServerOptions(HOST, port, ui, state, NAMESPACE, Duration.ofSeconds(60));
      String codecEndpoint = null;
      if (keys != null && choice.kind() == DevServer.Kind.cli) {
        codecEndpoint = serveCodecToTheUi(session, keys, ui);
        serverOptions = serverOptions.withUiCodecEndpoint(codecEndpoint);
      }
      DevServer running;
      try {
        running =
            DevServer.start(
                choice,
                serverOptions,
                launched ->
                    session.onStop(
                        "Temporal server",
                        () -> {
                          out.println("drctl: stopping the Temporal server");
                          out.flush();
                          launched.close();
                        }));
      } catch (TemporalSetupException e) {
        throw new Failures.UserError(e.getMessage(), e.exitCode());
      }
      TemporalSettings settings =
          TemporalSettings.plaintext(running.address(), NAMESPACE, taskQueue).withCodec(keys);
      if (worker.ui.url == null || worker.ui.url.isBlank()) {
        worker.ui.url = running.webUi().orElse(null); // notifications link to this server's own UI
      }
      WorkerCommand.Booted booted = WorkerCommand.boot(session, settings, runbook, worker, out);
      String schedules = syncSchedules(choice.kind(), runbook, booted, out);
      banner(out, running, settings, runbook, booted, schedules, codecEndpoint);
      while (!session.awaitSignal(SERVER_CHECK)) {
        Optional<String> exited = running.exited();
        if (exited.isPresent() && !session.stopping()) {
          // The worker would go on polling a server that is gone; stop it and say why. (A signal
          // stops the server too: stopping() waits for it and says so.)
          throw new Failures.UserError(
              exited.get() + "\ndrctl dev: stopping the worker; start drctl dev again to go on",
              TemporalSetupException.UNAVAILABLE);
        }
      }
    }
    return 0;
  }

  /**
   * With encryption on, the dev server's Web UI would show only ciphertext: serve drctl's codec
   * server on a free loopback port for the UI's origin, and point the UI at it.
   *
   * @return the codec server's URL
   */
  private static String serveCodecToTheUi(WorkerSession session, CodecKeys keys, int uiPort) {
    CodecServer codecServer;
    try {
      codecServer =
          CodecServer.start(
              new EncryptionCodec(keys),
              new CodecServer.Options(
                  HOST,
                  0,
                  List.of("http://" + HOST + ":" + uiPort, "http://localhost:" + uiPort),
                  null));
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    session.onStop("codec server", codecServer::close);
    return "http://" + HOST + ":" + codecServer.port();
  }

  /**
   * Makes the real dev server's Schedules match the runbook. The Java test server has no Schedules
   * API: say so in one line and go on, as the incidents still run there when started by hand.
   *
   * @return the banner's line about schedules, or null when the runbook has none
   */
  private String syncSchedules(
      DevServer.Kind kind, CompiledRunbook runbook, WorkerCommand.Booted booted, PrintWriter out) {
    if (runbook.schedules().isEmpty()) {
      return null;
    }
    if (kind != DevServer.Kind.cli) {
      out.println(
          "drctl dev: schedules do not run on the Java test server (it has no Schedules API); the runbook's "
              + runbook.schedules().size()
              + " schedules are not synced");
      out.flush();
      return "none run on the Java test server";
    }
    out.println("drctl dev: syncing the runbook's " + runbook.schedules().size() + " schedules");
    try {
      SchedulesCommand.sync(
          new ScheduleSync(
              booted.connection().schedules(), runbook, booted.connection().settings().taskQueue()),
          false,
          out,
          booted.connection());
      return runbook.schedules().size() + " in sync; drctl schedules list shows their next runs";
    } catch (Failures.UserError e) {
      // The worker serves the incidents whether or not their schedules could be made; say why not
      // and go on.
      out.println("drctl dev: schedules not synced: " + e.getMessage());
      out.flush();
      return "not synced (see above)";
    }
  }

  private void banner(
      PrintWriter out,
      DevServer running,
      TemporalSettings settings,
      CompiledRunbook runbook,
      WorkerCommand.Booted booted,
      String schedules,
      String codecEndpoint) {
    out.println();
    out.println("server       " + running.description());
    if (!running.persistent()) {
      out.println("             state lives in memory; a restart loses all incidents");
    }
    out.println("address      " + settings.address());
    out.println("namespace    " + settings.namespace());
    out.println("task queue   " + settings.taskQueue());
    if (settings.codec() != null) {
      out.println(
          "payloads     encrypted under key "
              + settings.codec().writeKeyId()
              + " (keys from "
              + settings.codec().source()
              + "); "
              + (codecEndpoint != null
                  ? "the Web UI decrypts them through drctl's codec server at " + codecEndpoint
                  : "drctl codec-server decrypts them for the Web UI"));
    }
    out.println(
        "Web UI       "
            + running
                .webUi()
                .orElse(
                    "none (the Java test server has no Web UI; install the Temporal CLI"
                        + " with bin/setup temporal for one)"));
    out.println("runbook      " + worker.runbook.file + ", " + WorkerCommand.describe(runbook));
    out.println("             " + booted.searchAttributes().summary());
    if (schedules != null) {
      out.println("schedules    " + schedules);
    }
    if (booted.metrics() != null) {
      out.println("metrics      http://localhost:" + booted.metrics().port() + "/metrics");
    }
    if (booted.receiver() != null) {
      out.println("alerts       " + booted.receiver());
    }
    out.println();
    out.println("In another shell:");
    out.println(
        "  export TEMPORAL_ADDRESS="
            + settings.address()
            + (settings.taskQueue().equals(IncidentWorkflows.DEFAULT_TASK_QUEUE)
                ? ""
                : " DRCTL_TASK_QUEUE=" + settings.taskQueue()));
    out.println("  drctl start " + example(runbook) + " --reason 'trying drctl'");
    out.println("  drctl list");
    out.println("  drctl watch ID");
    out.println("  drctl approve ID --reason 'checked it'");
    if (running.webUi().isPresent()) {
      out.println(
          "or start one from the Web UI: Start Workflow, task queue "
              + settings.taskQueue()
              + ", workflow type = an incident type, input = the inputs as a JSON object.");
    }
    out.println();
    out.println("Ctrl-C stops the worker, then the server.");
    out.flush();
  }

  /**
   * An incident to suggest: the first that needs no input, with a runbook flag when not the
   * default.
   */
  private String example(CompiledRunbook runbook) {
    Plan chosen =
        runbook.plans().values().stream()
            .filter(plan -> plan.inputs().values().stream().noneMatch(InputSpec::mustBeGiven))
            .findFirst()
            .orElse(runbook.plans().values().iterator().next());
    StringBuilder text = new StringBuilder(chosen.type());
    if (!worker.runbook.file.toString().equals(RunbookSource.DEFAULT_RUNBOOK)) {
      text.append(" --runbook ").append(worker.runbook.file);
    }
    for (Map.Entry<String, InputSpec> input : chosen.inputs().entrySet()) {
      if (input.getValue().mustBeGiven()) {
        text.append(" --input ").append(input.getKey()).append("=...");
      }
    }
    return text.toString();
  }

  /** $DRCTL_STATE, else .state/ in the repository holding the working directory, else in it. */
  static Path defaultStateDir(String drctlState, Path workingDirectory) {
    if (drctlState != null && !drctlState.isBlank()) {
      return Path.of(drctlState);
    }
    for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("runbooks"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir.resolve(".state");
      }
    }
    return workingDirectory.resolve(".state");
  }

  private static void checkPort(String option, int value) {
    if (value < 1 || value > 65535) {
      throw new Failures.UserError(option + " " + value + ": not a port (1 to 65535)");
    }
  }
}
