package io.drctl.interpreter;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a step stands. The allowed moves between these are in {@link StepLifecycle}. */
public enum StepStatus {
  PENDING,
  RUNNING,
  WAITING_APPROVAL,
  /** Failed for good; its onFailure fallbacks are running. */
  RECOVERING,
  /** Failed for good with no way forward; an operator must retry, skip or abort. */
  WAITING_OPERATOR,
  SUCCEEDED,
  /** Failed, but its fallbacks succeeded. */
  RECOVERED,
  FAILED,
  SKIPPED,
  CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED
        || this == RECOVERED
        || this == FAILED
        || this == SKIPPED
        || this == CANCELLED;
  }

  /**
   * Whether steps that need this one may start. A failure counts only with continueOnError. A
   * background step (a notification) lets them start once it runs, and its failure counts too.
   */
  public boolean letsDependentsRun(boolean continueOnError, boolean background) {
    return this == SUCCEEDED
        || this == RECOVERED
        || this == SKIPPED
        || (this == FAILED && (continueOnError || background))
        || (this == RUNNING && background);
  }

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
