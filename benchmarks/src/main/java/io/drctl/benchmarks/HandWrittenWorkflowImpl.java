package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Calls the no-op activity once per step with the same options the interpreter gives a {@code
 * bench.noop} step of {@link NoopRunbook}: per-attempt timeout, default retry policy, the step's
 * title as the activity summary, and wait-for-cancellation; the same input as the step's {@code
 * with} after evaluation.
 */
public class HandWrittenWorkflowImpl implements HandWrittenWorkflow {
  /** drctl's defaults for an activity step: {@link NoopRunbook#compile} checks the plan agrees. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setMaximumAttempts(3)
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .build();

  @Override
  public int run(int steps, boolean passOutcome) {
    int done = 0;
    for (int i = 1; i <= steps; i++) {
      String id = "s" + i;
      NoopActivities activities =
          Workflow.newActivityStub(
              NoopActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(TIMEOUT)
                  .setSummary(id)
                  .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                  .setRetryOptions(RETRY)
                  .build());
      ObjectNode with = JsonNodeFactory.instance.objectNode().put("step", id);
      if (passOutcome && i > 1) {
        with.put("after", "succeeded");
      }
      activities.noop(with);
      done++;
    }
    return done;
  }
}
