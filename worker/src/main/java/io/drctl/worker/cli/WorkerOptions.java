package io.drctl.worker.cli;

import io.drctl.plan.Durations;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.temporal.IncidentWorker;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code drctl worker} and {@code drctl dev} share: the runbook, concurrency, metrics,
 * shutdown, the UI link.
 */
final class WorkerOptions {
  @Mixin RunbookSource runbook;

  @Mixin ReceiverOptions receiver;

  @Option(
      names = "--max-concurrent-activities",
      paramLabel = "N",
      defaultValue = "20",
      description = "Steps this worker runs at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrentActivities;

  @Option(
      names = "--max-concurrent-workflow-tasks",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Workflow tasks this worker runs at once, at least 2 (default: ${DEFAULT-VALUE}).")
  int maxConcurrentWorkflowTasks;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = {
        "Serve Prometheus metrics at http://HOST:PORT/metrics, e.g. 9464 (default: 0, off):",
        "Temporal's temporal_*, JVM and process metrics, drctl_incidents_total, drctl_step_attempts_total,",
        "and the backup gauges of the runbook's backupStore targets (drctl_backup_age_seconds, ...)."
      })
  int metricsPort;

  @Option(
      names = "--backup-metrics-interval",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description =
          "With --metrics-port: how often the backup catalogs are read for the backup gauges (default: ${DEFAULT-VALUE}).")
  String backupMetricsInterval;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "On SIGTERM or Ctrl-C, how long running steps may finish before they are interrupted (default: ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Mixin UiUrlOption ui;

  IncidentWorker.Tuning tuning() {
    try {
      return new IncidentWorker.Tuning(maxConcurrentActivities, maxConcurrentWorkflowTasks);
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
  }

  Duration shutdownGrace() {
    if (shutdownGraceSeconds < 0) {
      throw new Failures.UserError(
          "--shutdown-grace " + shutdownGraceSeconds + ": must be 0 or more seconds");
    }
    return Duration.ofSeconds(shutdownGraceSeconds);
  }

  Duration backupMetricsInterval() {
    if (!Durations.isValid(backupMetricsInterval)
        || Durations.parse(backupMetricsInterval).toMillis() < 1000) {
      throw new Failures.UserError(
          "--backup-metrics-interval '"
              + backupMetricsInterval
              + "': not a duration of at least 1s, such as 30s, 1m or 15m");
    }
    return Durations.parse(backupMetricsInterval);
  }

  void checkMetricsPort() {
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new Failures.UserError(
          "--metrics-port " + metricsPort + ": not a port (1 to 65535, or 0 for off)");
    }
  }
}
