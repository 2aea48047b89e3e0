package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoopRunbookTest {
  @Test
  void theNoopRunbookCompilesToSequentialStepsTheHandWrittenWorkflowMirrors() {
    Plan plan = NoopRunbook.compile(50, false);
    assertThat(plan.type()).isEqualTo("bench_noop_50");
    assertThat(plan.steps()).hasSize(50);
    assertThat(plan.steps().get(49).needs()).containsExactly("s49");
    assertThat(NoopRunbook.passesOutcome(plan)).isFalse();
  }

  @Test
  void theExpressionVariantPassesThePreviousStepsOutcome() {
    Plan plan = NoopRunbook.compile(3, true);
    assertThat(plan.steps().get(0).with().has("after")).isFalse();
    assertThat(plan.steps().get(2).with().path("after").asText())
        .isEqualTo("${{ steps.s2.outcome }}");
    assertThat(NoopRunbook.passesOutcome(plan)).isTrue();
  }

  @Test
  void spreadReportsTheMedianAndRangeOfRounds() {
    assertThat(Spread.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Spread(2.0, 1.0, 3.0, 3));
    assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
  }
}
