package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.alerts.Alert;
import io.drctl.interpreter.Command;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.ExpressionException;
import io.drctl.interpreter.IncidentState;
import io.drctl.interpreter.Interpreter;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Outcome;
import io.drctl.interpreter.Progress;
import io.drctl.interpreter.StepStatus;
import io.drctl.plan.Durations;
import io.drctl.plan.InputValues;
import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import io.drctl.plan.RetryPolicy;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Every incident type's workflow. It pins the plan, then drives the {@link Interpreter}: starts
 * the steps it decides on as activities, timers and child workflows, feeds their results and the
 * operators' commands back in, and returns the {@link IncidentReport}.
 *
 * <p>All decisions are in the interpreter; this class only carries them out, so it stays small
 * and deterministic: no I/O, no system clock, the workflow logger only.
 */
public class IncidentWorkflowImpl implements DynamicWorkflow {
  private static final Logger log = Workflow.getLogger(IncidentWorkflowImpl.class);
  private static final Duration MAX_POLL_ATTEMPT = Duration.ofMinutes(5);

  private Interpreter interpreter;
  private IncidentState state;
  private final Deque<Runnable> events = new ArrayDeque<>();
  private final Map<String, CancellationScope> scopes = new HashMap<>();
  private boolean dirty;
  private int escalationsInFlight;
  private int noticesInFlight;
  /** The runbook's lifecycle notifications go out for this incident. */
  private boolean lifecycle;
  private String details = "";
  private String outcomeAttribute = "";

  @Override
  public Object execute(EncodedValues args) {
    registerHandlers();
    StartRequest request = StartRequests.parse(args.getSize() == 0 ? null : args.get(0, JsonNode.class));
    String type = Workflow.getInfo().getWorkflowType();
    Plan plan = request.plan() != null ? request.plan() : planFromCatalog(type);
    if (!plan.type().equals(type)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the plan is for incident '" + plan.type() + "' but the workflow type is '" + type + "'", "PlanMismatch");
    }
    InputValues.Result inputs = InputValues.resolve(plan.inputs(), request.inputs());
    if (!inputs.ok()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid inputs for " + type + ": " + String.join("; ", inputs.errors()), "InvalidInputs");
    }
    interpreter = new Interpreter(plan);
    String startedBy = request.startedBy();
    boolean fromServer = (startedBy == null || startedBy.isBlank())
        && Workflow.getVersion("starter-identity", Workflow.DEFAULT_VERSION, 1) == 1;
    if (fromServer) {
      startedBy = starterFromHistory();
    }
    state = interpreter.start(Workflow.getInfo().getWorkflowId(), startedBy, Workflow.currentTimeMillis(), inputs.values());
    if (fromServer && startedBy != null) {
      state.starterFromServer();
    }
    if (request.alert() != null) {
      interpreter.triggeredBy(state, request.alert());
    }
    log.info("incident {} ({}) started by {} on plan {}", state.incidentId(), type, startedBy, plan.hash());
    SearchAttributes.atStart(plan);
    // Child incidents report through their parent; plans without notifications add no marker.
    lifecycle = plan.notifications() != null && Workflow.getInfo().getParentWorkflowId().isEmpty()
        && Workflow.getVersion("lifecycle-notifications", Workflow.DEFAULT_VERSION, 1) == 1;
    if (lifecycle) {
      interpreter.announce(state, request.reason());
      warnBeforeRecoveryTimeRunsOut(plan, request.alert());
      sendStatusUpdates(plan);
    } else {
      watchRecoveryTime(plan);
    }
    run();
    settleEscalations();
    settleNotices();
    IncidentReport report = Reports.of(plan, state, interpreter);
    SearchAttributes.outcome(state.outcome().json());
    publishDetails();
    if (state.outcome() != Outcome.SUCCEEDED) {
      // The workflow fails, so lists show it red; the report travels in the failure's details.
      String failureType = state.outcome() == Outcome.ABORTED ? "IncidentAborted" : "IncidentFailed";
      throw ApplicationFailure.newNonRetryableFailure(
          "incident " + state.outcome() + (state.failure() == null ? "" : ": " + state.failure()), failureType, report);
    }
    return report;
  }

