package io.drctl.interpreter;

import static io.drctl.interpreter.StepStatus.CANCELLED;
import static io.drctl.interpreter.StepStatus.FAILED;
import static io.drctl.interpreter.StepStatus.PENDING;
import static io.drctl.interpreter.StepStatus.RECOVERED;
import static io.drctl.interpreter.StepStatus.RECOVERING;
import static io.drctl.interpreter.StepStatus.RUNNING;
import static io.drctl.interpreter.StepStatus.SKIPPED;
import static io.drctl.interpreter.StepStatus.SUCCEEDED;
import static io.drctl.interpreter.StepStatus.WAITING_APPROVAL;
import static io.drctl.interpreter.StepStatus.WAITING_OPERATOR;

import java.util.EnumMap;
import java.util.Map;

/**
 * The step state machine as an explicit transition table. Any move not listed is a bug in the
 * interpreter and fails loudly rather than corrupting the incident.
 */
public final class StepLifecycle {
  /** What happens to a step. */
  public enum Transition {
    START,
    AWAIT_APPROVAL,
    SUCCEED,
    FAIL,
    RECOVER,
    RECOVERED,
    ESCALATE,
    RETRY,
    SKIP,
    CANCEL,
    /** A fallback made ready to run afresh, because the step it backs up failed (again). */
    RESET
  }

  private static final Map<StepStatus, Map<Transition, StepStatus>> TABLE =
      new EnumMap<>(StepStatus.class);

  static {
    allow(PENDING, Transition.START, RUNNING);
    allow(PENDING, Transition.AWAIT_APPROVAL, WAITING_APPROVAL);
    allow(PENDING, Transition.SKIP, SKIPPED);
    allow(PENDING, Transition.CANCEL, CANCELLED);
    allow(RUNNING, Transition.AWAIT_APPROVAL, WAITING_APPROVAL);
    allow(RUNNING, Transition.SUCCEED, SUCCEEDED);
    allow(RUNNING, Transition.FAIL, FAILED);
    allow(RUNNING, Transition.RECOVER, RECOVERING);
    allow(RUNNING, Transition.ESCALATE, WAITING_OPERATOR);
    allow(RUNNING, Transition.SKIP, SKIPPED);
    allow(RUNNING, Transition.CANCEL, CANCELLED);
    allow(WAITING_APPROVAL, Transition.SUCCEED, SUCCEEDED);
    allow(WAITING_APPROVAL, Transition.FAIL, FAILED);
    allow(WAITING_APPROVAL, Transition.RECOVER, RECOVERING);
    allow(WAITING_APPROVAL, Transition.ESCALATE, WAITING_OPERATOR);
    allow(WAITING_APPROVAL, Transition.SKIP, SKIPPED);
    allow(WAITING_APPROVAL, Transition.CANCEL, CANCELLED);
    allow(RECOVERING, Transition.RECOVERED, RECOVERED);
    allow(RECOVERING, Transition.FAIL, FAILED);
    allow(RECOVERING, Transition.ESCALATE, WAITING_OPERATOR);
    allow(RECOVERING, Transition.CANCEL, CANCELLED);
    allow(WAITING_OPERATOR, Transition.RETRY, PENDING);
    allow(WAITING_OPERATOR, Transition.SKIP, SKIPPED);
    allow(WAITING_OPERATOR, Transition.FAIL, FAILED);
    allow(WAITING_OPERATOR, Transition.CANCEL, CANCELLED);
    for (StepStatus done :
        new StepStatus[] {PENDING, SUCCEEDED, RECOVERED, FAILED, SKIPPED, CANCELLED}) {
      allow(done, Transition.RESET, PENDING);
    }
  }

  private StepLifecycle() {}

  private static void allow(StepStatus from, Transition transition, StepStatus to) {
    TABLE.computeIfAbsent(from, k -> new EnumMap<>(Transition.class)).put(transition, to);
  }

  public static boolean allows(StepStatus from, Transition transition) {
    return TABLE.getOrDefault(from, Map.of()).containsKey(transition);
  }

  /**
   * The status after {@code transition}.
   *
   * @throws IllegalStateException when the table does not allow it
   */
  public static StepStatus next(String step, StepStatus from, Transition transition) {
    StepStatus to = TABLE.getOrDefault(from, Map.of()).get(transition);
    if (to == null) {
      throw new IllegalStateException(
          "step '" + step + "': " + transition + " is not allowed from " + from);
    }
    return to;
  }
}
