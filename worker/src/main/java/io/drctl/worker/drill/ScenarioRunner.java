package io.drctl.worker.drill;

import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.workflow.IncidentReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one scenario for real: the platform made healthy, the failure injected while the writers
 * write, the alert raised through the receiver, the incident followed to its end (gates approved as
 * the drill operator or by a person), the platform checked from outside, and the lost writes
 * counted.
 */
final class ScenarioRunner {
  private static final Duration WRITING_BEFORE_THE_FAILURE = Duration.ofSeconds(2);
  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);

  private final DrillPlatform platform;
  private final Path sandboxTargets;
  private final Map<String, Plan> plans;
  private final AlertmanagerWebhook alerts;
  private final IncidentFollower follower;
  private final Map<DrillScenario.WriterKind, AcknowledgedWriter> writers;
  private final Duration incidentTimeout;
  private final Consumer<String> say;
  private final Supplier<Optional<String>> machineryDown;
  private final Map<String, Boolean> recovered = new java.util.HashMap<>();

  ScenarioRunner(
      DrillPlatform platform,
      Path sandboxTargets,
      Map<String, Plan> plans,
      AlertmanagerWebhook alerts,
      IncidentFollower follower,
      Map<DrillScenario.WriterKind, AcknowledgedWriter> writers,
      Duration incidentTimeout,
      Consumer<String> say,
      Supplier<Optional<String>> machineryDown) {
    this.platform = platform;
    this.sandboxTargets = sandboxTargets;
    this.plans = plans;
    this.alerts = alerts;
    this.follower = follower;
    this.writers = writers;
    this.incidentTimeout = incidentTimeout;
    this.say = say;
    this.machineryDown = machineryDown;
  }

  /**
   * Runs {@code scenario}; never throws for a failure of the scenario itself, which is its result.
   */
  ScenarioResult run(DrillScenario scenario) throws InterruptedException {
    String skip = skipReason(scenario);
    if (skip != null) {
      say.accept("scenario     " + scenario.key() + ": skipped, " + skip);
      return ScenarioResult.skipped(scenario, skip);
    }
    Optional<String> down = machineryDown.get();
    if (down.isPresent()) {
      // Each would only wait out its incident timeout: fail it at once, saying why.
      String why = "not run: " + down.get();
      say.accept("scenario     " + scenario.key() + ": " + why);
      recovered.put(scenario.key(), false);
      return ScenarioResult.failed(scenario, null, why);
    }
    ScenarioResult result = runOnce(scenario);
    recovered.put(scenario.key(), "succeeded".equals(result.outcome()));
    return result;
  }

  private String skipReason(DrillScenario scenario) {
    if (!scenario.runnable()) {
      return scenario.skipReason();
    }
    if (scenario.follows() != null && !recovered.getOrDefault(scenario.follows(), false)) {
      return "it starts where "
          + scenario.follows()
          + " leaves the platform, and that did not recover";
    }
    return null;
  }

  private ScenarioResult runOnce(DrillScenario scenario) throws InterruptedException {
    say.accept("");
    say.accept(
        "scenario     "
            + scenario.key()
            + " ("
            + scenario.seedRow()
            + "): incident "
            + scenario.workflowId());
    try {
      return measure(scenario);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      String why =
          e.getMessage() + machineryDown.get().map(down -> " (meanwhile " + down + ")").orElse("");
      say.accept("  failed: " + why);
      return ScenarioResult.failed(scenario, scenario.workflowId(), why);
    } finally {
      try {
        platform.repair();
      } catch (Exception e) {
        say.accept("  could not put back what " + scenario.key() + " changed: " + e.getMessage());
      }
    }
  }

  private ScenarioResult measure(DrillScenario scenario) throws Exception {
    say.accept(
        "  platform   "
            + (scenario.follows() == null
                ? platform.makeHealthy(sandboxTargets)
                : "as " + scenario.follows() + " left it, nothing repaired in between"));
    Waits.until(
        () -> platform.health().healthy(),
        HEALTHY_WITHIN,
        "the backend to be healthy before the failure");
    // What earlier scenarios lost is theirs, not this one's. A writer whose store cannot be read
    // now (another site's) matters only to the scenarios it measures.
    for (Map.Entry<DrillScenario.WriterKind, AcknowledgedWriter> writer : writers.entrySet()) {
      try {
        writer.getValue().measure();
      } catch (Exception e) {
        if (writer.getKey() == scenario.writer()) {
          throw e;
        }
        say.accept(
            "  writer     "
                + writer.getKey()
                + ": its records cannot be read now ("
                + e.getMessage()
                + ")");
      }
    }
    Thread.sleep(WRITING_BEFORE_THE_FAILURE.toMillis());
    Map<String, String> extra = scenario.injection().inject(platform);
    Instant detected = Instant.now();
    say.accept(
        "  injected   "
            + scenario.seedRow()
            + "; backend health now "
            + platform.health().status());
    Map<String, String> labels = DrillRunbook.labels(scenario, extra);
    alerts.fire(labels, "drill: " + scenario.seedRow(), detected);
    say.accept(
        "  alert      "
            + labels.get("alertname")
            + " fired through the receiver, startsAt "
            + detected);
    IncidentReport report = follower.follow(scenario.workflowId(), incidentTimeout);
    say.accept(
        "  incident   "
            + scenario.workflowId()
            + ": "
            + report.outcome()
            + (report.failure() == null ? "" : " (" + report.failure() + ")"));
    String verification = verify(scenario);
    say.accept("  verified   " + verification);
    AcknowledgedWriter.Loss loss = writers.get(scenario.writer()).measure();
    say.accept(
        "  data lost  "
            + loss.lost()
            + " of "
            + loss.acknowledged()
            + " acknowledged "
            + scenario.writer()
            + " writes, spanning "
            + loss.seconds()
            + " s");
    return result(scenario, report, detected, verification, loss);
  }

  /** The platform seen from outside: the backend healthy, and the data where it belongs. */
  private String verify(DrillScenario scenario) throws Exception {
    Waits.until(
        () -> platform.health().healthy(),
        HEALTHY_WITHIN,
        "the backend's health check to answer 200");
    DrillPlatform.Health health = platform.health();
    StringBuilder seen =
        new StringBuilder(
            "health 200 (database port "
                + health.databasePort()
                + ", Redis port "
                + health.redisPort()
                + ")");
    try (Connection database = platform.database(platform.databasePort())) {
      Dataset.Verification dataset = Dataset.verify(database);
      if (!dataset.ok()) {
        throw new DrillException(
            "outside check: the dataset differs from its manifest after recovery: "
                + dataset.mismatches());
      }
      seen.append("; dataset: ")
          .append(dataset.tables().size())
          .append(" tables match their manifest");
    }
    Role master = platform.redisAt(health.redisPort());
    String pong = platform.redis().redis(master, commands -> commands.ping());
    seen.append("; Redis ").append(master.target()).append(" answers ").append(pong);
    return seen.toString();
  }

  private ScenarioResult result(
      DrillScenario scenario,
      IncidentReport report,
      Instant detected,
      String verification,
      AcknowledgedWriter.Loss loss) {
    Plan plan = plans.get(scenario.incident());
    long rtoObjective = Durations.parse(plan.objectives().rto()).toSeconds();
    long rpoObjective = Durations.parse(plan.objectives().rpo()).toSeconds();
    boolean recovered = "succeeded".equals(report.outcome());
    Instant ended = report.endedAt() == null ? Instant.now() : Instant.parse(report.endedAt());
    double rto = Duration.between(detected, ended).toMillis() / 1000.0;
    boolean rtoMet = recovered && rto <= rtoObjective;
    boolean rpoMet = loss.seconds() <= rpoObjective;
    String status =
        !recovered
            ? ScenarioResult.FAILED
            : rtoMet && rpoMet ? ScenarioResult.MET : ScenarioResult.MISSED;
    return new ScenarioResult(
        scenario.key(),
        scenario.seedRow(),
        scenario.incident(),
        scenario.workflowId(),
        status,
        report.outcome(),
        detected.toString(),
        recovered ? ended.toString() : null,
        rto,
        plan.objectives().rto(),
        rtoObjective,
        rtoMet,
        loss.seconds(),
        loss.acknowledged(),
        loss.lost(),
        scenario.writer().name(),
        plan.objectives().rpo(),
        rpoObjective,
        rpoMet,
        report.rpoActualSeconds(),
        verification,
        recovered
            ? null
            : "incident "
                + report.outcome()
                + (report.failure() == null ? "" : ": " + report.failure()));
  }
}
