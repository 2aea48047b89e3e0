package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Durations;
import io.temporal.workflow.Workflow;

/** A sleep step: a durable timer of {@code with.duration}. */
final class SleepLauncher implements StepLauncher {
  @Override
  public ActionKind key() {
    return ActionKind.SLEEP;
  }

  @Override
  public void launch(Decision.Start start, LaunchContext context) {
    context.settle(
        start.step().id(),
        Workflow.newTimer(
                Durations.parse(start.with().path("duration").asText()),
                StepLaunchers.timer(start.step().title()))
            .thenApply(ignored -> (JsonNode) JsonNodeFactory.instance.objectNode()));
  }
}
