package io.drctl.worker.cli;

import io.drctl.interpreter.Progress;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowTargetOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;

/**
 * What {@code status} and {@code watch} show about one incident at one moment: Temporal's
 * description (status, pending activities with their heartbeats), and the incident's own view: its
 * progress while it runs (a query, answered by a worker), its report once it has ended (the result
 * or the failure's details, which need no worker).
 *
 * @param progress null when it has ended, or no worker answered
 * @param report null while it runs
 * @param note why neither is there, or null
 */
record IncidentSnapshot(
    WorkflowExecutionDescription description,
    Progress progress,
    IncidentReport report,
    String failureType,
    String note) {

  static IncidentSnapshot take(WorkflowClient client, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description =
        withHeartbeatsDecoded(stub.describe(), client.getOptions().getDataConverter());
    if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        Progress progress = stub.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
        return new IncidentSnapshot(
            description,
            progress,
            null,
            null,
            progress == null ? "the incident is starting" : null);
      } catch (WorkflowException e) {
        return new IncidentSnapshot(
            description,
            null,
            null,
            null,
            "no progress: no worker answered on task queue '"
                + description.getTaskQueue()
                + "' ("
                + firstLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                + ")");
      }
    }
    WorkflowStub closed =
        client.newUntypedWorkflowStub(
            WorkflowTargetOptions.newBuilder()
                .setWorkflowExecution(description.getExecution())
                .build());
    try {
      return new IncidentSnapshot(
          description, null, closed.getResult(IncidentReport.class), null, null);
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof ApplicationFailure failure) {
        IncidentReport report =
            failure.getDetails().getSize() == 0
                ? null
                : failure.getDetails().get(IncidentReport.class);
        return new IncidentSnapshot(
            description,
            null,
            report,
            failure.getType(),
            report == null ? firstLine(failure.getOriginalMessage()) : null);
      }
      String why =
          e.getCause() instanceof TemporalFailure failure
              ? failure.getOriginalMessage()
              : e.getMessage();
      return new IncidentSnapshot(description, null, null, null, firstLine(why));
    } catch (RuntimeException e) {
      return new IncidentSnapshot(
          description, null, null, null, "no report: " + firstLine(e.getMessage()));
    }
  }

  /**
   * The description with its steps' heartbeat details decrypted, when payloads are encrypted, so
   * progress shows.
   */
  private static WorkflowExecutionDescription withHeartbeatsDecoded(
      WorkflowExecutionDescription description, DataConverter converter) {
    if (!(converter instanceof PayloadCodec codec)) {
      return description;
    }
    DescribeWorkflowExecutionResponse.Builder raw = description.getRawDescription().toBuilder();
    for (PendingActivityInfo.Builder activity : raw.getPendingActivitiesBuilderList()) {
      if (activity.hasHeartbeatDetails()) {
        activity.setHeartbeatDetails(
            Payloads.newBuilder()
                .addAllPayloads(codec.decode(activity.getHeartbeatDetails().getPayloadsList())));
      }
    }
    return new WorkflowExecutionDescription(raw.build(), converter);
  }

  WorkflowExecutionStatus status() {
    return description.getStatus();
  }

  boolean running() {
    return status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  List<PendingActivityInfo> pendingActivities() {
    return description.getRawDescription().getPendingActivitiesList();
  }

  /**
   * succeeded, failed, aborted, or null while it runs; from the report, else the search attribute,
   * else Temporal.
   */
  String outcome() {
    if (running()) {
      return null;
    }
    if (report != null && report.outcome() != null) {
      return report.outcome();
    }
    String attribute = description.getTypedSearchAttributes().get(IncidentWorkflows.OUTCOME);
    if (attribute != null && List.of("succeeded", "failed", "aborted").contains(attribute)) {
      return attribute;
    }
    if ("IncidentAborted".equals(failureType)) {
      return "aborted";
    }
    return switch (status()) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "succeeded";
      case WORKFLOW_EXECUTION_STATUS_FAILED -> "failed";
      default -> Statuses.name(status());
    };
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
