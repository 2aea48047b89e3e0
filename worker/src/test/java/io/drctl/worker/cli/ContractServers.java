package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.local.LocalDirectories;
import io.drctl.testing.FreePorts;
import io.drctl.testing.TemporalCliLocation;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the contracts against a real server share: the two servers, free ports, waiting on status,
 * clean-up.
 */
final class ContractServers {
  private ContractServers() {}

  /** The in-memory Java test server, which every machine has. */
  static DevServer javaTestServer(DevServerOptions options) {
    return DevServer.start(
        new DevServer.Choice(DevServer.Kind.test, null, "test"), options, launched -> {});
  }

  /** The Temporal CLI's dev server at {@code $DRCTL_TEMPORAL_CLI}. */
  static DevServer temporalCli(DevServerOptions options) {
    Path cli = TemporalCliLocation.expected();
    return DevServer.start(
        new DevServer.Choice(DevServer.Kind.cli, cli, "DRCTL_TEMPORAL_CLI"),
        options,
        launched -> {});
  }

  /**
   * Starts a server with its files in {@code state} on free loopback ports, again if one was taken
   * meanwhile.
   */
  static DevServer onFreePorts(Function<DevServerOptions, DevServer> start, Path state)
      throws Exception {
    return FreePorts.retryingWhenTaken(
        () ->
            start.apply(
                new DevServerOptions(
                    "127.0.0.1",
                    FreePorts.any(),
                    FreePorts.any(),
                    state,
                    "default",
                    Duration.ofSeconds(60))));
  }

  /**
   * Runs {@code status} until its output meets {@code condition}, for up to {@code timeout};
   * asserts it did.
   */
  static CliRun await(Supplier<CliRun> status, Predicate<String> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CliRun run = status.get();
    while (!condition.test(run.out()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      run = status.get();
    }
    assertThat(run.out()).as(run.err()).matches(condition::test, "the awaited status");
    return run;
  }

  /** Deletes {@code root} and everything below it; nothing when it is null. */
  static void deleteTree(Path root) {
    if (root == null) {
      return;
    }
    try {
      LocalDirectories.deleteRecursively(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + root, e);
    }
  }
}
