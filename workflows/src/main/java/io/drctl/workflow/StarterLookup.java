package io.drctl.workflow;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;

/** {@link StarterActivities} on the worker: reads the first event of the incident's history. */
public final class StarterLookup implements StarterActivities {
  private final WorkflowServiceStubs service;

  public StarterLookup(WorkflowServiceStubs service) {
    this.service = service;
  }

  @Override
  public String starter() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    History history =
        service
            .blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(info.getNamespace())
                    .setExecution(
                        WorkflowExecution.newBuilder()
                            .setWorkflowId(info.getWorkflowId())
                            .setRunId(info.getRunId()))
                    .setMaximumPageSize(1)
                    .build())
            .getHistory();
    if (history.getEventsCount() == 0
        || !history.getEvents(0).hasWorkflowExecutionStartedEventAttributes()) {
      return "";
    }
    return history.getEvents(0).getWorkflowExecutionStartedEventAttributes().getIdentity();
  }
}
