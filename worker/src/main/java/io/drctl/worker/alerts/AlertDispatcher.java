package io.drctl.worker.alerts;

import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRouting;
import io.drctl.alerts.AlertRoutingException;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.InputValues;
import io.drctl.plan.Plan;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.StartRequest;
import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Hands one alert to Temporal: routes it, and signals the incident of its problem (workflow id
 * {@code TYPE/TARGET}) with signal-with-start, so that the first firing alert starts the incident
 * on its pinned plan and every later one is a signal to it, however many arrive at once.
 *
 * <p>Cooldown without a race: the incident's last run is described first. Not found: start
 * allowed (reuse policy ALLOW_DUPLICATE). Running: REJECT_DUPLICATE, so that if it ends between
 * the describe and the signal, Temporal refuses a new run instead of starting one inside the
 * cooldown. Ended within the route's cooldown: nothing is sent. Ended longer ago:
 * ALLOW_DUPLICATE, a new run. A running incident is always signalled (conflict policy
 * USE_EXISTING). A resolved alert only signals a running incident; it never starts one.
 *
 * <p>Thread-safe; called concurrently by the receiver's threads.
 */
public final class AlertDispatcher {
  private final WorkflowClient client;
  private final String taskQueue;
  private final CompiledRunbook runbook;
  private final Clock clock;

  public AlertDispatcher(WorkflowClient client, String taskQueue, CompiledRunbook runbook, Clock clock) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.runbook = runbook;
    this.clock = clock;
  }

  /**
   * Routes and delivers {@code alert}. A {@link Delivery.Outcome#delivered} alert is in the
   * incident's history when this returns.
   *
   * @throws TemporalUnavailableException when Temporal cannot be reached; nothing may have
   *     happened, or the signal may have landed (a retry then records the alert twice)
   */
  public Delivery deliver(Alert alert) throws TemporalUnavailableException {
    Optional<AlertRouting.Routed> found;
    try {
      found = runbook.alerts().route(alert);
    } catch (AlertRoutingException e) {
      return Delivery.of(alert, Delivery.Outcome.unroutable, null, null, e.getMessage());
    }
    if (found.isEmpty()) {
      return Delivery.of(alert, Delivery.Outcome.unrouted, null, null, "no route of " + runbook.file() + " matches its labels");
    }
    AlertRouting.Routed routed = found.get();
    String id = routed.workflowId();
    Plan plan = runbook.plan(routed.incident()).orElseThrow(
        () -> new IllegalStateException("route " + routed.route().name() + " names incident " + routed.incident()
            + ", which the compiler checked exists"));
    InputValues.Result inputs = InputValues.resolve(plan.inputs(), routed.inputs());
    if (!inputs.ok()) {
      return Delivery.of(alert, Delivery.Outcome.unroutable, id, null,
          "route " + routed.route().name() + ": incident " + plan.type() + " refuses the inputs: " + String.join("; ", inputs.errors()));
    }
    try {
      return alert.firing() ? fire(alert, routed, plan, id) : resolve(alert, id);
    } catch (RuntimeException e) {
      Status.Code code = RpcErrors.code(e).orElse(null);
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        throw new TemporalUnavailableException("Temporal is unreachable: " + RpcErrors.describe(e), e);
      }
      throw e;
    }
  }

  private Delivery fire(Alert alert, AlertRouting.Routed routed, Plan plan, String id) {
    WorkflowIdReusePolicy reuse = WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE;
    Optional<WorkflowExecutionDescription> last = describe(id);
    if (last.isPresent()) {
      if (last.get().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        reuse = WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE;
      } else {
        Instant closed = last.get().getCloseTime();
        Instant until = closed == null ? null : closed.plus(routed.route().cooldown());
        if (until != null && clock.instant().isBefore(until)) {
          return cooldown(alert, routed, id, closed);
        }
      }
    }
    StartRequest request = new StartRequest(plan, routed.inputs(), "drctl receiver (" + alert.source() + ")",
        "alert " + alert.describe() + ", route " + routed.route().name(), alert);
    WorkflowOptions options = IncidentLaunch.options(request, id, taskQueue)
        .setWorkflowIdReusePolicy(reuse)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .build();
    WorkflowExecution execution;
    try {
      execution = client.newUntypedWorkflowStub(plan.type(), options)
          .signalWithStart(IncidentWorkflows.ALERT, new Object[] {alert}, new Object[] {IncidentLaunch.envelope(request)});
    } catch (WorkflowExecutionAlreadyStarted e) {
      // It ended between the describe and the signal: that end starts the cooldown.
      return cooldown(alert, routed, id, describe(id).map(WorkflowExecutionDescription::getCloseTime).orElse(null));
    }
    return Delivery.of(alert, Delivery.Outcome.delivered, id, execution.getRunId(), null);
  }

  private Delivery cooldown(Alert alert, AlertRouting.Routed routed, String id, Instant closed) {
    return Delivery.of(alert, Delivery.Outcome.cooldown, id, null, "incident " + id + " ended at " + closed
        + ", less than the cooldown of route " + routed.route().name() + " (" + routed.route().cooldown() + ") ago");
  }

  private Delivery resolve(Alert alert, String id) {
    try {
      client.newUntypedWorkflowStub(id).signal(IncidentWorkflows.ALERT, alert);
    } catch (WorkflowNotFoundException e) {
      return Delivery.of(alert, Delivery.Outcome.not_running, id, null, "no incident " + id + " runs to record the resolution on");
    }
    return Delivery.of(alert, Delivery.Outcome.delivered, id, null, null);
  }

  private Optional<WorkflowExecutionDescription> describe(String id) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(id).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
