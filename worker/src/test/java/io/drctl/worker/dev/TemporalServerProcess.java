package io.drctl.worker.dev;

import io.drctl.testing.Await;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.testing.TemporalCliLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal server in a process of its own on a given loopback port, so that a test can kill
 * workers (or the test's own clients) without touching it: the Temporal CLI's dev server when
 * {@link TemporalCliLocation#preferred()} finds it, else the SDK's Java test server in another JVM.
 * {@link #close()} stops it.
 */
public final class TemporalServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final AutoCloseable server;

  private TemporalServerProcess(AutoCloseable server) {
    this.server = server;
  }

  /** Starts the server with its files under {@code dir} and returns once {@code port} answers. */
  public static TemporalServerProcess start(int port, Path dir) throws Exception {
    Optional<Path> cli = TemporalCliLocation.preferred();
    if (cli.isPresent()) {
      CliDevServer server =
          CliDevServer.launch(
              cli.get(),
              new DevServerOptions(
                  "127.0.0.1",
                  port,
                  FreePorts.any(),
                  dir.resolve("temporal"),
                  "default",
                  START_TIMEOUT));
      TemporalServerProcess started = new TemporalServerProcess(server);
      try {
        server.awaitPort();
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      return started;
    }
    Process process =
        JavaProcess.start(
            dir.resolve("server.log"), "io.temporal.testserver.TestServer", String.valueOf(port));
    TemporalServerProcess started =
        new TemporalServerProcess(
            () -> {
              process.destroyForcibly();
              process.waitFor(10, TimeUnit.SECONDS);
            });
    try {
      Await.awaitTrue(
          () -> FreePorts.listening(port), START_TIMEOUT, "the Temporal server on port " + port);
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
