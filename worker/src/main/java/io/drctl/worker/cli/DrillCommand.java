package io.drctl.worker.cli;

import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.drill.Drill;
import io.drctl.worker.drill.DrillException;
import io.drctl.worker.drill.DrillReportFiles;
import io.drctl.worker.drill.DrillScenario;
import io.drctl.worker.drill.DrillScenarios;
import io.drctl.worker.drill.DrillSimulation;
import io.drctl.worker.drill.DrillSummaryText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl drill}: the main job. Sets the whole platform up, breaks it scenario by scenario,
 * lets the runbook's incidents recover it, and prints the seed's SLA table with measured RTO and
 * data lost; {@code --simulate} predicts the same without touching anything.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Breaks the sandbox platform scenario by scenario for real, lets the runbook's incidents recover it,",
      "and prints the seed's SLA table with measured RTO and data lost (also as JSON and HTML in --report DIR).",
      "Sets up what it needs: a Temporal server (the CLI's dev server, else the Java test server), S3Proxy, the",
      "sandbox, a worker with the alert receiver, and the baseline backups; tears it all down unless --keep.",
      "Exit status: 0 every scenario met its objectives, 1 one failed or missed one, 2 bad arguments or set-up."
    })
final class DrillCommand implements Callable<Integer> {
  static final int MISSED = 1;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "SCENARIO",
      arity = "0..*",
      description = "Scenarios to run, in this order (--list names them).")
  List<String> names = new ArrayList<>();

  @Option(names = "--all", description = "Every scenario of the seed's SLA table, in its order.")
  boolean all;

  @Option(names = "--list", description = "List the scenarios and exit.")
  boolean list;

  @Option(
      names = "--simulate",
      description =
          "Run the same incidents through the same interpreter with every action answered"
              + " by a recorder; print the plan and a predicted RTO per scenario. Touches nothing.")
  boolean simulate;

  @Option(
      names = "--auto-approve",
      description =
          "Approve every gate as the drill operator '"
              + Drill.OPERATOR
              + "';"
              + " otherwise the drill prints the drctl approve to type and waits.")
  boolean autoApprove;

  @Option(
      names = "--keep",
      description = "Leave the sandbox up afterwards (the server and worker stop).")
  boolean keep;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Where drill.json, drill.html and step-durations.json go"
              + " (default: .state/drill/report in the repository, or under $DRCTL_STATE).")
  Path reportDir;

  @Option(
      names = "--scale",
      paramLabel = "S",
      description = "Dataset scale of the sandbox (default: keep its dataset, else 1).")
  Integer scale;

  @Option(
      names = "--server",
      defaultValue = "auto",
      paramLabel = "KIND",
      description =
          "auto (the Temporal CLI's dev server if found), cli, or test (the Java test server); default: ${DEFAULT-VALUE}.")
  DevServer.Kind server;

  @Option(
      names = "--port",
      defaultValue = "7233",
      paramLabel = "PORT",
      description = "Temporal's gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      description = "Web UI port (default: --port + 1000).")
  Integer uiPort;

  @Option(
      names = "--receiver-port",
      defaultValue = "9095",
      paramLabel = "PORT",
      description = "The alert receiver's loopback port (default: ${DEFAULT-VALUE}).")
  int receiverPort;

  @Option(
      names = "--incident-timeout",
      defaultValue = "30",
      paramLabel = "MINUTES",
      description =
          "How long one incident may run before its scenario fails (default: ${DEFAULT-VALUE}).")
  int incidentTimeoutMinutes;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "The drill's own state: the server's database, logs,"
              + " its runbook and targets files, the step durations of real drills (default: .state/drill in the repository,"
              + " or $DRCTL_STATE/drill).")
  Path stateDir;

  @Option(
      names = {"-r", "--runbook"},
      paramLabel = "FILE",
      defaultValue = RunbookSource.DEFAULT_RUNBOOK,
      description = "Runbook JSON file (default: ${DEFAULT-VALUE}).")
  Path runbook;

  @Mixin SandboxCommand.Which which;
  @Mixin SandboxCommand.Backups backups;
  @Mixin SandboxCommand.Jar jar;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DrillScenarios registry = DrillScenarios.standard();
    if (list) {
      registry
          .all()
          .forEach(
              scenario ->
                  out.println(
                      String.format(
                          "%-28s %-44s %s",
                          scenario.key(),
                          scenario.seedRow(),
                          scenario.runnable()
                              ? scenario.workflowId()
                              : "skipped: " + scenario.skipReason())));
      out.flush();
      return 0;
    }
    List<DrillScenario> scenarios = select(registry);
    checkOptions();
    SandboxLayout layout = which.layout();
    Path state =
        stateDir != null
            ? stateDir
            : DevCommand.defaultStateDir(System.getenv("DRCTL_STATE"), Path.of("").toAbsolutePath())
                .resolve("drill");
    Path reports = reportDir != null ? reportDir : state.resolve("report");
    Consumer<String> say =
        line -> {
          out.println(line);
          out.flush();
        };
    try {
      if (simulate) {
        Path history =
            Files.exists(reports.resolve("step-durations.json"))
                ? reports.resolve("step-durations.json")
                : state.resolve("step-durations.json");
        List<DrillSimulation.Prediction> predictions =
            DrillSimulation.run(
                new DrillSimulation.Options(runbook, state, layout, history, port), scenarios, say);
        out.println();
        out.print(DrillSummaryText.predictions(predictions));
        out.flush();
        return 0;
      }
      Drill.Options options =
          new Drill.Options(
              runbook,
              state,
              layout,
              scale,
              server,
              port,
              uiPort != null ? uiPort : port + 1000,
              receiverPort,
              backups.directory(layout),
              jar.archiving(backups.directory(layout)).drctlJar(),
              keep,
              reports,
              autoApprove,
              Duration.ofMinutes(incidentTimeoutMinutes));
      DrillReportFiles.Summary summary = Drill.run(options, scenarios, say);
      out.println();
      out.print(DrillSummaryText.table(summary));
      out.println(
          "report: " + reports.resolve("drill.html") + ", " + reports.resolve("drill.json"));
      out.flush();
      return summary.passed() ? 0 : MISSED;
    } catch (DrillException | SandboxException | TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage());
    }
  }

  private List<DrillScenario> select(DrillScenarios registry) {
    if (all && !names.isEmpty()) {
      throw new Failures.UserError("name scenarios or give --all, not both");
    }
    if (!all && names.isEmpty()) {
      throw new Failures.UserError(
          "name the scenarios to run, or --all (drctl drill --list names them)");
    }
    try {
      return all ? List.copyOf(registry.all()) : registry.select(names);
    } catch (DrillException e) {
      throw new Failures.UserError(e.getMessage());
    }
  }

  private void checkOptions() {
    if (scale != null && scale < 1) {
      throw new Failures.UserError("--scale " + scale + ": must be 1 or more");
    }
    for (int value :
        uiPort == null ? new int[] {port, receiverPort} : new int[] {port, receiverPort, uiPort}) {
      if (value < 1 || value > 65535) {
        throw new Failures.UserError("port " + value + ": not a port (1 to 65535)");
      }
    }
    if (incidentTimeoutMinutes < 1) {
      throw new Failures.UserError(
          "--incident-timeout " + incidentTimeoutMinutes + ": must be at least 1 minute");
    }
    if (!Files.isRegularFile(runbook)) {
      throw new Failures.UserError(
          runbook
              + ": no such file"
              + (runbook.toString().equals(RunbookSource.DEFAULT_RUNBOOK)
                  ? " (run from the repository root, or give --runbook FILE)"
                  : ""));
    }
  }
}
