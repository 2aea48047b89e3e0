package io.drctl.worker.metrics;

import io.drctl.workflow.IncidentReport;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

/**
 * Counts incidents in {@link IncidentMetrics} from the worker, without touching the workflow's
 * code.
 *
 * <p>Incidents are counted when the incident workflow returns its report or fails with it, in this
 * interceptor around the workflow's {@code execute}. That code runs on the workflow thread, so it
 * records only when {@link Workflow#isReplaying()} is false: the same rule the SDK's replay-aware
 * {@code Workflow.getMetricsScope()} applies, here with the exact labels {@code type} and {@code
 * outcome} instead of the SDK scope's namespace, task queue and workflow type tags. Recording
 * changes no workflow decision and adds no command, so replay stays deterministic; a replay (a
 * query on a closed incident, a worker that took the incident over) counts nothing. A worker that
 * crashes after recording but before its completion reached the server counts that incident again
 * on the worker that completes it: at least once.
 *
 * <p>Step attempts are counted outside the workflow, by {@link io.drctl.worker.temporal.StepLog}
 * around each activity attempt.
 */
public final class MetricsInterceptor extends WorkerInterceptorBase {
  private final IncidentMetrics metrics;

  public MetricsInterceptor(IncidentMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        WorkflowOutput output;
        try {
          output = super.execute(input);
        } catch (ApplicationFailure failure) {
          if (!Workflow.isReplaying()) {
            IncidentReport report = reportOf(failure);
            if (report != null) {
              metrics.incidentEnded(report);
            } else {
              metrics.incidentEnded(Workflow.getInfo().getWorkflowType(), "failed");
            }
          }
          throw failure;
        } catch (CanceledFailure cancelled) {
          if (!Workflow.isReplaying()) {
            metrics.incidentEnded(Workflow.getInfo().getWorkflowType(), "cancelled");
          }
          throw cancelled;
        }
        if (!Workflow.isReplaying() && output.getResult() instanceof IncidentReport report) {
          metrics.incidentEnded(report);
        }
        return output;
      }
    };
  }

  /** The report a failed incident carries in its details, or null when it has none. */
  private static IncidentReport reportOf(ApplicationFailure failure) {
    if (failure.getDetails().getSize() == 0) {
      return null;
    }
    Object details = failure.getDetails().get(0, IncidentReport.class);
    return details instanceof IncidentReport report ? report : null;
  }
}
