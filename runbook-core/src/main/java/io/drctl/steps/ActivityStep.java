package io.drctl.steps;

import static io.drctl.steps.StepKind.first;

import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/**
 * An action of a backend, run as a Temporal activity with the runbook's retries, timeout and
 * heartbeat.
 */
final class ActivityStep implements StepKind {
  /** The attempt timeout when neither the step, its action nor the runbook's defaults set one. */
  static final String BUILT_IN_TIMEOUT = "10m";

  @Override
  public ActionKind key() {
    return ActionKind.ACTIVITY;
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return first(spec.timeout(), action.defaultTimeout(), defaults.timeout(), BUILT_IN_TIMEOUT);
  }

  @Override
  public boolean takesRetryAndHeartbeat() {
    return true;
  }

  @Override
  public boolean retried() {
    return true;
  }
}
