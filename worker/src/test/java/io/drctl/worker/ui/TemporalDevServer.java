package io.drctl.worker.ui;

import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.CliDevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal CLI's dev server ({@code temporal server start-dev}): the real server with SQLite
 * persistence, visibility queries and the Web UI, on free loopback ports, with drctl's search
 * attributes registered at launch. {@link #close()} stops it.
 */
final class TemporalDevServer implements AutoCloseable {
  static final String NAMESPACE = "default";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final CliDevServer process;
  private final int port;
  private final int uiPort;

  private TemporalDevServer(CliDevServer process, int port, int uiPort) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
  }

  /**
   * Starts the server with its files in {@code dir} and waits until its frontend and Web UI answer.
   */
  static TemporalDevServer start(Path cli, Path dir) throws Exception {
    return start(cli, dir, options -> options);
  }

  /**
   * The same, with its options (ports chosen) changed by {@code customize}, e.g. a codec server for
   * the UI.
   */
  static TemporalDevServer start(
      Path cli, Path dir, java.util.function.UnaryOperator<DevServerOptions> customize)
      throws Exception {
    return FreePorts.retryingWhenTaken(
        () -> {
          int port = FreePorts.any();
          int uiPort = FreePorts.any();
          CliDevServer process =
              CliDevServer.launch(
                  cli,
                  customize.apply(
                      new DevServerOptions(
                          "127.0.0.1", port, uiPort, dir, NAMESPACE, START_TIMEOUT)));
          TemporalDevServer server = new TemporalDevServer(process, port, uiPort);
          try {
            process.awaitPort();
            server.awaitReady();
          } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
          }
          return server;
        });
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  /**
   * Waits until the namespace answers; {@link CliDevServer#awaitPort} has already waited for the
   * frontend and the Web UI's page.
   */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    try {
      while (true) {
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
          return;
        } catch (io.grpc.StatusRuntimeException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the dev server ("
                    + target()
                    + ") was not ready within "
                    + START_TIMEOUT.toSeconds()
                    + "s; last: "
                    + e
                    + "; its log ends:\n"
                    + process.logTail(20));
          }
        }
        Thread.sleep(250);
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
