package io.drctl.steps;

import static io.drctl.steps.StepKind.first;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/**
 * Polls a read-only action every {@code interval} until {@code until} holds over its result, or the
 * timeout passes.
 */
final class WaitUntilStep implements StepKind {
  @Override
  public ActionKind key() {
    return ActionKind.WAIT_UNTIL;
  }

  @Override
  public void check(StepCheck check) {
    ObjectNode with = check.spec().with();
    if (with == null) {
      return;
    }
    if (with.path("interval").isTextual()) {
      check.positiveDuration(with.path("interval").asText(), check.pointer() + "/with/interval");
    }
    JsonNode name = with.get("action");
    if (name == null || !name.isTextual()) {
      return;
    }
    String at = check.pointer() + "/with/action";
    ActionDefinition polled = check.action(name.asText()).orElse(null);
    if (polled == null || polled.kind() != ActionKind.ACTIVITY) {
      check.unusableAction(
          at,
          "waitUntil polls an activity action; '" + name.asText() + "' is not one",
          name.asText());
      return;
    }
    if (!polled.idempotent() || polled.destructive()) {
      check.error(
          "not-idempotent",
          at,
          "waitUntil repeats its action; " + polled.name() + " is not safe to repeat",
          "poll a read-only action such as postgres.isReady or http.check");
    }
    JsonNode inner = with.get("with");
    check.params(polled, inner instanceof ObjectNode o ? o : null, check.pointer() + "/with/with");
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return first(spec.timeout(), defaults.timeout(), ActivityStep.BUILT_IN_TIMEOUT);
  }

  @Override
  public boolean retried() {
    return true;
  }

  @Override
  public String resultCondition() {
    return "until";
  }
}
