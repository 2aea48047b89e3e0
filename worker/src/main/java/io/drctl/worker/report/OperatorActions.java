package io.drctl.worker.report;

import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator commands a history holds: every signal of a command's name (the Web UI's), every
 * accepted update (the CLI's) with the workflow's answer from its completion, and the count of
 * {@code alert} signals. Updates the validator refused never reach the history.
 */
final class OperatorActions {
  private final HistoryPayloads payloads;
  private final List<IncidentRecord.OperatorAction> actions = new ArrayList<>();

  /** Update id to its index in {@link #actions}, until it completes. */
  private final Map<String, Integer> updates = new HashMap<>();

  private int alertsReceived;

  OperatorActions(HistoryPayloads payloads) {
    this.payloads = payloads;
  }

  List<IncidentRecord.OperatorAction> all() {
    return actions;
  }

  int alertsReceived() {
    return alertsReceived;
  }

  void signaled(HistoryEvent event) {
    var signal = event.getWorkflowExecutionSignaledEventAttributes();
    if (IncidentWorkflows.ALERT.equals(signal.getSignalName())) {
      alertsReceived++;
    } else if (IncidentWorkflows.COMMANDS.contains(signal.getSignalName())) {
      actions.add(
          action(
              event,
              signal.getSignalName(),
              payloads.valueOrNull(signal.getInput(), OperatorCommand.class),
              "signal",
              signal.getIdentity()));
    }
  }

  void updateAccepted(HistoryEvent event) {
    var accepted = event.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
    String name = accepted.getInput().getName();
    if (IncidentWorkflows.COMMANDS.contains(name)) {
      updates.put(accepted.getMeta().getUpdateId(), actions.size());
      actions.add(
          action(
              event,
              name,
              payloads.valueOrNull(accepted.getInput().getArgs(), OperatorCommand.class),
              "update",
              accepted.getMeta().getIdentity()));
    }
  }

  void updateCompleted(HistoryEvent event) {
    var completed = event.getWorkflowExecutionUpdateCompletedEventAttributes();
    Integer index = updates.remove(completed.getMeta().getUpdateId());
    if (index == null) {
      return;
    }
    IncidentRecord.OperatorAction action = actions.get(index);
    Boolean accepted;
    String result;
    if (completed.getOutcome().hasSuccess()) {
      CommandResult answer =
          payloads.value(completed.getOutcome().getSuccess(), CommandResult.class);
      accepted = answer == null ? null : answer.accepted();
      result = answer == null ? null : answer.message();
    } else {
      accepted = false;
      result = payloads.describe(completed.getOutcome().getFailure());
    }
    actions.set(
        index,
        new IncidentRecord.OperatorAction(
            action.at(),
            action.command(),
            action.step(),
            action.by(),
            action.reason(),
            action.comment(),
            action.via(),
            action.clientIdentity(),
            accepted,
            result));
  }

  private static IncidentRecord.OperatorAction action(
      HistoryEvent event, String name, OperatorCommand command, String via, String identity) {
    OperatorCommand given = command == null ? new OperatorCommand(null, null, null, null) : command;
    return new IncidentRecord.OperatorAction(
        HistoryPayloads.time(event),
        name,
        given.step(),
        given.by(),
        given.reason(),
        given.comment(),
        via,
        identity.isEmpty() ? null : identity,
        command == null ? Boolean.FALSE : null,
        command == null
            ? "its payload is not an operator command ({\"by\": ..., \"reason\": ...})"
            : null);
  }
}
