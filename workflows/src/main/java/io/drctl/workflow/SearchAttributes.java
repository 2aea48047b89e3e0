package io.drctl.workflow;

import io.drctl.plan.Plan;
import io.temporal.workflow.Workflow;

/** Sets the incident's search attributes, so lists and filters in the UI and CLI can find it. */
final class SearchAttributes {
  private SearchAttributes() {}

  static void atStart(Plan plan) {
    Workflow.upsertTypedSearchAttributes(
        IncidentWorkflows.INCIDENT_TYPE.valueSet(plan.type()),
        IncidentWorkflows.SEVERITY.valueSet(plan.severity()),
        IncidentWorkflows.TARGET.valueSet(plan.target() == null ? "" : plan.target()),
        IncidentWorkflows.RUNBOOK_VERSION.valueSet(plan.runbookVersion()),
        IncidentWorkflows.RUNBOOK_HASH.valueSet(plan.hash()));
  }

  /** running, needs-operator, then succeeded, failed or aborted. */
  static void outcome(String outcome) {
    Workflow.upsertTypedSearchAttributes(IncidentWorkflows.OUTCOME.valueSet(outcome));
  }
}