  private void run() {
    while (true) {
      boolean finished = false;
      for (Decision decision : interpreter.next(state, Workflow.currentTimeMillis())) {
        if (decision instanceof Decision.Start start) {
          launch(start);
        } else if (decision instanceof Decision.Escalate escalate) {
          sendEscalation(escalate);
        } else if (decision instanceof Decision.Notify notify) {
          sendNotice(notify);
        } else if (decision instanceof Decision.Cancel cancel) {
          cancel.steps().forEach(id -> {
            CancellationScope scope = scopes.get(id);
            if (scope != null) {
              scope.cancel("incident " + (state.aborted() ? "aborted" : "failing"));
            }
          });
        } else {
          finished = true;
        }
      }
      publishDetails();
      if (finished) {
        return;
      }
      Workflow.await(() -> dirty);
      dirty = false;
      while (!events.isEmpty()) {
        events.poll().run();
      }
    }
  }

  private void launch(Decision.Start start) {
    PlanStep step = start.step();
    String id = step.id();
    CancellationScope scope = switch (step.kind()) {
      case ACTIVITY -> Workflow.newCancellationScope(() -> settle(id, StepContext.scheduling(id, () ->
          Workflow.newUntypedActivityStub(activityOptions(step, step.timeout()))
              .executeAsync(step.action(), JsonNode.class, ActivityInputs.of(start.with(), interpreter.plan())))));
      case SLEEP -> Workflow.newCancellationScope(() -> settle(id,
          Workflow.newTimer(Durations.parse(start.with().path("duration").asText()), timer(step.title()))
              .thenApply(ignored -> (JsonNode) JsonNodeFactory.instance.objectNode())));
      case APPROVAL -> Workflow.newCancellationScope(() -> Workflow.newTimer(Durations.parse(step.timeout()),
              timer("Approval deadline: " + step.title()))
          .thenApply(fired -> {
            event(() -> interpreter.approvalTimedOut(state, id, start.attempt(), Workflow.currentTimeMillis()));
            return null;
          }));
      case WAIT_UNTIL -> Workflow.newCancellationScope(() -> settle(id, Async.function(() -> poll(step, start.with()))));
      case RUNBOOK -> Workflow.newCancellationScope(() -> settle(id, child(step, start)));
      default -> throw new IllegalStateException("the interpreter does not start " + step.kind() + " steps");
    };
    scopes.put(id, scope);
    scope.run();
  }

  /** Feeds a step's result back to the interpreter when it arrives. */
  private void settle(String id, Promise<JsonNode> promise) {
    promise.handle((output, failure) -> {
      event(() -> {
        long now = Workflow.currentTimeMillis();
        if (failure == null) {
          interpreter.succeeded(state, id, output, now);
        } else {
          StepFailures.Described described = StepFailures.describe(failure);
          if (described.cancelled()) {
            interpreter.cancelled(state, id, now);
          } else {
            interpreter.failed(state, id, described.type(), described.message(), now);
          }
        }
        scopes.remove(id);
      });
      return null;
    });
  }

  private void event(Runnable event) {
    events.add(event);
    dirty = true;
  }

  private static TimerOptions timer(String summary) {
    return TimerOptions.newBuilder().setSummary(summary).build();
  }

