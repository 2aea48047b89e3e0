package io.drctl.worker.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.StartRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/**
 * One start of an incident with its plan pinned: the workflow input and options that {@code
 * drctl start} sends once, and that a schedule's action sends on every run. Whatever the workers'
 * runbook says, the incident runs this plan.
 *
 * @param inputs the inputs as given; the workflow applies the defaults
 * @param startedBy who or what starts it, shown with the incident and kept in its report
 * @param reason why, or null
 */
public record IncidentStart(Plan plan, JsonNode inputs, String startedBy, String reason) {

  /** The workflow's one argument: the {@link StartRequest} wrapped as {@code {"drctl": {...}}}. */
  public ObjectNode envelope() {
    ObjectNode envelope = PlanJson.mapper().createObjectNode();
    envelope.set(StartRequest.ENVELOPE, PlanJson.mapper().valueToTree(new StartRequest(plan, inputs, startedBy, reason)));
    return envelope;
  }

  /** Id, task queue, the title and who started it for the Web UI, and drctl's search attributes. */
  public WorkflowOptions options(String workflowId, String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(taskQueue)
        .setStaticSummary(plan.title())
        .setStaticDetails("Started by " + startedBy + (reason == null ? "" : ": " + reason)
            + "\n\nRunbook " + plan.runbookVersion() + ", plan " + plan.hash())
        .setTypedSearchAttributes(searchAttributes())
        .build();
  }

  private SearchAttributes searchAttributes() {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(IncidentWorkflows.INCIDENT_TYPE, plan.type())
        .set(IncidentWorkflows.SEVERITY, plan.severity())
        .set(IncidentWorkflows.RUNBOOK_VERSION, plan.runbookVersion())
        .set(IncidentWorkflows.RUNBOOK_HASH, plan.hash());
    if (plan.target() != null) {
      attributes.set(IncidentWorkflows.TARGET, plan.target());
    }
    return attributes.build();
  }
}
