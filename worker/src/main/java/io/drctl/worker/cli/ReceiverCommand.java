package io.drctl.worker.cli;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.alerts.AlertDispatcher;
import io.drctl.worker.alerts.AlertFormat;
import io.drctl.worker.alerts.AlertReceiver;
import io.drctl.worker.alerts.ReceiverSettings;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalOptions;
import io.drctl.worker.temporal.TemporalSettings;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code drctl receiver}: turns Alertmanager, Grafana and generic alert webhooks into incidents.
 */
@Command(
    name = "receiver",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the alert receiver: POST /alerts/alertmanager, /alerts/grafana or /alerts/generic.",
      "The runbook's alerts section routes each alert to an incident, one per incident type and target",
      "(workflow id TYPE/TARGET): the first firing alert starts it, every later one is signalled to it.",
      "Exit status: 2 invalid runbook or options, 3 Temporal unreachable at start."
    })
class ReceiverCommand implements Callable<Integer> {
  /** How long one post waits for an unreachable Temporal before it answers 503. */
  static final Duration TEMPORAL_RETRY_BUDGET = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Mixin TemporalOptions temporal;

  @Mixin RunbookSource runbook;

  @Mixin ReceiverOptions receiver;

  @Override
  public Integer call() throws InterruptedException {
    TemporalSettings settings = TemporalCommand.settings(temporal);
    CompiledRunbook compiled = runbook.compile(spec.commandLine().getErr());
    ReceiverSettings receiverSettings = receiver.settings(ReceiverOptions.DEFAULT_PORT);
    PrintWriter out = spec.commandLine().getOut();
    try (WorkerSession session = new WorkerSession(spec.commandLine().getErr())) {
      AlertReceiver started = start(session, settings, compiled, receiverSettings);
      out.println(
          describe(started, receiverSettings, compiled)
              + "; incidents go to task queue '"
              + settings.taskQueue()
              + "' at "
              + settings.address()
              + ". Ctrl-C or SIGTERM stops it.");
      out.flush();
      session.awaitSignal();
    }
    return 0;
  }

  /**
   * Connects to Temporal on a connection of its own (calls give up after {@link
   * #TEMPORAL_RETRY_BUDGET}, so senders get a 503 in time), starts the receiver, and registers how
   * to stop both in {@code session}.
   */
  static AlertReceiver start(
      WorkerSession session,
      TemporalSettings settings,
      CompiledRunbook runbook,
      ReceiverSettings options) {
    if (runbook.alerts().routes().isEmpty()) {
      throw new Failures.UserError(
          runbook.file()
              + " has no alerts section, so the receiver could route no alert;"
              + " add alerts.routes (docs/runbook-format.md)");
    }
    TemporalConnection connection;
    try {
      connection =
          TemporalConnection.open(
              settings, null, TemporalConnection.CONNECT_TIMEOUT, TEMPORAL_RETRY_BUDGET);
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    session.onStop("receiver's connection", connection::close);
    try {
      // Incidents carry drctl's search attributes; without them every start would fail with a 500
      // that Alertmanager retries forever, so a receiver alone on a fresh namespace registers them.
      new SearchAttributeRegistration(connection.operator(), settings.namespace()).ensure();
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
    AlertDispatcher dispatcher =
        new AlertDispatcher(connection.client(), settings.taskQueue(), runbook, Clock.systemUTC());
    AlertReceiver receiver;
    try {
      receiver = AlertReceiver.start(options, dispatcher, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new Failures.UserError(e.getMessage());
    }
    session.onStop("alert receiver", receiver::close);
    return receiver;
  }

  /** One line: where it listens, what it accepts, how many routes. */
  static String describe(
      AlertReceiver receiver, ReceiverSettings options, CompiledRunbook runbook) {
    return "drctl receiver on http://"
        + options.host()
        + ":"
        + receiver.port()
        + " ("
        + String.join(", ", Arrays.stream(AlertFormat.values()).map(AlertFormat::path).toList())
        + "), "
        + runbook.alerts().routes().size()
        + " routes, auth: "
        + options.authentication().describe();
  }
}