  private ActivityOptions activityOptions(PlanStep step, String timeout) {
    RetryPolicy retry = step.retry() == null ? RetryPolicy.DEFAULT : step.retry();
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Durations.parse(timeout))
        .setSummary(step.title())
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder()
            .setMaximumAttempts(retry.maxAttempts())
            .setInitialInterval(Durations.parse(retry.initialInterval()))
            .setBackoffCoefficient(retry.backoffCoefficient())
            .setMaximumInterval(Durations.parse(retry.maxInterval()))
            .setDoNotRetry(retry.nonRetryable().toArray(String[]::new))
            .build());
    if (step.heartbeat() != null) {
      options.setHeartbeatTimeout(Durations.parse(step.heartbeat()));
    }
    return options.build();
  }

  /** waitUntil: run the action, test the condition, sleep, until it holds or the deadline passes. */
  private JsonNode poll(PlanStep step, JsonNode with) {
    String action = with.path("action").asText();
    Duration interval = Durations.parse(with.path("interval").asText("10s"));
    Duration budget = Durations.parse(step.timeout());
    long deadline = Workflow.currentTimeMillis() + budget.toMillis();
    String attempt = Durations.format(budget.compareTo(MAX_POLL_ATTEMPT) < 0 ? budget : MAX_POLL_ATTEMPT);
    var stub = Workflow.newUntypedActivityStub(activityOptions(step, attempt));
    int polls = 0;
    while (true) {
      JsonNode result = StepContext.scheduling(step.id(),
          () -> stub.execute(action, JsonNode.class, ActivityInputs.of(with.path("with"), interpreter.plan())));
      polls++;
      try {
        if (interpreter.holds(with.path("until").asText(), state, result)) {
          ObjectNode output = JsonNodeFactory.instance.objectNode().put("polls", polls);
          output.set("result", result);
          return output;
        }
      } catch (ExpressionException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "ExpressionError");
      }
      if (Workflow.currentTimeMillis() + interval.toMillis() > deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "'" + with.path("until").asText() + "' did not hold within " + step.timeout() + " (" + polls + " polls)",
            "WaitTimedOut");
      }
      Workflow.newTimer(interval, timer("Poll again: " + step.title())).get();
    }
  }

  /** runbook: the child incident runs on its pinned plan; its own children go along. */
  private Promise<JsonNode> child(PlanStep step, Decision.Start start) {
    String type = start.with().path("incident").asText();
    Plan plan = interpreter.plan();
    Map<String, Plan> others = new LinkedHashMap<>(plan.childPlans());
    Plan childPlan = others.remove(type);
    if (childPlan == null) {
      return Workflow.newFailedPromise(ApplicationFailure.newNonRetryableFailure(
          "the pinned plan has no child incident '" + type + "'", PlanCatalogActivities.UNKNOWN_INCIDENT));
    }
    Plan pinned = childPlan.withChildren(others);
    StartRequest request = new StartRequest(pinned.withHash(PlanJson.hash(pinned)), start.with().path("inputs"),
        state.startedBy(), "run by " + state.incidentId() + " step " + step.id());
    String workflowId = state.incidentId() + "." + step.id() + "." + start.attempt();
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(Workflow.getInfo().getTaskQueue())
        .setStaticSummary(childPlan.title())
        .build();
    Promise<IncidentReport> report = Workflow.newUntypedChildWorkflowStub(type, options)
        .executeAsync(IncidentReport.class, Map.of(StartRequest.ENVELOPE, request));
    return report.thenApply(r -> (JsonNode) JsonNodeFactory.instance.objectNode()
        .put("workflowId", workflowId).put("outcome", r.outcome()).put("rtoMet", r.rtoMet()));
  }

  /**
   * Runs the plan's escalation (a notification) without waiting for it; only the incident's end
   * waits for it ({@link #settleEscalations}). Its failure is recorded and never fails the
   * incident: the operator still sees the escalation in the progress.
   */
  private void sendEscalation(Decision.Escalate escalate) {
    var escalation = interpreter.plan().escalation();
    if (escalation == null) {
      return;
    }
    JsonNode input;
    try {
      input = interpreter.escalationInput(state, escalate.reason(), escalate.step());
    } catch (ExpressionException e) {
      interpreter.note(state, "escalation not sent: " + e.getMessage(), Workflow.currentTimeMillis());
      return;
    }
    ActivityOptions options = inBackground("Escalation: " + escalate.reason());
    escalationsInFlight++;
    Workflow.newDetachedCancellationScope(() -> Workflow.newUntypedActivityStub(options)
        .executeAsync(escalation.action(), JsonNode.class, ActivityInputs.of(input, interpreter.plan()))
        .handle((output, failure) -> {
          escalationsInFlight--;
          event(() -> interpreter.note(state, failure == null ? "escalation sent through " + escalation.action()
              : "escalation through " + escalation.action() + " failed: " + StepFailures.describe(failure).message(),
              Workflow.currentTimeMillis()));
          return null;
        })).run();
  }

  /**
   * Lets the escalations still in flight finish before the incident ends (each within its retry
   * policy), so that one decided at the very end, such as for a notification that failed last,
   * still reaches a human and its outcome is in the notes. Incidents that ended before this wait
   * existed replay as they ran.
   */
  private void settleEscalations() {
    if (escalationsInFlight == 0
        || Workflow.getVersion("settle-escalations", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    Workflow.await(() -> escalationsInFlight == 0);
    while (!events.isEmpty()) {
      events.poll().run();
    }
  }

  /**
   * Sends a lifecycle notification through every channel that waits for its event, in the
   * background: the recovery never waits for it, only the incident's end does ({@link
   * #settleNotices}). A channel that cannot be reached is recorded in the notes and the report.
   */
  private void sendNotice(Decision.Notify notice) {
    for (LifecycleNotices.Delivery delivery : LifecycleNotices.of(interpreter.plan(), notice, state.incidentId(), state.outcome())) {
      noticesInFlight++;
      ActivityOptions labelled = inBackground("Notify " + delivery.channel() + ": " + notice.event());
      Workflow.newDetachedCancellationScope(() -> Workflow.newUntypedActivityStub(labelled)
          .executeAsync("notify.send", JsonNode.class, ActivityInputs.of(delivery.with(), interpreter.plan()))
          .handle((output, failure) -> {
            noticesInFlight--;
            if (failure != null) {
              event(() -> interpreter.undelivered(state, notice.event(), delivery.channel(),
                  StepFailures.describe(failure).message(), Workflow.currentTimeMillis()));
            }
            return null;
          })).run();
    }
  }

  /** A message the incident sends beside its steps (escalations, lifecycle notices): 5 attempts of a minute at most. */
  private static ActivityOptions inBackground(String summary) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setSummary(summary)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).setMaximumInterval(Duration.ofMinutes(1)).build())
        .build();
  }

  /** Lets the lifecycle notifications in flight, the resolution among them, finish before the incident ends. */
  private void settleNotices() {
    if (!lifecycle) {
      return;
    }
    Workflow.await(() -> noticesInFlight == 0);
    while (!events.isEmpty()) {
      events.poll().run();
    }
  }

  /**
   * The RTO warning of the runbook's notifications: when its share of the RTO has passed since the
   * problem was detected (the triggering alert's start, if it is earlier than the incident's), the
   * interpreter escalates and tells the channels.
   */
  private void warnBeforeRecoveryTimeRunsOut(Plan plan, Alert trigger) {
    long now = Workflow.currentTimeMillis();
    long detected = Math.min(now, trigger == null ? now : trigger.startsAtMillis(now));
    Duration budget = Durations.parse(plan.objectives().rto())
        .multipliedBy(plan.notifications().rtoWarningPercent()).dividedBy(100);
    Duration wait = budget.minusMillis(now - detected);
    Workflow.newDetachedCancellationScope(() -> Workflow.newTimer(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait,
        timer("RTO warning: " + plan.notifications().rtoWarningPercent() + "% of " + plan.objectives().rto()))
        .thenApply(fired -> {
          event(() -> interpreter.rtoWarning(state, Workflow.currentTimeMillis()));
          return null;
        })).run();
  }

  /** The periodic status update, every statusEvery while the incident runs. */
  private void sendStatusUpdates(Plan plan) {
    if (!plan.notifications().wants(Notifications.STATUS)) {
      return;
    }
    Duration every = Durations.parse(plan.notifications().statusEvery());
    Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> {
      while (state.outcome() == null) {
        Workflow.newTimer(every, timer("Status update every " + plan.notifications().statusEvery())).get();
        event(() -> interpreter.statusUpdate(state, Workflow.currentTimeMillis()));
      }
    })).run();
  }

  private Plan planFromCatalog(String type) {
    PlanCatalogActivities catalog = Workflow.newLocalActivityStub(PlanCatalogActivities.class,
        LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
    return catalog.plan(type);
  }

  /**
   * The identity the server recorded on the start of an incident started without a {@code
   * startedBy} (the Web UI's signed-in user, or another client's identity), so that the approval
   * rules apply to it too; null when it cannot be had, which the report then shows as unknown.
   */
  private String starterFromHistory() {
    StarterActivities starter = Workflow.newLocalActivityStub(StarterActivities.class,
        LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build()).build());
    try {
      String identity = starter.starter();
      return identity == null || identity.isBlank() ? null : identity;
    } catch (ActivityFailure e) {
      log.warn("incident {}: the identity of its start could not be read: {}", Workflow.getInfo().getWorkflowId(),
          e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      return null;
    }
  }

  /** Escalates when 80% of the RTO budget is gone and the incident still runs. */
  private void watchRecoveryTime(Plan plan) {
    Duration rto = Durations.parse(plan.objectives().rto());
    Workflow.newDetachedCancellationScope(() -> Workflow.newTimer(rto.multipliedBy(8).dividedBy(10),
        timer("RTO warning: 80% of " + plan.objectives().rto())).thenApply(fired -> {
      event(() -> {
        if (state.outcome() == null) {
          interpreter.escalate(state, "80% of the RTO (" + plan.objectives().rto() + ") is used and the incident still runs",
              null, Workflow.currentTimeMillis());
          dirty = true;
        }
      });
      return null;
    })).run();
  }

  private void registerHandlers() {
    Workflow.registerListener(new Handlers());
  }

  /** The named handlers; each delegates to the interpreter's one command path. */
  private final class Handlers implements IncidentHandlers {
    @Override
    public Progress progress() {
      return state == null ? null : Reports.progress(interpreter, state, Workflow.currentTimeMillis());
    }

    private void signal(Command name, OperatorCommand command) {
      if (state == null) {
        events.add(() -> apply(name, command)); // applied once the incident has started
      } else {
        apply(name, command);
      }
    }

    @Override
    public void alertSignal(Alert alert) {
      if (alert == null) {
        return; // an empty signal from the UI carries no alert to record
      }
      if (state == null) {
        events.add(() -> interpreter.alert(state, alert, Workflow.currentTimeMillis())); // once started
      } else {
        interpreter.alert(state, alert, Workflow.currentTimeMillis());
      }
      dirty = true;
    }

    private void validate(Command name, OperatorCommand command) {
      if (state == null) {
        throw new IllegalStateException("the incident is still starting; try again in a moment");
      }
      CommandResult check = interpreter.command(state, name, command, Workflow.currentTimeMillis(), false);
      if (!check.accepted()) {
        throw new IllegalArgumentException(check.message());
      }
    }

    @Override public void approveSignal(OperatorCommand c) { signal(Command.APPROVE, c); }
    @Override public void rejectSignal(OperatorCommand c) { signal(Command.REJECT, c); }
    @Override public void retrySignal(OperatorCommand c) { signal(Command.RETRY, c); }
    @Override public void skipSignal(OperatorCommand c) { signal(Command.SKIP, c); }
    @Override public void pauseSignal(OperatorCommand c) { signal(Command.PAUSE, c); }
    @Override public void resumeSignal(OperatorCommand c) { signal(Command.RESUME, c); }
    @Override public void abortSignal(OperatorCommand c) { signal(Command.ABORT, c); }

    @Override public CommandResult approve(OperatorCommand c) { return apply(Command.APPROVE, c); }
    @Override public void validateApprove(OperatorCommand c) { validate(Command.APPROVE, c); }
    @Override public CommandResult reject(OperatorCommand c) { return apply(Command.REJECT, c); }
    @Override public void validateReject(OperatorCommand c) { validate(Command.REJECT, c); }
    @Override public CommandResult retry(OperatorCommand c) { return apply(Command.RETRY, c); }
    @Override public void validateRetry(OperatorCommand c) { validate(Command.RETRY, c); }
    @Override public CommandResult skip(OperatorCommand c) { return apply(Command.SKIP, c); }
    @Override public void validateSkip(OperatorCommand c) { validate(Command.SKIP, c); }
    @Override public CommandResult pause(OperatorCommand c) { return apply(Command.PAUSE, c); }
    @Override public void validatePause(OperatorCommand c) { validate(Command.PAUSE, c); }
    @Override public CommandResult resume(OperatorCommand c) { return apply(Command.RESUME, c); }
    @Override public void validateResume(OperatorCommand c) { validate(Command.RESUME, c); }
    @Override public CommandResult abort(OperatorCommand c) { return apply(Command.ABORT, c); }
    @Override public void validateAbort(OperatorCommand c) { validate(Command.ABORT, c); }
  }

  private CommandResult apply(Command name, OperatorCommand command) {
    CommandResult result = interpreter.command(state, name, command, Workflow.currentTimeMillis(), true);
    if (!result.accepted()) {
      interpreter.note(state, "refused " + name + (command == null ? "" : " by " + command.by()) + ": " + result.message(),
          Workflow.currentTimeMillis());
    }
    dirty = true;
    return result;
  }

  private void publishDetails() {
    String markdown = Reports.markdown(interpreter, state, Workflow.currentTimeMillis());
    if (!markdown.equals(details)) {
      details = markdown;
      Workflow.setCurrentDetails(markdown);
    }
    String attribute = state.outcome() != null ? state.outcome().json()
        : state.steps().values().stream().anyMatch(r -> r.status() == StepStatus.WAITING_OPERATOR)
            ? "needs-operator" : "running";
    if (!attribute.equals(outcomeAttribute) && state.outcome() == null) {
      outcomeAttribute = attribute;
      SearchAttributes.outcome(attribute);
    }
  }
}
