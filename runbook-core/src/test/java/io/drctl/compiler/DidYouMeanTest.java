package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  @Test
  void suggestsTheClosestNameForTyposAndTranspositions() {
    List<String> names = List.of("timeout", "heartbeat", "retry", "needs");
    assertThat(DidYouMean.closest("timout", names)).contains("timeout");
    assertThat(DidYouMean.closest("heatrbeat", names)).contains("heartbeat");
    assertThat(DidYouMean.closest("Needs", names)).contains("needs");
  }

  @Test
  void listsWhatIsAllowedWhenNothingIsClose() {
    assertThat(DidYouMean.hint("banana", List.of("timeout", "retry")))
        .isEqualTo("allowed here: retry, timeout");
  }
}
