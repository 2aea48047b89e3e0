package io.drctl.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/** A durable timer: the step succeeds when {@code with.duration} has passed. */
final class SleepStep implements StepKind {
  @Override
  public ActionKind key() {
    return ActionKind.SLEEP;
  }

  @Override
  public void check(StepCheck check) {
    if (check.spec().timeout() != null) {
      check.errorAtKey(
          "not-applicable",
          check.pointer() + "/timeout",
          "a sleep step has no timeout",
          "the sleep's with.duration says how long it waits");
    }
    ObjectNode with = check.spec().with();
    if (with != null
        && with.path("duration").isTextual()
        && !with.path("duration").asText().contains("${{")) {
      check.positiveDuration(with.path("duration").asText(), check.pointer() + "/with/duration");
    }
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return spec.timeout();
  }
}
