package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Java test server has no Schedules API: drctl says so in one line instead of a gRPC error. */
class SchedulesOnJavaTestServerTest {
  @Test
  void syncAgainstTheJavaTestServerSaysItHasNoSchedulesApiAndExitsThree() throws Exception {
    Path state = Files.createTempDirectory("drctl-test-server-");
    try (DevServer server =
        FreePorts.retryingWhenTaken(
            () ->
                DevServer.start(
                    new DevServer.Choice(DevServer.Kind.test, null, "test"),
                    new DevServerOptions(
                        "127.0.0.1",
                        FreePorts.any(),
                        FreePorts.any(),
                        state,
                        "default",
                        Duration.ofSeconds(30)),
                    launched -> {}))) {
      CliRun sync =
          CliRun.of(
              "schedules",
              "sync",
              "-r",
              Path.of("..", "runbooks", "dr-runbook.json").toString(),
              "--address",
              server.address());
      assertThat(sync.exitCode()).isEqualTo(3);
      assertThat(sync.err().lines())
          .singleElement()
          .asString()
          .startsWith(
              "drctl: Temporal at " + server.address() + " has no Schedules API (UNIMPLEMENTED")
          .contains("the Java test server lacks it");
    } finally {
      Files.deleteIfExists(state);
    }
  }
}
