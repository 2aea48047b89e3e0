package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.plan.Plan;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.report.HistoryReport;
import io.drctl.worker.report.IncidentHistory;
import io.drctl.worker.report.IncidentRecord;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.StartRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real drill: the stack set up, the baseline backups taken by the runbook's backup incident, the
 * writers started, each scenario run, the reports written, and the stack taken down.
 */
public final class Drill {
  /** Who approves gates with {@code --auto-approve}; recorded in every incident's history. */
  public static final String OPERATOR = "drctl-drill";

  static final String BASELINE_INCIDENT = "backup_daily";

  /**
   * The steps of {@link #BASELINE_INCIDENT} that make the schedule's S3 copy of the database before
   * a fail-over to the secondary site.
   */
  static final List<String> S3_COPY_STEPS = List.of("pg_dump", "verify_dump", "replicate");

  private static final Duration BASELINE_TIMEOUT = Duration.ofMinutes(20);

  /**
   * How to run it.
   *
   * @param stateDir the drill's own state: server database, logs, runbook and targets files, and
   *     the step durations of earlier drills
   * @param backups the sandbox's local backup store (its WAL archive too)
   * @param drctlJar the shaded jar the PostgreSQL containers archive WAL with, or null to copy WAL
   *     into a volume
   * @param reportDir where drill.json, drill.html and the step durations go
   * @param incidentTimeout how long one incident may run before its scenario fails
   */
  public record Options(
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
      boolean keep,
      Path reportDir,
      boolean autoApprove,
      Duration incidentTimeout) {
    DrillStack.Options stack() {
      return new DrillStack.Options(
          runbook,
          stateDir,
          layout,
          scale,
          server,
          temporalPort,
          uiPort,
          receiverPort,
          backups,
          drctlJar,
          keep);
    }
  }

  private Drill() {}

  /**
   * Runs {@code scenarios} and writes the reports.
   *
   * @return what it found; {@link DrillReportFiles.Summary#passed()} decides the exit status
   * @throws DrillException when the set-up or the baseline backups fail (no scenario ran)
   */
  public static DrillReportFiles.Summary run(
      Options options, List<DrillScenario> scenarios, Consumer<String> say) throws Exception {
    Instant startedAt = Instant.now();
    Path durationsFile = options.stateDir().resolve(StepDurations.FILE);
    StepDurations durations = StepDurations.read(durationsFile);
    try (DrillStack stack = DrillStack.start(options.stack(), scenarios, say)) {
      TemporalConnection connection = stack.connection();
      String flags = "--address " + stack.address() + " --task-queue " + DrillStack.TASK_QUEUE;
      IncidentFollower follower =
          new IncidentFollower(connection.client(), OPERATOR, options.autoApprove(), flags, say);
      List<String> incidents = new ArrayList<>();
      IncidentReport baseline =
          backup(
              stack,
              follower,
              baselinePlan(stack),
              BASELINE_INCIDENT + "/drill-baseline",
              "baseline backups before the drill's failures",
              say);
      incidents.add(baseline.incidentId());
      durations.add(baseline);
      Plan s3Copy =
          DrillRunbook.cutPlan(
              Path.of(stack.runbook().file()),
              options.stateDir().resolve("targets.json"),
              BASELINE_INCIDENT,
              S3_COPY_STEPS,
              options.stateDir().resolve("drill-s3-copy.json"));
      stack
          .platform()
          .backupSchedule(
              () ->
                  incidents.add(
                      backup(
                              stack,
                              follower,
                              s3Copy,
                              BASELINE_INCIDENT + "/drill-s3-copy-" + incidents.size(),
                              "the schedule's S3 copy of the database ("
                                  + String.join(", ", S3_COPY_STEPS)
                                  + ")",
                              say)
                          .incidentId()));
      Map<DrillScenario.WriterKind, AcknowledgedWriter> writers =
          new EnumMap<>(DrillScenario.WriterKind.class);
      writers.put(DrillScenario.WriterKind.postgres, new PostgresWriter(stack.platform()));
      writers.put(DrillScenario.WriterKind.redis, new RedisWriter(stack.platform()));
      writers.values().forEach(AcknowledgedWriter::start);
      List<ScenarioResult> results = new ArrayList<>();
      try {
        ScenarioRunner runner =
            new ScenarioRunner(
                stack.platform(),
                options.stateDir().resolve("sandbox.targets.json"),
                stack.runbook().plans(),
                new AlertmanagerWebhook(stack.receiverUrl(), stack.receiverToken()),
                follower,
                writers,
                options.incidentTimeout(),
                say,
                stack::down);
        for (DrillScenario scenario : scenarios) {
          ScenarioResult result = runner.run(scenario);
          results.add(result);
          if (result.workflowId() != null && result.outcome() != null) {
            incidents.add(result.workflowId());
            durations.add(report(connection, result.workflowId()));
          }
        }
      } finally {
        for (AcknowledgedWriter writer : writers.values()) {
          writer.close();
        }
      }
      durations.write(durationsFile);
      durations.write(options.reportDir().resolve(StepDurations.FILE));
      DrillReportFiles.Summary summary =
          new DrillReportFiles.Summary(
              startedAt.toString(),
              Instant.now().toString(),
              Machine.describe(),
              stack.server().description(),
              results);
      DrillReportFiles.write(options.reportDir(), summary, records(connection, incidents));
      return summary;
    }
  }

  /**
   * The runbook's daily backup incident, whole: dumps, base backup, Redis RDB and AOF, verified and
   * copied to S3.
   */
  private static Plan baselinePlan(DrillStack stack) {
    return stack
        .runbook()
        .plan(BASELINE_INCIDENT)
        .orElseThrow(
            () ->
                new DrillException(
                    stack.runbook().file()
                        + " has no incident "
                        + BASELINE_INCIDENT
                        + " to take the baseline backups with"));
  }

  /** Runs backup {@code plan} as incident {@code id} and waits for it to succeed. */
  private static IncidentReport backup(
      DrillStack stack,
      IncidentFollower follower,
      Plan plan,
      String id,
      String reason,
      Consumer<String> say)
      throws InterruptedException {
    StartRequest request =
        new StartRequest(plan, JsonNodeFactory.instance.objectNode(), OPERATOR, reason);
    say.accept("");
    say.accept("backup       " + plan.type() + " (" + reason + "): incident " + id);
    stack
        .connection()
        .client()
        .newUntypedWorkflowStub(
            plan.type(), IncidentLaunch.options(request, id, DrillStack.TASK_QUEUE).build())
        .start(IncidentLaunch.envelope(request));
    IncidentReport report = follower.follow(id, BASELINE_TIMEOUT);
    if (!"succeeded".equals(report.outcome())) {
      throw new DrillException(
          "the backup failed ("
              + id
              + ": "
              + report.outcome()
              + ", "
              + report.failure()
              + "); no scenario can be measured without it");
    }
    return report;
  }

  private static IncidentReport report(TemporalConnection connection, String workflowId) {
    return connection.client().newUntypedWorkflowStub(workflowId).getResult(IncidentReport.class);
  }

  private static List<IncidentRecord> records(
      TemporalConnection connection, List<String> incidents) {
    long now = System.currentTimeMillis();
    return incidents.stream()
        .map(
            id ->
                HistoryReport.build(
                    id,
                    IncidentHistory.fetch(
                        connection.stubs(), connection.settings().namespace(), id, null),
                    connection.client().getOptions().getDataConverter(),
                    now))
        .toList();
  }
}
