package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.IncidentState;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A runbook step: the child incident runs as a child workflow on its pinned plan; its own children
 * go along.
 */
final class RunbookLauncher implements StepLauncher {
  @Override
  public ActionKind key() {
    return ActionKind.RUNBOOK;
  }

  @Override
  public void launch(Decision.Start start, LaunchContext context) {
    context.settle(start.step().id(), child(start, context.interpreter().plan(), context.state()));
  }

  private static Promise<JsonNode> child(Decision.Start start, Plan plan, IncidentState state) {
    String type = start.with().path("incident").asText();
    Map<String, Plan> others = new LinkedHashMap<>(plan.childPlans());
    Plan childPlan = others.remove(type);
    if (childPlan == null) {
      return Workflow.newFailedPromise(
          ApplicationFailure.newNonRetryableFailure(
              "the pinned plan has no child incident '" + type + "'",
              PlanCatalogActivities.UNKNOWN_INCIDENT));
    }
    Plan pinned = childPlan.withChildren(others);
    StartRequest request =
        new StartRequest(
            pinned.withHash(PlanJson.hash(pinned)),
            start.with().path("inputs"),
            state.startedBy(),
            "run by " + state.incidentId() + " step " + start.step().id());
    String workflowId = state.incidentId() + "." + start.step().id() + "." + start.attempt();
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(Workflow.getInfo().getTaskQueue())
            .setStaticSummary(childPlan.title())
            .build();
    Promise<IncidentReport> report =
        Workflow.newUntypedChildWorkflowStub(type, options)
            .executeAsync(IncidentReport.class, Map.of(StartRequest.ENVELOPE, request));
    return report.thenApply(
        r ->
            (JsonNode)
                JsonNodeFactory.instance
                    .objectNode()
                    .put("workflowId", workflowId)
                    .put("outcome", r.outcome())
                    .put("rtoMet", r.rtoMet()));
  }
}
