package io.drctl.steps;

import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/**
 * Ends the step, and unless something handles it the incident, with the runbook's error type and
 * message.
 */
final class FailStep implements StepKind {
  @Override
  public ActionKind key() {
    return ActionKind.FAIL;
  }

  @Override
  public void check(StepCheck check) {
    if (check.spec().timeout() != null) {
      check.errorAtKey(
          "not-applicable",
          check.pointer() + "/timeout",
          "a fail step has no timeout",
          "remove it");
    }
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return spec.timeout();
  }

  @Override
  public boolean alwaysFails() {
    return true;
  }

  @Override
  public void begin(StepStart start) {
    start.fail(
        start.with().path("errorType").asText("RunbookFailed"),
        start.with().path("message").asText());
  }

  /** A retry would fail the same way. */
  @Override
  public boolean operatorMayRetry() {
    return false;
  }
}
