package io.drctl.worker.dev;

import io.drctl.testing.Await;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.testing.TemporalCliLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Temporal server in a process of its own on a given loopback port, so that a test can kill
 * workers (or the test's own clients) without touching it: the Temporal CLI's dev server when
 * {@link TemporalCliLocation#preferred()} finds it, else the SDK's Java test server in another JVM.
 * {@link #close()} stops it.
 */
public final class TemporalServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final AutoCloseable server;
  private final Supplier<Optional<String>> exited;

  private TemporalServerProcess(AutoCloseable server, Supplier<Optional<String>> exited) {
    this.server = server;
    this.exited = exited;
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
      TemporalServerProcess started = new TemporalServerProcess(server, server::exited);
      try {
        server.awaitPort();
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      return started;
    }
    Path log = dir.resolve("server.log");
    Process process =
        JavaProcess.start(log, "io.temporal.testserver.TestServer", String.valueOf(port));
    TemporalServerProcess started =
        new TemporalServerProcess(
            () -> {
              process.destroyForcibly();
              process.waitFor(10, TimeUnit.SECONDS);
            },
            () ->
                process.isAlive()
                    ? Optional.empty()
                    : Optional.of(
                        "the Java test server exited with status "
                            + process.exitValue()
                            + "; its log: "
                            + log));
    try {
      Await.awaitTrue(
          () -> FreePorts.listening(port), START_TIMEOUT, "the Temporal server on port " + port);
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  /**
   * When the server's process has ended: a sentence saying so, with its exit status and where to
   * read why (the dev server's last log lines); empty while it runs.
   */
  public Optional<String> exited() {
    return exited.get();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
