package io.drctl.workflow;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** Reads what went wrong out of the failures Temporal hands the workflow. */
final class StepFailures {
  private StepFailures() {}

  /** The stable error type and message of a step failure. */
  record Described(String type, String message, boolean cancelled) {}

  static Described describe(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CanceledFailure) {
      return new Described("Cancelled", "cancelled", true);
    }
    if (cause instanceof ApplicationFailure application) {
      return new Described(application.getType(), application.getOriginalMessage(), false);
    }
    if (cause instanceof TimeoutFailure timeout) {
      return new Described(
          "Timeout",
          "timed out ("
              + timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase()
              + ")",
          false);
    }
    if (cause instanceof TemporalFailure temporal) {
      return new Described(
          temporal.getClass().getSimpleName(), temporal.getOriginalMessage(), false);
    }
    return new Described(
        cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()), false);
  }
}
