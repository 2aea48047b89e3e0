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
 * <p>Policies, chosen so that the common case is one RPC and concurrent receivers never start a
 * second incident beside a running one: the first signal-with-start uses conflict policy
 * USE_EXISTING (a running incident is signalled, never duplicated) and reuse policy
 * REJECT_DUPLICATE, so Temporal itself refuses to start a second run once one has ended, whatever
 * other receivers do meanwhile. Only then is the ended run described: within the route's cooldown
 * nothing is sent (202, logged); after it the alert is sent again with ALLOW_DUPLICATE and starts a
 * new run (or signals one another receiver just started). The one window left: a run that starts
 * and also ends between that describe and the second send is not seen, and the alert starts a run
 * inside its cooldown. A resolved alert only signals a running incident; it never starts one.
 *
 * <p>Thread-safe; called concurrently by the receiver's threads.
 */
public final class AlertDispatcher implements AlertSink {
  private final WorkflowClient client;
  private final String taskQueue;
  private final CompiledRunbook runbook;
  private final Clock clock;

  public AlertDispatcher(
      WorkflowClient client, String taskQueue, CompiledRunbook runbook, Clock clock) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.runbook = runbook;
    this.clock = clock;
  }

  /**
   * Routes and delivers {@code alert}. A {@link Delivery.Outcome#delivered} alert is durable in the
   * incident when this returns: the server has recorded the signal, and writes it into the history
   * once any workflow task then running completes.
   *
   * @throws TemporalUnavailableException when Temporal cannot be reached; nothing may have
   *     happened, or the signal may have landed (a retry then records the alert twice)
   */
  @Override
  public Delivery deliver(Alert alert) throws TemporalUnavailableException {
    Optional<AlertRouting.Routed> found;
    try {
      found = runbook.alerts().route(alert);
    } catch (AlertRoutingException e) {
      return Delivery.of(alert, Delivery.Outcome.unroutable, null, null, e.getMessage());
    }
    if (found.isEmpty()) {
      return Delivery.of(
          alert,
          Delivery.Outcome.unrouted,
          null,
          null,
          "no route of " + runbook.file() + " matches its labels");
    }
    AlertRouting.Routed routed = found.get();
    String id = routed.workflowId();
    Plan plan =
        runbook
            .plan(routed.incident())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "route "
                            + routed.route().name()
                            + " names incident "
                            + routed.incident()
                            + ", which the compiler checked exists"));
    InputValues.Result inputs = InputValues.resolve(plan.inputs(), routed.inputs());
    if (!inputs.ok()) {
      return Delivery.of(
          alert,
          Delivery.Outcome.unroutable,
          id,
          null,
          "route "
              + routed.route().name()
              + ": incident "
              + plan.type()
              + " refuses the inputs: "
              + String.join("; ", inputs.errors()));
    }
    try {
      return alert.firing() ? fire(alert, routed, plan, id) : resolve(alert, id);
    } catch (RuntimeException e) {
      Status.Code code = RpcErrors.code(e).orElse(null);
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        throw new TemporalUnavailableException(
            "Temporal is unreachable: " + RpcErrors.describe(e), e);
      }
      throw e;
    }
  }

  private Delivery fire(Alert alert, AlertRouting.Routed routed, Plan plan, String id) {
    StartRequest request =
        new StartRequest(
            plan,
            routed.inputs(),
            "drctl receiver (" + alert.source() + ")",
            "alert " + alert.describe() + ", route " + routed.route().name(),
            alert);
    try {
      return signalWithStart(
          alert, request, id, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    } catch (WorkflowExecutionAlreadyStarted ended) {
      // A run of this id has ended: within the cooldown nothing starts, after it a new run does.
      Optional<WorkflowExecutionDescription> last = describe(id);
      Instant closed = last.map(WorkflowExecutionDescription::getCloseTime).orElse(null);
      if (closed != null && clock.instant().isBefore(closed.plus(routed.route().cooldown()))) {
        return cooldown(alert, routed, id, closed);
      }
      return signalWithStart(
          alert, request, id, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
    }
  }

  /** Signals the running incident {@code id}, or starts it when {@code reuse} allows; one RPC. */
  private Delivery signalWithStart(
      Alert alert, StartRequest request, String id, WorkflowIdReusePolicy reuse) {
    WorkflowOptions options =
        IncidentLaunch.options(request, id, taskQueue)
            .setWorkflowIdReusePolicy(reuse)
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .build();
    WorkflowExecution execution =
        client
            .newUntypedWorkflowStub(request.plan().type(), options)
            .signalWithStart(
                IncidentWorkflows.ALERT,
                new Object[] {alert},
                new Object[] {IncidentLaunch.envelope(request)});
    return Delivery.of(alert, Delivery.Outcome.delivered, id, execution.getRunId(), null);
  }

  private Delivery cooldown(Alert alert, AlertRouting.Routed routed, String id, Instant closed) {
    return Delivery.of(
        alert,
        Delivery.Outcome.cooldown,
        id,
        null,
        "incident "
            + id
            + " ended at "
            + closed
            + ", less than the cooldown of route "
            + routed.route().name()
            + " ("
            + routed.route().cooldown()
            + ") ago");
  }

  private Delivery resolve(Alert alert, String id) {
    try {
      client.newUntypedWorkflowStub(id).signal(IncidentWorkflows.ALERT, alert);
    } catch (WorkflowNotFoundException e) {
      return Delivery.of(
          alert,
          Delivery.Outcome.not_running,
          id,
          null,
          "no incident " + id + " runs to record the resolution on");
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
