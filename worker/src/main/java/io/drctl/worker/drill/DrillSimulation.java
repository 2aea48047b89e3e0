package io.drctl.worker.drill;

import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRouting;
import io.drctl.alerts.AlertRoutingException;
import io.drctl.catalog.ActionCatalog;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.worker.temporal.PlanCatalog;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflowImpl;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.StartRequest;
import io.drctl.workflow.StarterLookup;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code drctl drill --simulate}: the same runbooks through the same interpreter workflow, on
 * Temporal's in-memory Java test server inside this process, with a worker on a task queue of its
 * own whose only activity is the {@link RecordingActivity}: every action is recorded and answered,
 * none is carried out. Nothing outside this process is touched: no container, volume, database,
 * store, notification channel or other Temporal server. Prints the plan each scenario would run and
 * its predicted RTO from earlier drills' measured step durations.
 */
public final class DrillSimulation {
  static final String TASK_QUEUE = "drctl-simulate";
  static final String OPERATOR = "drctl-drill-simulator";
  private static final Duration INCIDENT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * @param stateDir where the simulation writes its runbook and targets files, and where real
   *     drills left their step durations
   * @param history the step durations of earlier real drills (absent: predictions from timeouts)
   * @param port the in-memory server's loopback port
   */
  public record Options(
      Path runbook, Path stateDir, SandboxLayout layout, Path history, int port) {}

  /** What the simulation predicts for one scenario. */
  public record Prediction(
      DrillScenario scenario,
      String outcome,
      StepPrediction steps,
      long rtoObjectiveMillis,
      int actionsRecorded) {}

  private DrillSimulation() {}

  public static List<Prediction> run(
      Options options, List<DrillScenario> scenarios, Consumer<String> say) throws Exception {
    Path state = options.stateDir().toAbsolutePath().resolve("simulate");
    Path targets =
        DrillTargets.write(
            state.resolve("targets.json"),
            options.layout(),
            options.runbook(),
            state.resolve("backups"),
            "http://127.0.0.1:1");
    CompiledRunbook runbook =
        DrillRunbook.write(
            options.runbook(), targets, scenarios, state.resolve("drill-runbook.json"));
    StepDurations history = StepDurations.read(options.history());
    say.accept(
        "simulate     every action answered by a recorder on Temporal's in-memory Java test server (this process,"
            + " 127.0.0.1:"
            + options.port()
            + ", task queue "
            + TASK_QUEUE
            + "); nothing outside it is touched");
    say.accept(
        "history      "
            + options.history()
            + (java.nio.file.Files.exists(options.history())
                ? ""
                : " (none yet: steps are predicted from their timeouts; a real drill records their durations)"));
    DevServer server =
        DevServer.start(
            new DevServer.Choice(DevServer.Kind.test, null, "--simulate"),
            new DevServerOptions(
                "127.0.0.1",
                options.port(),
                options.port(),
                state,
                DrillStack.NAMESPACE,
                Duration.ofSeconds(30)),
            launched -> {});
    try (server;
        TemporalConnection connection =
            TemporalConnection.open(
                TemporalSettings.plaintext(server.address(), DrillStack.NAMESPACE, TASK_QUEUE))) {
      new SearchAttributeRegistration(connection.operator(), DrillStack.NAMESPACE).ensure();
      RecordingActivity recorder = new RecordingActivity(ActionCatalog.standard());
      WorkerFactory factory = WorkerFactory.newInstance(connection.client());
      // The first workflow task of a cold JVM loads the interpreter's classes: more than the SDK's
      // 1 s.
      Worker worker =
          factory.newWorker(
              TASK_QUEUE,
              IncidentWorkflows.workerOptions().setDefaultDeadlockDetectionTimeout(10_000).build());
      worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          recorder,
          new PlanCatalog(runbook),
          new StarterLookup(connection.client().getWorkflowServiceStubs()));
      factory.start();
      try {
        IncidentFollower follower =
            new IncidentFollower(connection.client(), OPERATOR, true, "", line -> {});
        List<Prediction> predictions = new ArrayList<>();
        for (DrillScenario scenario : scenarios) {
          if (!scenario.runnable()) {
            say.accept("scenario     " + scenario.key() + ": skipped, " + scenario.skipReason());
            continue;
          }
          predictions.add(
              simulate(scenario, runbook, connection, follower, recorder, history, say));
        }
        return predictions;
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Prediction simulate(
      DrillScenario scenario,
      CompiledRunbook runbook,
      TemporalConnection connection,
      IncidentFollower follower,
      RecordingActivity recorder,
      StepDurations history,
      Consumer<String> say)
      throws InterruptedException {
    Instant now = Instant.now();
    Map<String, String> labels =
        DrillRunbook.labels(
            scenario,
            Map.of(
                "until",
                now.minus(1, ChronoUnit.MINUTES).toString(),
                "tables",
                Injections.DAMAGED_TABLE));
    Alert alert =
        new Alert(
            "drill-simulate",
            Alert.FIRING,
            labels,
            Map.of("summary", "simulated: " + scenario.seedRow()),
            null,
            now.toString(),
            now.toString());
    AlertRouting.Routed routed;
    try {
      routed =
          runbook
              .alerts()
              .route(alert)
              .orElseThrow(
                  () -> new DrillException("no route takes the alert of " + scenario.key()));
    } catch (AlertRoutingException e) {
      throw new DrillException(
          "the alert of " + scenario.key() + " cannot be routed: " + e.getMessage(), e);
    }
    Plan plan = runbook.plan(routed.incident()).orElseThrow();
    String id = "simulate/" + routed.workflowId();
    StartRequest request =
        new StartRequest(
            plan,
            routed.inputs(),
            "drctl drill --simulate (alert " + alert.name() + ")",
            "simulated " + scenario.seedRow(),
            alert);
    connection
        .client()
        .newUntypedWorkflowStub(
            plan.type(), IncidentLaunch.options(request, id, TASK_QUEUE).build())
        .start(IncidentLaunch.envelope(request));
    IncidentReport report = follower.follow(id, INCIDENT_TIMEOUT);
    int calls =
        (int) recorder.calls().stream().filter(call -> call.workflowId().equals(id)).count();
    StepPrediction steps = StepPrediction.of(plan, report, history);
    long objective = Durations.parse(plan.objectives().rto()).toMillis();
    say.accept("");
    say.accept(
        "scenario     "
            + scenario.key()
            + " ("
            + scenario.seedRow()
            + "): "
            + plan.type()
            + ", "
            + steps.steps().size()
            + " steps would run, "
            + calls
            + " actions recorded, simulated outcome "
            + report.outcome());
    for (StepPrediction.Step step : steps.steps()) {
      say.accept(
          String.format(
              java.util.Locale.ROOT,
              "  %-18s %-24s %-10s %9s  (%s – %s; %s)",
              step.id(),
              step.action(),
              step.status(),
              millis(step.predictedMillis()),
              millis(step.minMillis()),
              millis(step.maxMillis()),
              step.basis()));
    }
    say.accept(
        "  predicted RTO "
            + millis(steps.predictedMillis())
            + " (range "
            + millis(steps.minMillis())
            + " – "
            + millis(steps.maxMillis())
            + "), objective "
            + plan.objectives().rto());
    return new Prediction(scenario, report.outcome(), steps, objective, calls);
  }

  /** A duration for people: 850 ms, 12.3 s, 4m 05s. */
  static String millis(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return String.format(java.util.Locale.ROOT, "%dm %02ds", millis / 60_000, (millis / 1000) % 60);
  }
}
