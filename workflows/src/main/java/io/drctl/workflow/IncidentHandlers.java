package io.drctl.workflow;

import io.drctl.alerts.Alert;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * The named handlers every incident workflow registers, so that the Temporal UI lists them (its
 * signal dialog, its Queries tab) and typed clients can call them. Signals are for the UI and alert
 * receivers: a refused one is recorded in the incident's notes. Updates are for the CLI: their
 * validator refuses a command that cannot apply, and they answer with a {@link CommandResult}.
 * Every payload is an {@link OperatorCommand}.
 */
public interface IncidentHandlers {
  @QueryMethod(name = IncidentWorkflows.PROGRESS_QUERY)
  Progress progress();

  /** An alert about the incident's problem; recorded, never refused. */
  @SignalMethod(name = IncidentWorkflows.ALERT)
  void alertSignal(Alert alert);

  @SignalMethod(name = IncidentWorkflows.APPROVE)
  void approveSignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.REJECT)
  void rejectSignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.RETRY)
  void retrySignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.SKIP)
  void skipSignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.PAUSE)
  void pauseSignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.RESUME)
  void resumeSignal(OperatorCommand command);

  @SignalMethod(name = IncidentWorkflows.ABORT)
  void abortSignal(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.APPROVE)
  CommandResult approve(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.APPROVE)
  void validateApprove(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.REJECT)
  CommandResult reject(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.REJECT)
  void validateReject(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.RETRY)
  CommandResult retry(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.RETRY)
  void validateRetry(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.SKIP)
  CommandResult skip(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.SKIP)
  void validateSkip(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.PAUSE)
  CommandResult pause(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.PAUSE)
  void validatePause(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.RESUME)
  CommandResult resume(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.RESUME)
  void validateResume(OperatorCommand command);

  @UpdateMethod(name = IncidentWorkflows.ABORT)
  CommandResult abort(OperatorCommand command);

  @UpdateValidatorMethod(updateName = IncidentWorkflows.ABORT)
  void validateAbort(OperatorCommand command);
}
