package io.drctl.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.sandbox.SandboxLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end set-up's own failures: they reach the test with the words of what failed. The
 * sandbox ({@value #SANDBOX}, ports 30360-30379) is never brought up.
 */
class E2eSandboxTest {
  private static final String SANDBOX = "e2e-setup";

  @TempDir Path dir;

  @Test
  void aWorkerThatCannotStartFailsTheSetUpWithItsOwnWords() throws Exception {
    JsonNode unknownKind = new ObjectMapper().readTree("{\"kind\": \"mainframe\"}");

    Throwable failure =
        catchThrowable(
            () ->
                E2eSandbox.start(
                        dir,
                        SandboxLayout.of(SANDBOX, 30360),
                        "e2e-setup",
                        Map.of("broken", unknownKind),
                        Map.of())
                    .close());

    // Before, the set-up added the harness's failure to itself as suppressed, and the test saw
    // only "IllegalArgumentException: Self-suppression not permitted".
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the worker exited: ")
        .hasMessageContaining("mainframe");
    assertThat(failure.getSuppressed()).isEmpty();
  }
}
