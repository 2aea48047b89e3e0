package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Durations;
import io.drctl.plan.PlanStep;
import io.drctl.plan.RetryPolicy;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;

/**
 * An activity step: the action as a Temporal activity with the step's timeout, retries and
 * heartbeat.
 */
final class ActivityLauncher implements StepLauncher {
  @Override
  public ActionKind key() {
    return ActionKind.ACTIVITY;
  }

  @Override
  public void launch(Decision.Start start, LaunchContext context) {
    PlanStep step = start.step();
    context.settle(
        step.id(),
        StepContext.scheduling(
            step.id(),
            () ->
                Workflow.newUntypedActivityStub(options(step, step.timeout()))
                    .executeAsync(
                        step.action(),
                        JsonNode.class,
                        ActivityInputs.of(start.with(), context.interpreter().plan()))));
  }

  /**
   * The options of one attempt of {@code step}'s action, each attempt bounded by {@code timeout}.
   */
  static ActivityOptions options(PlanStep step, String timeout) {
    RetryPolicy retry = step.retry() == null ? RetryPolicy.DEFAULT : step.retry();
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Durations.parse(timeout))
            .setSummary(step.title())
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(retry.maxAttempts())
                    .setInitialInterval(Durations.parse(retry.initialInterval()))
                    .setBackoffCoefficient(retry.backoffCoefficient())
                    .setMaximumInterval(Durations.parse(retry.maxInterval()))
                    .setDoNotRetry(retry.nonRetryable().toArray(String[]::new))
                    .build());
    if (step.heartbeat() != null) {
      options.setHeartbeatTimeout(Durations.parse(step.heartbeat()));
    }
    return options.build();
  }
}
