package io.drctl.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.testing.FreePorts;
import io.drctl.testing.TemporalCliLocation;
import io.drctl.worker.TemporalSetupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the Temporal CLI's dev server counts as started, against the real CLI. */
class CliDevServerTest {
  @TempDir Path dir;

  private DevServerOptions options(int port, int uiPort) {
    return new DevServerOptions("127.0.0.1", port, uiPort, dir, "default", Duration.ofSeconds(60));
  }

  @Test
  void aServerReturnsFromTheWaitWithItsFrontendAndItsWebUiAnswering() throws Exception {
    DevServerOptions options =
        FreePorts.retryingWhenTaken(
            () -> {
              DevServerOptions chosen = options(FreePorts.any(), FreePorts.any());
              try (CliDevServer server =
                  CliDevServer.launch(TemporalCliLocation.expected(), chosen)) {
                server.awaitPort();
                // Before, the wait ended as soon as the frontend answered; the CLI binds the Web
                // UI's port in a thread of its own, and exits when it cannot.
                assertThat(Ports.answers(chosen.host(), chosen.uiPort()))
                    .as("the Web UI answers when the wait returns")
                    .isTrue();
                assertThat(Ports.answers(chosen.host(), chosen.port())).isTrue();
                assertThat(server.exited()).isEmpty();
              }
              return chosen;
            });

    assertThat(Ports.answers(options.host(), options.port())).as("closed").isFalse();
  }

  @Test
  void aServerThatDiesWhileStartingIsReportedWithTheCliOwnLastLines() throws Exception {
    int taken = FreePorts.any();
    // The CLI checks the Web UI's port free, then its metrics server takes it: one of the two
    // binds fails and the CLI exits, while or after its frontend starts.
    DevServerOptions options =
        options(FreePorts.any(), taken)
            .withServerArguments(List.of("--metrics-port", String.valueOf(taken)));
    CliDevServer server = CliDevServer.launch(TemporalCliLocation.expected(), options);
    try {
      assertThatThrownBy(server::awaitPort)
          .isInstanceOf(TemporalSetupException.class)
          .hasMessageStartingWith("the Temporal dev server exited with status ")
          .hasMessageContaining(
              "before it listened on " + options.host() + ":" + options.port() + " and its Web UI")
          .hasMessageContaining("address already in use")
          .hasMessageContaining(dir.resolve("temporal.log").toString());
      assertThat(server.exited())
          .hasValueSatisfying(
              exit -> assertThat(exit).contains("after it started", "address already in use"));
    } finally {
      server.close();
    }
  }
}
