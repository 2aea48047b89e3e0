package io.drctl.workflow;

import io.drctl.alerts.Alert;
import io.drctl.interpreter.Command;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.temporal.workflow.Workflow;

/**
 * The named handlers of an incident workflow; each delegates to the interpreter's one command path.
 * Signals and alerts that arrive before the incident started are applied once it has.
 */
final class OperatorHandlers implements IncidentHandlers {
  private final IncidentWorkflowImpl workflow;

  OperatorHandlers(IncidentWorkflowImpl workflow) {
    this.workflow = workflow;
  }

  @Override
  public Progress progress() {
    return workflow.state == null
        ? null
        : Reports.progress(workflow.interpreter, workflow.state, Workflow.currentTimeMillis());
  }

  private void signal(Command name, OperatorCommand command) {
    if (workflow.state == null) {
      workflow.events.add(
          () -> workflow.apply(name, command)); // applied once the incident has started
    } else {
      workflow.apply(name, command);
    }
  }

  @Override
  public void alertSignal(Alert alert) {
    if (alert == null) {
      return; // an empty signal from the UI carries no alert to record
    }
    if (workflow.state == null) {
      workflow.events.add(
          () ->
              workflow.interpreter.alert(
                  workflow.state, alert, Workflow.currentTimeMillis())); // once started
    } else {
      workflow.interpreter.alert(workflow.state, alert, Workflow.currentTimeMillis());
    }
    workflow.dirty = true;
  }

  private void validate(Command name, OperatorCommand command) {
    if (workflow.state == null) {
      throw new IllegalStateException("the incident is still starting; try again in a moment");
    }
    CommandResult check =
        workflow.interpreter.command(
            workflow.state, name, command, Workflow.currentTimeMillis(), false);
    if (!check.accepted()) {
      throw new IllegalArgumentException(check.message());
    }
  }

  @Override
  public void approveSignal(OperatorCommand c) {
    signal(Command.APPROVE, c);
  }

  @Override
  public void rejectSignal(OperatorCommand c) {
    signal(Command.REJECT, c);
  }

  @Override
  public void retrySignal(OperatorCommand c) {
    signal(Command.RETRY, c);
  }

  @Override
  public void skipSignal(OperatorCommand c) {
    signal(Command.SKIP, c);
  }

  @Override
  public void pauseSignal(OperatorCommand c) {
    signal(Command.PAUSE, c);
  }

  @Override
  public void resumeSignal(OperatorCommand c) {
    signal(Command.RESUME, c);
  }

  @Override
  public void abortSignal(OperatorCommand c) {
    signal(Command.ABORT, c);
  }

  @Override
  public CommandResult approve(OperatorCommand c) {
    return workflow.apply(Command.APPROVE, c);
  }

  @Override
  public void validateApprove(OperatorCommand c) {
    validate(Command.APPROVE, c);
  }

  @Override
  public CommandResult reject(OperatorCommand c) {
    return workflow.apply(Command.REJECT, c);
  }

  @Override
  public void validateReject(OperatorCommand c) {
    validate(Command.REJECT, c);
  }

  @Override
  public CommandResult retry(OperatorCommand c) {
    return workflow.apply(Command.RETRY, c);
  }

  @Override
  public void validateRetry(OperatorCommand c) {
    validate(Command.RETRY, c);
  }

  @Override
  public CommandResult skip(OperatorCommand c) {
    return workflow.apply(Command.SKIP, c);
  }

  @Override
  public void validateSkip(OperatorCommand c) {
    validate(Command.SKIP, c);
  }

  @Override
  public CommandResult pause(OperatorCommand c) {
    return workflow.apply(Command.PAUSE, c);
  }

  @Override
  public void validatePause(OperatorCommand c) {
    validate(Command.PAUSE, c);
  }

  @Override
  public CommandResult resume(OperatorCommand c) {
    return workflow.apply(Command.RESUME, c);
  }

  @Override
  public void validateResume(OperatorCommand c) {
    validate(Command.RESUME, c);
  }

  @Override
  public CommandResult abort(OperatorCommand c) {
    return workflow.apply(Command.ABORT, c);
  }

  @Override
  public void validateAbort(OperatorCommand c) {
    validate(Command.ABORT, c);
  }
}
