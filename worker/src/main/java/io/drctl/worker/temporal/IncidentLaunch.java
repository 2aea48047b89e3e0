package io.drctl.worker.temporal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.StartRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/**
 * How every client starts an incident ({@code drctl start}, the alert receiver): the plan pinned in
 * the start request's envelope, the summary and details the Temporal UI shows, and the search
 * attributes lists filter on. One place, so that an incident looks the same whoever started it.
 */
public final class IncidentLaunch {
  private IncidentLaunch() {}

  /** The workflow input: {@code {"drctl": request}}. */
  public static ObjectNode envelope(StartRequest request) {
    ObjectNode envelope = PlanJson.mapper().createObjectNode();
    envelope.set(StartRequest.ENVELOPE, PlanJson.mapper().valueToTree(request));
    return envelope;
  }

  /**
   * Options for the incident {@code workflowId} of {@code request}'s plan; callers add policies.
   */
  public static WorkflowOptions.Builder options(
      StartRequest request, String workflowId, String taskQueue) {
    Plan plan = request.plan();
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(taskQueue)
        .setStaticSummary(plan.title())
        .setStaticDetails(
            "Started by "
                + request.startedBy()
                + (request.reason() == null ? "" : ": " + request.reason())
                + "\n\nRunbook "
                + plan.runbookVersion()
                + ", plan "
                + plan.hash())
        .setTypedSearchAttributes(searchAttributes(plan));
  }

  private static SearchAttributes searchAttributes(Plan plan) {
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder()
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
