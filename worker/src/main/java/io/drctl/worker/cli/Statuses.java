package io.drctl.worker.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Temporal's workflow statuses as drctl prints and accepts them: running, completed, timed-out...
 */
final class Statuses {
  private Statuses() {}

  private static final String PREFIX = "WORKFLOW_EXECUTION_STATUS_";

  static String name(WorkflowExecutionStatus status) {
    return status.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The value of ExecutionStatus in a visibility query: Running, ContinuedAsNew... */
  static String queryValue(WorkflowExecutionStatus status) {
    StringBuilder out = new StringBuilder();
    for (String word : status.name().substring(PREFIX.length()).split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  static List<String> names() {
    return Arrays.stream(WorkflowExecutionStatus.values())
        .filter(
            s ->
                s != WorkflowExecutionStatus.UNRECOGNIZED
                    && s != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED)
        .map(Statuses::name)
        .toList();
  }

  static WorkflowExecutionStatus parse(String text) {
    for (WorkflowExecutionStatus status : WorkflowExecutionStatus.values()) {
      if (status != WorkflowExecutionStatus.UNRECOGNIZED
          && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
          && name(status).equals(text.toLowerCase(Locale.ROOT))) {
        return status;
      }
    }
    throw new Failures.UserError(
        "--status '" + text + "': not one of " + String.join(", ", names()));
  }
}
