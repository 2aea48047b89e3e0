package io.drctl.worker.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.interpreter.Redaction;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.StartRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds an {@link IncidentRecord} from an incident's event history alone: the start request
 * (trigger, inputs, pinned plan), every activity with its attempts, timers, operator signals and
 * updates, and the workflow's own {@link IncidentReport} when it ended. Pure: no server, no clock
 * but the one passed in for the elapsed time of a running incident.
 */
public final class HistoryReport {
  static final String SCHEDULED_BY = "TemporalScheduledById";
  static final String ESCALATION = "Escalation: ";

  private final HistoryPayloads payloads;
  private final Set<String> secrets = new TreeSet<>();
  private WorkflowExecutionStartedEventAttributes start;
  private HistoryEvent startEvent;
  private StartRequest request;
  private Plan plan;
  private final Map<Long, ActivityRun> activities = new LinkedHashMap<>();

  /**
   * Timers by id; the workflow names each by its summary (a sleep step's title, "Approval deadline:
   * " and the title).
   */
  private final Map<String, TimerRun> timers = new HashMap<>();

  private final OperatorActions actions;
  private HistoryEvent close;
  private IncidentReport report;
  private String closeProblem;

  private static final class TimerRun {
    final String summary;
    final String startedAt;
    String endedAt;
    boolean fired;

    TimerRun(String summary, String startedAt) {
      this.summary = summary;
      this.startedAt = startedAt;
    }
  }

  private HistoryReport(DataConverter converter) {
    this.payloads = new HistoryPayloads(converter);
    this.actions = new OperatorActions(payloads);
  }

  /**
   * The record of the incident whose history {@code events} is.
   *
   * @param workflowId the incident's id, which the events do not carry
   * @param nowMillis the time a running incident's elapsed time is measured to
   * @throws ReportException when the history is not an incident's (no pinned plan in it)
   */
  public static IncidentRecord build(
      String workflowId, List<HistoryEvent> events, DataConverter converter, long nowMillis) {
    HistoryReport builder = new HistoryReport(converter);
    events.forEach(builder::read);
    return builder.record(workflowId, nowMillis);
  }

  /**
   * The plan an incident pinned, from its first events; null when they hold none (not an incident).
   */
  static Plan pinnedPlan(List<HistoryEvent> events, DataConverter converter) {
    HistoryReport builder = new HistoryReport(converter);
    events.stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
                    || e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .forEach(builder::read);
    return builder.plan;
  }

