package io.drctl.activities.registry;

import io.drctl.activities.ActionFailures;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.common.converter.EncodedValues;

/**
 * The worker's fallback for activity types it has no implementation for. The catalog defines
 * actions before their backends exist, so a runbook can compile and start while this worker cannot
 * run one of its steps yet; the step then fails at once, non-retryably, with type {@link
 * ActionFailures#ACTION_NOT_IMPLEMENTED}, instead of waiting on a task queue no one serves.
 *
 * <p>Call rules: register exactly one per worker (Temporal allows one dynamic activity). Has no
 * side effect, so it is safe to run any number of times.
 */
public final class NotImplementedActivity implements DynamicActivity {

  @Override
  public Object execute(EncodedValues args) {
    String action = Activity.getExecutionContext().getInfo().getActivityType();
    throw ActionFailures.nonRetryable(
        ActionFailures.ACTION_NOT_IMPLEMENTED,
        "action "
            + action
            + " is defined in the catalog but this worker has no implementation for it yet");
  }
}
