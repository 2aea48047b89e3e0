package io.drctl.workflow;

import io.drctl.catalog.ActionKind;
import io.temporal.workflow.TimerOptions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one registry of {@link StepLauncher}s. Registering a key twice is an error, never a silent
 * override. Kinds the interpreter carries out alone (parallel, fail) have none.
 */
final class StepLaunchers {
  static final StepLaunchers STANDARD =
      new StepLaunchers(
          List.of(
              new ActivityLauncher(),
              new SleepLauncher(),
              new ApprovalLauncher(),
              new WaitUntilLauncher(),
              new RunbookLauncher()));

  private final Map<ActionKind, StepLauncher> byKey = new EnumMap<>(ActionKind.class);

  StepLaunchers(List<StepLauncher> launchers) {
    for (StepLauncher launcher : launchers) {
      StepLauncher previous = byKey.putIfAbsent(launcher.key(), launcher);
      if (previous != null) {
        throw new IllegalStateException(
            "step kind '"
                + launcher.key()
                + "' has two launchers: "
                + previous.getClass().getSimpleName()
                + " and "
                + launcher.getClass().getSimpleName());
      }
    }
  }

  /**
   * The launcher of {@code kind}.
   *
   * @throws IllegalStateException when the interpreter started a kind nothing launches: a bug
   */
  StepLauncher of(ActionKind kind) {
    StepLauncher launcher = byKey.get(kind);
    if (launcher == null) {
      throw new IllegalStateException("the interpreter does not start " + kind + " steps");
    }
    return launcher;
  }

  /** A timer labelled for the Temporal UI. */
  static TimerOptions timer(String summary) {
    return TimerOptions.newBuilder().setSummary(summary).build();
  }
}