  private void read(HistoryEvent event) {
    switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> started(event);
      case EVENT_TYPE_MARKER_RECORDED -> marker(event.getMarkerRecordedEventAttributes());
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
        var attributes = event.getActivityTaskScheduledEventAttributes();
        JsonNode input = payloads.json(attributes.getInput());
        secrets.addAll(Redaction.secretValues(input));
        activities.put(
            event.getEventId(),
            new ActivityRun(
                payloads.summary(event),
                null,
                attributes.getActivityType().getName(),
                input,
                HistoryPayloads.time(event)));
      }
      case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
        var attributes = event.getActivityTaskStartedEventAttributes();
        ActivityRun run = activities.get(attributes.getScheduledEventId());
        run.attempt = attributes.getAttempt();
        run.startedAt = HistoryPayloads.time(event);
        run.worker = attributes.getIdentity();
        run.previousError =
            attributes.hasLastFailure() ? payloads.describe(attributes.getLastFailure()) : null;
      }
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
        var attributes = event.getActivityTaskCompletedEventAttributes();
        closeActivity(attributes.getScheduledEventId(), event, "succeeded", null).result =
            payloads.json(attributes.getResult());
      }
      case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
          closeActivity(
              event.getActivityTaskFailedEventAttributes().getScheduledEventId(),
              event,
              "failed",
              payloads.describe(event.getActivityTaskFailedEventAttributes().getFailure()));
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
          closeActivity(
              event.getActivityTaskTimedOutEventAttributes().getScheduledEventId(),
              event,
              "timed-out",
              payloads.describe(event.getActivityTaskTimedOutEventAttributes().getFailure()));
      case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
          closeActivity(
              event.getActivityTaskCanceledEventAttributes().getScheduledEventId(),
              event,
              "cancelled",
              null);
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> childInitiated(event);
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED -> {
        var attributes = event.getChildWorkflowExecutionStartedEventAttributes();
        ActivityRun run = activities.get(attributes.getInitiatedEventId());
        run.attempt = 1;
        run.startedAt = HistoryPayloads.time(event);
        run.worker = "child " + attributes.getWorkflowExecution().getWorkflowId();
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> {
        var attributes = event.getChildWorkflowExecutionCompletedEventAttributes();
        closeActivity(attributes.getInitiatedEventId(), event, "succeeded", null);
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED ->
          closeActivity(
              event.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId(),
              event,
              "failed",
              payloads.describe(
                  event.getChildWorkflowExecutionFailedEventAttributes().getFailure()));
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED ->
          closeActivity(
              event.getChildWorkflowExecutionCanceledEventAttributes().getInitiatedEventId(),
              event,
              "cancelled",
              null);
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT ->
          closeActivity(
              event.getChildWorkflowExecutionTimedOutEventAttributes().getInitiatedEventId(),
              event,
              "timed-out",
              null);
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED ->
          closeActivity(
              event.getChildWorkflowExecutionTerminatedEventAttributes().getInitiatedEventId(),
              event,
              "terminated",
              null);
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED ->
          closeActivity(
              event.getStartChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId(),
              event,
              "failed",
              "the child incident did not start: "
                  + event.getStartChildWorkflowExecutionFailedEventAttributes().getCause());
      case EVENT_TYPE_TIMER_STARTED ->
          timers.put(
              event.getTimerStartedEventAttributes().getTimerId(),
              new TimerRun(payloads.summary(event), HistoryPayloads.time(event)));
      case EVENT_TYPE_TIMER_FIRED ->
          endTimer(event.getTimerFiredEventAttributes().getTimerId(), event, true);
      case EVENT_TYPE_TIMER_CANCELED ->
          endTimer(event.getTimerCanceledEventAttributes().getTimerId(), event, false);
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> actions.signaled(event);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> actions.updateAccepted(event);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> actions.updateCompleted(event);
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
          EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
          EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
          EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
          EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
          EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
          closed(event);
      default -> {
        // Workflow tasks, child-workflow bookkeeping and the like say nothing the report shows.
      }
    }
  }

  private void started(HistoryEvent event) {
    startEvent = event;
    start = event.getWorkflowExecutionStartedEventAttributes();
    JsonNode input = payloads.json(start.getInput());
    JsonNode envelope = input == null ? null : input.get(StartRequest.ENVELOPE);
    if (envelope != null && envelope.isObject() && input.size() == 1) {
      try {
        request = PlanJson.mapper().treeToValue(envelope, StartRequest.class);
      } catch (JsonProcessingException e) {
        throw new ReportException(
            "the incident's start request is unreadable: " + e.getOriginalMessage());
      }
      plan = request.plan();
      secrets.addAll(Redaction.secretValues(request.inputs()));
    } else {
      request = new StartRequest(null, input, null, null);
      secrets.addAll(Redaction.secretValues(input));
    }
  }

  /** An incident started without a plan asked the worker's catalog for one, as a local activity. */
  private void marker(MarkerRecordedEventAttributes marker) {
    Payload type =
        marker.getDetailsMap().containsKey("type")
            ? marker.getDetailsMap().get("type").getPayloads(0)
            : null;
    if (plan == null
        && type != null
        && "drctl.plan".equals(payloads.text(type))
        && marker.getDetailsMap().containsKey("result")) {
      plan = payloads.value(marker.getDetailsMap().get("result"), Plan.class);
    }
  }

  /**
   * A runbook step's child incident, whose id is {@code INCIDENT.STEP.ATTEMPT}. Its report is in
   * its own history ({@code drctl report} of that id); here it counts as the step's attempt.
   */
  private void childInitiated(HistoryEvent event) {
    var attributes = event.getStartChildWorkflowExecutionInitiatedEventAttributes();
    String childId = attributes.getWorkflowId();
    String[] parts = childId.split("\\.");
    String stepId = parts.length >= 3 ? parts[parts.length - 2] : null;
    activities.put(
        event.getEventId(),
        new ActivityRun(
            null,
            stepId,
            "runbook " + attributes.getWorkflowType().getName(),
            null,
            HistoryPayloads.time(event)));
  }

  private ActivityRun closeActivity(
      long scheduledEventId, HistoryEvent event, String outcome, String error) {
    ActivityRun run = activities.get(scheduledEventId);
    run.outcome = outcome;
    run.endedAt = HistoryPayloads.time(event);
    run.error = error;
    return run;
  }

  private void endTimer(String timerId, HistoryEvent event, boolean fired) {
    TimerRun timer = timers.get(timerId);
    if (timer != null) {
      timer.endedAt = HistoryPayloads.time(event);
      timer.fired = fired;
    }
  }

  private void closed(HistoryEvent event) {
    close = event;
    switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ->
          report =
              payloads.value(
                  event.getWorkflowExecutionCompletedEventAttributes().getResult(),
                  IncidentReport.class);
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        TemporalFailure failure =
            payloads.exception(event.getWorkflowExecutionFailedEventAttributes().getFailure());
        if (failure instanceof ApplicationFailure application
            && application.getDetails().getSize() > 0) {
          report = application.getDetails().get(IncidentReport.class);
        }
        closeProblem =
            payloads.describe(event.getWorkflowExecutionFailedEventAttributes().getFailure());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        var terminated = event.getWorkflowExecutionTerminatedEventAttributes();
        closeProblem =
            "terminated"
                + (terminated.getIdentity().isEmpty() ? "" : " by " + terminated.getIdentity())
                + (terminated.getReason().isEmpty() ? "" : ": " + terminated.getReason());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> closeProblem = "cancelled through Temporal";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> closeProblem = "the workflow timed out";
      default -> closeProblem = null;
    }
  }

  private IncidentRecord record(String workflowId, long nowMillis) {
    if (startEvent == null) {
      throw new ReportException("the history is empty: no start event");
    }
    String workflowType = start.getWorkflowType().getName();
    if (plan == null) {
      throw new ReportException(
          "workflow '"
              + workflowId
              + "' (type "
              + workflowType
              + ") is not a drctl incident: its history holds no pinned plan");
    }
    long startMillis = HistoryPayloads.millis(startEvent);
    List<IncidentRecord.Step> steps =
        new StepsFromHistory(plan, report, close != null, activities, timerEnds(), actions.all())
            .steps();
    IncidentRecord record =
        new IncidentRecord(
            workflowId,
            start.getOriginalExecutionRunId(),
            plan.type(),
            plan.title(),
            plan.severity(),
            status(),
            report != null && report.failure() != null ? report.failure() : closeProblem,
            trigger(),
            new IncidentRecord.Runbook(
                plan.runbookName(), plan.runbookVersion(), plan.sourceHash(), plan.hash()),
            Redaction.redact(request.inputs()),
            HistoryPayloads.time(startEvent),
            close == null ? null : HistoryPayloads.time(close),
            close == null ? null : (HistoryPayloads.millis(close) - startMillis) / 1000,
            Measurements.of(
                plan,
                report,
                Math.max(
                    0, (close == null ? nowMillis : HistoryPayloads.millis(close)) - startMillis),
                close == null),
            steps,
            actions.all(),
            Backups.named(steps),
            notes(),
            limits(),
            PlanJson.mapper().valueToTree(plan));
    return masked(record);
  }

  /** Every secret value the history carried, masked wherever it turns up. */
  private IncidentRecord masked(IncidentRecord record) {
    try {
      return PlanJson.mapper()
          .treeToValue(
              Redaction.mask(PlanJson.mapper().valueToTree(record), secrets), IncidentRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot mask the report: " + e.getOriginalMessage(), e);
    }
  }

  private Map<String, StepsFromHistory.Timer> timerEnds() {
    Map<String, StepsFromHistory.Timer> bySummary = new LinkedHashMap<>();
    for (TimerRun timer : timers.values()) {
      if (timer.summary != null) {
        bySummary.put(
            timer.summary, new StepsFromHistory.Timer(timer.startedAt, timer.endedAt, timer.fired));
      }
    }
    return bySummary;
  }

  private String status() {
    if (close == null) {
      return "running";
    }
    if (report != null && report.outcome() != null) {
      return report.outcome();
    }
    return switch (close.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> "succeeded";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> "failed";
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> "cancelled";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> "terminated";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> "timed-out";
      default -> "continued-as-new";
    };
  }

  private IncidentRecord.Trigger trigger() {
    String identity = start.getIdentity().isEmpty() ? null : start.getIdentity();
    Payload scheduledBy = start.getSearchAttributes().getIndexedFieldsMap().get(SCHEDULED_BY);
    String schedule =
        scheduledBy == null
            ? null
            : GlobalDataConverter.get().fromPayload(scheduledBy, String.class, String.class);
    String parent =
        start.hasParentWorkflowExecution()
            ? start.getParentWorkflowExecution().getWorkflowId()
            : null;
    String kind =
        request.alert() != null
            ? "alert"
            : schedule != null
                ? "schedule"
                : parent != null ? "parent" : request.plan() != null ? "cli" : "ui";
    return new IncidentRecord.Trigger(
        kind,
        request.startedBy(),
        request.reason(),
        identity,
        request.alert(),
        schedule,
        parent,
        actions.alertsReceived() == 0 ? null : actions.alertsReceived());
  }

  private List<String> notes() {
    if (report == null) {
      return List.of();
    }
    List<String> notes = new ArrayList<>(report.notes() == null ? List.of() : report.notes());
    if (report.undeliveredNotifications() != null) {
      report
          .undeliveredNotifications()
          .forEach(
              n -> notes.add("notification '" + n.step() + "' was not delivered: " + n.error()));
    }
    return notes;
  }

  private List<String> limits() {
    List<String> limits = new ArrayList<>();
    if (activities.values().stream().anyMatch(ActivityRun::errorsNotKept)) {
      limits.add(
          "Temporal keeps, per activity, the number of its last attempt and the error of the attempt before it "
              + "(the Java test server not even that); the errors of earlier attempts are not in the history (they showed only "
              + "in the pending activity while it ran).");
    }
    if (activities.values().stream().anyMatch(ActivityRun::open)) {
      limits.add(
          "An activity still running shows no attempt number yet: Temporal writes it when the activity closes.");
    }
    limits.add(
        "Operator commands sent as updates and refused by the workflow's validator leave no trace in the history; "
            + "signals are all recorded, refused or not.");
    if (report == null && close != null) {
      limits.add(
          "The workflow ended without drctl's own report ("
              + status()
              + "), so step states come from the events alone.");
    }
    return limits;
  }
}
