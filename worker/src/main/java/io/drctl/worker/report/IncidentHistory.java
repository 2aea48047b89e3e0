package io.drctl.worker.report;

import com.google.protobuf.ByteString;
import io.drctl.worker.temporal.RpcErrors;
import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;

/** Reads a workflow's event history from the server, every page of it. */
public final class IncidentHistory {
  private IncidentHistory() {}

  /**
   * The whole history of {@code workflowId} (the latest run, or {@code runId}).
   *
   * @throws ReportException when the server has no such workflow
   */
  public static List<HistoryEvent> fetch(
      WorkflowServiceStubs stubs, String namespace, String workflowId, String runId) {
    return fetch(stubs, namespace, workflowId, runId, Integer.MAX_VALUE);
  }

  /** The first {@code max} events (at least); the rest are not read. */
  static List<HistoryEvent> fetch(
      WorkflowServiceStubs stubs, String namespace, String workflowId, String runId, int max) {
    WorkflowExecution execution =
        WorkflowExecution.newBuilder()
            .setWorkflowId(workflowId)
            .setRunId(runId == null ? "" : runId)
            .build();
    List<HistoryEvent> events = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page;
      try {
        page =
            stubs
                .blockingStub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(namespace)
                        .setExecution(execution)
                        .setNextPageToken(token)
                        .setMaximumPageSize(max == Integer.MAX_VALUE ? 0 : max)
                        .build());
      } catch (RuntimeException e) {
        if (RpcErrors.is(e, Status.Code.NOT_FOUND)) {
          throw new ReportException(
              "no incident '"
                  + workflowId
                  + "'"
                  + (runId == null ? "" : " run " + runId)
                  + " in namespace '"
                  + namespace
                  + "'");
        }
        throw e;
      }
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && events.size() < max);
    return events;
  }
}
