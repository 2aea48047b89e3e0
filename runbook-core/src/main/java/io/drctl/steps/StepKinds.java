package io.drctl.steps;

import io.drctl.catalog.ActionKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The one registry of step kinds. Registering a key twice is an error, never a silent override. */
public final class StepKinds {
  private static final StepKinds STANDARD =
      new StepKinds(
          List.of(
              new ActivityStep(),
              new ApprovalStep(),
              new SleepStep(),
              new WaitUntilStep(),
              new ParallelStep(),
              new RunbookStep(),
              new FailStep()));

  private final Map<ActionKind, StepKind> byKey = new EnumMap<>(ActionKind.class);

  /**
   * @throws IllegalStateException when two classes claim one key, or a key has none
   */
  StepKinds(List<StepKind> kinds) {
    for (StepKind kind : kinds) {
      StepKind previous = byKey.putIfAbsent(kind.key(), kind);
      if (previous != null) {
        throw new IllegalStateException(
            "step kind '"
                + kind.key()
                + "' is registered twice: by "
                + previous.getClass().getSimpleName()
                + " and by "
                + kind.getClass().getSimpleName());
      }
    }
    for (ActionKind key : ActionKind.values()) {
      if (!byKey.containsKey(key)) {
        throw new IllegalStateException("no rules for step kind '" + key + "'");
      }
    }
  }

  /** The rules of every kind drctl knows. */
  public static StepKinds standard() {
    return STANDARD;
  }

  /** The rules of {@code key}. */
  public StepKind of(ActionKind key) {
    return byKey.get(key);
  }
}
