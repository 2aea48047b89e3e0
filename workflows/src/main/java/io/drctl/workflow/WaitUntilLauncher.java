package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.ExpressionException;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Durations;
import io.drctl.plan.PlanStep;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** waitUntil: run the action, test the condition, sleep, until it holds or the deadline passes. */
final class WaitUntilLauncher implements StepLauncher {
  private static final Duration MAX_POLL_ATTEMPT = Duration.ofMinutes(5);

  @Override
  public ActionKind key() {
    return ActionKind.WAIT_UNTIL;
  }

  @Override
  public void launch(Decision.Start start, LaunchContext context) {
    context.settle(
        start.step().id(), Async.function(() -> poll(start.step(), start.with(), context)));
  }

  private static JsonNode poll(PlanStep step, JsonNode with, LaunchContext context) {
    String action = with.path("action").asText();
    Duration interval = Durations.parse(with.path("interval").asText("10s"));
    Duration budget = Durations.parse(step.timeout());
    long deadline = Workflow.currentTimeMillis() + budget.toMillis();
    String attempt =
        Durations.format(budget.compareTo(MAX_POLL_ATTEMPT) < 0 ? budget : MAX_POLL_ATTEMPT);
    var stub = Workflow.newUntypedActivityStub(ActivityLauncher.options(step, attempt));
    int polls = 0;
    while (true) {
      JsonNode result =
          StepContext.scheduling(
              step.id(),
              () ->
                  stub.execute(
                      action,
                      JsonNode.class,
                      ActivityInputs.of(with.path("with"), context.interpreter().plan())));
      polls++;
      try {
        if (context.interpreter().holds(with.path("until").asText(), context.state(), result)) {
          ObjectNode output = JsonNodeFactory.instance.objectNode().put("polls", polls);
          output.set("result", result);
          return output;
        }
      } catch (ExpressionException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "ExpressionError");
      }
      if (Workflow.currentTimeMillis() + interval.toMillis() > deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "'"
                + with.path("until").asText()
                + "' did not hold within "
                + step.timeout()
                + " ("
                + polls
                + " polls)",
            "WaitTimedOut");
      }
      Workflow.newTimer(interval, StepLaunchers.timer("Poll again: " + step.title())).get();
    }
  }
}
