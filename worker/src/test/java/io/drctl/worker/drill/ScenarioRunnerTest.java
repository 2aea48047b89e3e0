package io.drctl.worker.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the runner does when the drill's own server or worker is gone. */
class ScenarioRunnerTest {
  @Test
  void withTheDrillsServerGoneEveryScenarioFailsAtOnceSayingWhyAndTouchesNothing()
      throws Exception {
    List<String> said = new ArrayList<>();
    String gone = "the Temporal dev server exited with status 137 after it started";
    // No platform, follower or writers: a scenario that went on would fail on a null.
    ScenarioRunner runner =
        new ScenarioRunner(
            null,
            Path.of("sandbox.targets.json"),
            Map.of(),
            null,
            null,
            Map.of(),
            Duration.ofMinutes(10),
            said::add,
            () -> Optional.of(gone));
    DrillScenario backend = DrillScenarios.standard().select(List.of("backend")).get(0);
    DrillScenario cache = DrillScenarios.standard().select(List.of("cache_failover")).get(0);

    ScenarioResult first = runner.run(backend);
    ScenarioResult second = runner.run(cache);

    // Before, each scenario injected its failure and waited out its incident timeout.
    assertThat(first.status()).isEqualTo(ScenarioResult.FAILED);
    assertThat(first.failure()).isEqualTo("not run: " + gone);
    assertThat(first.passed()).as("the drill exits non-zero").isFalse();
    assertThat(said).contains("scenario     backend: not run: " + gone);
    assertThat(second.status()).isEqualTo(ScenarioResult.FAILED);
    assertThat(second.workflowId()).as("no incident was started").isNull();
  }
}
