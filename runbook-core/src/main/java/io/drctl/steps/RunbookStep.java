package io.drctl.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/** Another incident of the same runbook, run as a child workflow on the pinned plan. */
final class RunbookStep implements StepKind {
  @Override
  public ActionKind key() {
    return ActionKind.RUNBOOK;
  }

  @Override
  public void check(StepCheck check) {
    JsonNode name = check.spec().with() == null ? null : check.spec().with().get("incident");
    if (name != null && name.isTextual()) {
      check.childIncident(name.asText(), check.pointer() + "/with/incident");
    }
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return spec.timeout();
  }
}
