package io.drctl.worker.cli;

import io.drctl.store.text.TextTable;
import io.drctl.worker.temporal.TemporalConnection;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.TemporalFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drctl history ID}: an incident's event history. With {@code --format json} it is
 * Temporal's own JSON, the same that {@code temporal workflow show --output json} gives and that
 * replay tests read.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Prints an incident's event history, one line per event.",
      "With --format json: Temporal's raw history JSON, for auditors and replay tests."
    })
class HistoryCommand extends TemporalCommand {
  @Parameters(paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  @Option(
      names = "--run-id",
      paramLabel = "RUN",
      description = "A particular run (default: the latest).")
  String runId;

  /** json: Temporal's raw history JSON. */
  @picocli.CommandLine.Mixin FormatOption output;

  @Override
  int run(TemporalConnection connection) {
    WorkflowExecutionHistory history =
        runId == null
            ? connection.client().fetchHistory(workflowId)
            : connection.client().fetchHistory(workflowId, runId);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      out.println(history.toJson(true));
      out.flush();
      return 0;
    }
    DataConverter converter = connection.client().getOptions().getDataConverter();
    TextTable table = new TextTable("#", "time", "event", "detail");
    for (HistoryEvent event : history.getEvents()) {
      table.row(
          String.valueOf(event.getEventId()),
          IncidentPrinter.utc(Instant.ofEpochSecond(event.getEventTime().getSeconds())),
          name(event),
          detail(event, converter));
    }
    table.print(out);
    out.flush();
    return 0;
  }

  /** EVENT_TYPE_ACTIVITY_TASK_SCHEDULED → ActivityTaskScheduled. */
  static String name(HistoryEvent event) {
    StringBuilder out = new StringBuilder();
    for (String word : event.getEventType().name().replace("EVENT_TYPE_", "").split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /**
   * The step title the workflow gave the activity, as " — title" (decrypted when payloads are
   * encrypted).
   */
  private static String summary(HistoryEvent event, DataConverter converter) {
    if (!event.hasUserMetadata() || !event.getUserMetadata().hasSummary()) {
      return "";
    }
    try {
      return " — "
          + converter.fromPayload(event.getUserMetadata().getSummary(), String.class, String.class);
    } catch (RuntimeException e) {
      return ""; // a summary that is not text: leave it out
    }
  }

  /** A failure's message; with failure attributes encrypted, the plain one is "Encoded failure". */
  private static String message(Failure failure, DataConverter converter) {
    if (!failure.hasEncodedAttributes()) {
      return failure.getMessage();
    }
    try {
      RuntimeException decoded = converter.failureToException(failure);
      return decoded instanceof TemporalFailure temporal
          ? temporal.getOriginalMessage()
          : decoded.getMessage();
    } catch (PayloadCodecException e) {
      return failure.getMessage() + " (" + e.getMessage() + ")";
    }
  }

  private static String detail(HistoryEvent event, DataConverter converter) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED ->
          event.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ->
          event.getActivityTaskScheduledEventAttributes().getActivityType().getName()
              + summary(event, converter);
      case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
          message(event.getActivityTaskFailedEventAttributes().getFailure(), converter);
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ->
          event.getWorkflowExecutionSignaledEventAttributes().getSignalName();
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ->
          event
              .getWorkflowExecutionUpdateAcceptedEventAttributes()
              .getAcceptedRequest()
              .getInput()
              .getName();
      case EVENT_TYPE_TIMER_STARTED ->
          event.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds() + "s";
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED ->
          event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId();
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ->
          message(event.getWorkflowExecutionFailedEventAttributes().getFailure(), converter);
      default -> "";
    };
  }
}
