package io.drctl.steps;

import static io.drctl.steps.StepKind.first;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/** A gate: the incident waits until enough people approve, one rejects, or the deadline passes. */
final class ApprovalStep implements StepKind {
  static final String BUILT_IN_TIMEOUT = "24h";

  @Override
  public ActionKind key() {
    return ActionKind.APPROVAL;
  }

  /**
   * A quorum larger than the list of named approvers could never be reached: the gate would only
   * time out.
   */
  @Override
  public void check(StepCheck check) {
    if (check.spec().with() == null) {
      return;
    }
    JsonNode quorum = check.spec().with().path("quorum");
    JsonNode approvers = check.spec().with().path("approvers");
    if (quorum.isInt()
        && approvers.isArray()
        && approvers.size() > 0
        && quorum.asInt() > approvers.size()) {
      check.error(
          "unreachable-quorum",
          check.pointer() + "/with/quorum",
          "quorum "
              + quorum.asInt()
              + " needs "
              + quorum.asInt()
              + " distinct approvals, but only "
              + approvers.size()
              + " approver"
              + (approvers.size() == 1 ? " is" : "s are")
              + " named",
          "name more approvers, or lower the quorum to " + approvers.size());
    }
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return first(spec.timeout(), defaults.approvalTimeout(), BUILT_IN_TIMEOUT);
  }

  @Override
  public boolean guards() {
    return true;
  }

  @Override
  public void begin(StepStart start) {
    start.awaitApproval(start.with().path("prompt").asText());
  }
}
