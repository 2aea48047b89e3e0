package io.drctl.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.catalog.ActionKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepKindsTest {
  @Test
  void everyKindOfActionHasItsRulesUnderItsOwnKey() {
    for (ActionKind key : ActionKind.values()) {
      assertThat(StepKinds.standard().of(key).key()).isEqualTo(key);
    }
  }

  @Test
  void aKindRegisteredTwiceIsAnErrorNamingBothClasses() {
    assertThatThrownBy(
            () ->
                new StepKinds(
                    List.of(
                        new ActivityStep(),
                        new ApprovalStep(),
                        new SleepStep(),
                        new WaitUntilStep(),
                        new ParallelStep(),
                        new RunbookStep(),
                        new FailStep(),
                        new SleepStep())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step kind 'sleep' is registered twice: by SleepStep and by SleepStep");
  }

  @Test
  void aKindWithoutRulesIsAnError() {
    assertThatThrownBy(() -> new StepKinds(List.of(new ActivityStep())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no rules for step kind");
  }
}
