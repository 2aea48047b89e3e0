package io.drctl.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.catalog.ActionKind;
import io.drctl.steps.StepKinds;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepLaunchersTest {
  @Test
  void everyKindWhoseStepsTheWorkflowStartsHasALauncherUnderItsKey() {
    for (ActionKind key : ActionKind.values()) {
      if (StepKinds.standard().of(key).hasBranches()
          || StepKinds.standard().of(key).alwaysFails()) {
        assertThatThrownBy(() -> StepLaunchers.STANDARD.of(key))
            .isInstanceOf(IllegalStateException.class);
      } else {
        assertThat(StepLaunchers.STANDARD.of(key).key()).isEqualTo(key);
      }
    }
  }

  @Test
  void aKindLaunchedTwiceIsAnError() {
    assertThatThrownBy(() -> new StepLaunchers(List.of(new SleepLauncher(), new SleepLauncher())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step kind 'sleep' has two launchers: SleepLauncher and SleepLauncher");
  }
}
