package io.drctl.worker.cli;

import io.drctl.activities.notify.NotifyOptions;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.alerts.ReceiverSettings;
import io.drctl.worker.metrics.BackupGauges;
import io.drctl.worker.metrics.IncidentMetrics;
import io.drctl.worker.temporal.IncidentWorker;
import io.drctl.worker.temporal.MetricsEndpoint;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalOptions;
import io.drctl.worker.temporal.TemporalSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drctl worker}: serves incidents from one runbook until SIGTERM or Ctrl-C. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker that serves every incident type of a runbook until SIGTERM or Ctrl-C.",
      "It compiles the runbook, registers drctl's search attributes in the namespace, and on shutdown",
      "lets running steps finish (--shutdown-grace).",
      "Exit status: 2 invalid runbook or options, 3 Temporal unreachable or refusing."
    })
class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TemporalOptions temporal;

  @Mixin WorkerOptions worker;

  /** What {@link #boot} started. */
  record Booted(
      TemporalConnection connection,
      IncidentWorker worker,
      MetricsEndpoint metrics,
      SearchAttributeRegistration.Result searchAttributes,
      String receiver) {}

  @Override
  public Integer call() throws InterruptedException {
    TemporalSettings settings = TemporalCommand.settings(temporal);
    PrintWriter out = spec.commandLine().getOut();
    CompiledRunbook runbook = worker.runbook.compile(spec.commandLine().getErr());
    try (WorkerSession session = new WorkerSession(spec.commandLine().getErr())) {
      Booted booted = boot(session, settings, runbook, worker, out);
      out.println(
          "drctl worker polling task queue '"
              + settings.taskQueue()
              + "' at "
              + settings.address()
              + ", namespace "
              + settings.namespace()
              + "; runbook "
              + describe(runbook)
              + (booted.metrics() == null
                  ? ""
                  : "; metrics at http://localhost:" + booted.metrics().port() + "/metrics"));
      if (booted.receiver() != null) {
        out.println(booted.receiver());
      }
      if (settings.codec() != null) {
        out.println(
            "payloads encrypted under key "
                + settings.codec().writeKeyId()
                + " (keys from "
                + settings.codec().source()
                + ")");
      }
      out.println(booted.searchAttributes().summary() + ". Ctrl-C or SIGTERM stops it.");
      out.flush();
      session.awaitSignal();
    }
    return 0;
  }

  /**
   * Starts metrics, connects, registers the search attributes and starts the worker, each with its
   * stop step in {@code session}.
   */
  static Booted boot(
      WorkerSession session,
      TemporalSettings settings,
      CompiledRunbook runbook,
      WorkerOptions options,
      PrintWriter out) {
    options.checkMetricsPort();
    ReceiverSettings receiverSettings =
        options.receiver.enabled() ? options.receiver.settings(ReceiverOptions.DEFAULT_PORT) : null;
    IncidentWorker.Tuning tuning = options.tuning();
    NotifyOptions notify = options.ui.notifyOptions();
    Duration grace = options.shutdownGrace();
    Duration backupInterval = options.backupMetricsInterval();
    try {
      MetricsEndpoint metrics = null;
      IncidentMetrics incidentMetrics = null;
      if (options.metricsPort > 0) {
        metrics = MetricsEndpoint.start("0.0.0.0", options.metricsPort);
        session.onStop("metrics endpoint", metrics::close);
        incidentMetrics = new IncidentMetrics(metrics.registry());
        BackupGauges backups = BackupGauges.forRunbook(metrics.registry(), runbook);
        if (!backups.targets().isEmpty()) {
          backups.start(backupInterval);
          session.onStop("backup gauges", backups::close);
        }
      }
      TemporalConnection connection =
          TemporalConnection.open(settings, metrics == null ? null : metrics.scope());
      session.onStop("connection", connection::close);
      SearchAttributeRegistration.Result attributes =
          new SearchAttributeRegistration(connection.operator(), settings.namespace()).ensure();
      IncidentWorker incidents =
          IncidentWorker.start(connection, runbook, tuning, notify, incidentMetrics);
      session.onStop(
          "worker",
          () -> {
            out.println(
                "drctl: stopping the worker (running steps get up to "
                    + grace.toSeconds()
                    + " s to finish)");
            out.flush();
            boolean clean = incidents.shutdown(grace);
            out.println(
                clean
                    ? "drctl: worker stopped"
                    : "drctl: worker stopped; steps still running were interrupted"
                        + " and will be retried by another worker");
            out.flush();
          });
      String receiver = null;
      if (receiverSettings != null) {
        receiver =
            ReceiverCommand.describe(
                ReceiverCommand.start(session, settings, runbook, receiverSettings),
                receiverSettings,
                runbook);
      }
      return new Booted(connection, incidents, metrics, attributes, receiver);
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
  }

  static String describe(CompiledRunbook runbook) {
    return (runbook.name() == null ? "" : "'" + runbook.name() + "' ")
        + "version "
        + runbook.version()
        + " ("
        + runbook.plans().size()
        + " incidents)";
  }
}
