package io.drctl.worker.cli;

import io.drctl.activities.notify.NotifyOptions;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.IncidentWorker;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * A Temporal server on free loopback ports, a connection to its default namespace and a drctl
 * worker in this JVM serving one runbook on a task queue of the test's own. {@link #close()} stops
 * them and deletes the server's state.
 */
final class ServerWithWorker implements AutoCloseable {
  private final Path state;
  private DevServer server;
  private TemporalConnection connection;
  private IncidentWorker worker;
  private CompiledRunbook runbook;

  private ServerWithWorker(Path state) {
    this.state = state;
  }

  /** Starts everything, or stops what did start and rethrows. */
  static ServerWithWorker start(
      Function<DevServerOptions, DevServer> starter, Path runbookFile, String taskQueue)
      throws Exception {
    return start(starter, runbookFile, taskQueue, NotifyOptions.defaults());
  }

  /**
   * The same, the worker's notify backend set up with {@code notify} (as {@code --ui-url} does).
   */
  static ServerWithWorker start(
      Function<DevServerOptions, DevServer> starter,
      Path runbookFile,
      String taskQueue,
      NotifyOptions notify)
      throws Exception {
    ServerWithWorker running = new ServerWithWorker(Files.createTempDirectory("drctl-server-"));
    try {
      running.server = ContractServers.onFreePorts(starter, running.state);
      running.connection =
          TemporalConnection.open(
              TemporalSettings.plaintext(running.server.address(), "default", taskQueue));
      running.runbook =
          RunbookCompiler.standard()
              .compile(
                  new RunbookCompiler.Source(runbookFile.toString(), Files.readString(runbookFile)))
              .runbook();
      running.worker =
          IncidentWorker.start(
              running.connection, running.runbook, new IncidentWorker.Tuning(4, 2), notify);
      return running;
    } catch (Exception | Error e) {
      running.close();
      throw e;
    }
  }

  DevServer server() {
    return server;
  }

  TemporalConnection connection() {
    return connection;
  }

  /** The runbook the worker serves, as compiled. */
  CompiledRunbook runbook() {
    return runbook;
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.shutdown(Duration.ofSeconds(2));
    }
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
    ContractServers.deleteTree(state);
  }
}
