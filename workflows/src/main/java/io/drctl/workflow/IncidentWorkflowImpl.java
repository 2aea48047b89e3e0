package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.interpreter.Command;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.ExpressionException;
import io.drctl.interpreter.IncidentState;
import io.drctl.interpreter.Interpreter;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Outcome;
import io.drctl.interpreter.StepStatus;
import io.drctl.plan.Durations;
import io.drctl.plan.InputValues;
import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Every incident type's workflow. It pins the plan, then drives the {@link Interpreter}: starts the
 * steps it decides on as activities, timers and child workflows, feeds their results and the
 * operators' commands back in, and returns the {@link IncidentReport}.
 *
 * <p>All decisions are in the interpreter; this class only carries them out, so it stays small and
 * deterministic: no I/O, no system clock, the workflow logger only.
 */
public class IncidentWorkflowImpl implements DynamicWorkflow {
  private static final Logger log = Workflow.getLogger(IncidentWorkflowImpl.class);

  Interpreter interpreter;
  IncidentState state;
  final Deque<Runnable> events = new ArrayDeque<>();
  private final Map<String, CancellationScope> scopes = new HashMap<>();
  private final LaunchContext launches = new Launches();
  boolean dirty;
  private int escalationsInFlight;
  private int noticesInFlight;

  /** The runbook's lifecycle notifications go out for this incident. */
  private boolean lifecycle;

  private String details = "";
  private String outcomeAttribute = "";

  @Override
  public Object execute(EncodedValues args) {
    registerHandlers();
    StartRequest request =
        StartRequests.parse(args.getSize() == 0 ? null : args.get(0, JsonNode.class));
    String type = Workflow.getInfo().getWorkflowType();
    Plan plan = request.plan() != null ? request.plan() : planFromCatalog(type);
    if (!plan.type().equals(type)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the plan is for incident '" + plan.type() + "' but the workflow type is '" + type + "'",
          "PlanMismatch");
    }
    InputValues.Result inputs = InputValues.resolve(plan.inputs(), request.inputs());
    if (!inputs.ok()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid inputs for " + type + ": " + String.join("; ", inputs.errors()),
          "InvalidInputs");
    }
    interpreter = new Interpreter(plan);
    String startedBy = request.startedBy();
    boolean fromServer =
        (startedBy == null || startedBy.isBlank())
            && Workflow.getVersion("starter-identity", Workflow.DEFAULT_VERSION, 1) == 1;
    if (fromServer) {
      startedBy = starterFromHistory();
    }
    state =
        interpreter.start(
            Workflow.getInfo().getWorkflowId(),
            startedBy,
            Workflow.currentTimeMillis(),
            inputs.values());
    if (fromServer && startedBy != null) {
      state.starterFromServer();
    }
    if (request.alert() != null) {
      interpreter.triggeredBy(state, request.alert());
    }
    log.info(
        "incident {} ({}) started by {} on plan {}",
        state.incidentId(),
        type,
        startedBy,
        plan.hash());
    SearchAttributes.atStart(plan);
    // Child incidents report through their parent; plans without notifications add no marker.
    lifecycle =
        plan.notifications() != null
            && Workflow.getInfo().getParentWorkflowId().isEmpty()
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
      String failureType =
          state.outcome() == Outcome.ABORTED ? "IncidentAborted" : "IncidentFailed";
      throw ApplicationFailure.newNonRetryableFailure(
          "incident " + state.outcome() + (state.failure() == null ? "" : ": " + state.failure()),
          failureType,
          report);
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
          cancel
              .steps()
              .forEach(
                  id -> {
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
    StepLauncher launcher = StepLaunchers.STANDARD.of(start.step().kind());
    CancellationScope scope = Workflow.newCancellationScope(() -> launcher.launch(start, launches));
    scopes.put(start.step().id(), scope);
    scope.run();
  }

  /** What the launchers of steps use of this workflow. */
  private final class Launches implements LaunchContext {
    @Override
    public Interpreter interpreter() {
      return interpreter;
    }

    @Override
    public IncidentState state() {
      return state;
    }

    @Override
    public void settle(String stepId, Promise<JsonNode> result) {
      IncidentWorkflowImpl.this.settle(stepId, result);
    }

    @Override
    public void event(Runnable event) {
      IncidentWorkflowImpl.this.event(event);
    }
  }

  /** Feeds a step's result back to the interpreter when it arrives. */
  private void settle(String id, Promise<JsonNode> promise) {
    promise.handle(
        (output, failure) -> {
          event(
              () -> {
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
      interpreter.note(
          state, "escalation not sent: " + e.getMessage(), Workflow.currentTimeMillis());
      return;
    }
    ActivityOptions options = inBackground("Escalation: " + escalate.reason());
    escalationsInFlight++;
    Workflow.newDetachedCancellationScope(
            () ->
                Workflow.newUntypedActivityStub(options)
                    .executeAsync(
                        escalation.action(),
                        JsonNode.class,
                        ActivityInputs.of(input, interpreter.plan()))
                    .handle(
                        (output, failure) -> {
                          escalationsInFlight--;
                          event(
                              () ->
                                  interpreter.note(
                                      state,
                                      failure == null
                                          ? "escalation sent through " + escalation.action()
                                          : "escalation through "
                                              + escalation.action()
                                              + " failed: "
                                              + StepFailures.describe(failure).message(),
                                      Workflow.currentTimeMillis()));
                          return null;
                        }))
        .run();
  }

  /**
   * Lets the escalations still in flight finish before the incident ends (each within its retry
   * policy), so that one decided at the very end, such as for a notification that failed last,
   * still reaches a human and its outcome is in the notes. Incidents that ended before this wait
   * existed replay as they ran.
   */
  private void settleEscalations() {
    if (escalationsInFlight == 0
        || Workflow.getVersion("settle-escalations", Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
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
    for (LifecycleNotices.Delivery delivery :
        LifecycleNotices.of(interpreter.plan(), notice, state.incidentId(), state.outcome())) {
      noticesInFlight++;
      ActivityOptions labelled =
          inBackground("Notify " + delivery.channel() + ": " + notice.event());
      Workflow.newDetachedCancellationScope(
              () ->
                  Workflow.newUntypedActivityStub(labelled)
                      .executeAsync(
                          "notify.send",
                          JsonNode.class,
                          ActivityInputs.of(delivery.with(), interpreter.plan()))
                      .handle(
                          (output, failure) -> {
                            noticesInFlight--;
                            if (failure != null) {
                              event(
                                  () ->
                                      interpreter.undelivered(
                                          state,
                                          notice.event(),
                                          delivery.channel(),
                                          StepFailures.describe(failure).message(),
                                          Workflow.currentTimeMillis()));
                            }
                            return null;
                          }))
          .run();
    }
  }

  /**
   * A message the incident sends beside its steps (escalations, lifecycle notices): 5 attempts of a
   * minute at most.
   */
  private static ActivityOptions inBackground(String summary) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setSummary(summary)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setMaximumAttempts(5)
                .setMaximumInterval(Duration.ofMinutes(1))
                .build())
        .build();
  }

  /**
   * Lets the lifecycle notifications in flight, the resolution among them, finish before the
   * incident ends.
   */
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
    Duration budget =
        Durations.parse(plan.objectives().rto())
            .multipliedBy(plan.notifications().rtoWarningPercent())
            .dividedBy(100);
    Duration wait = budget.minusMillis(now - detected);
    Workflow.newDetachedCancellationScope(
            () ->
                Workflow.newTimer(
                        wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait,
                        StepLaunchers.timer(
                            "RTO warning: "
                                + plan.notifications().rtoWarningPercent()
                                + "% of "
                                + plan.objectives().rto()))
                    .thenApply(
                        fired -> {
                          event(() -> interpreter.rtoWarning(state, Workflow.currentTimeMillis()));
                          return null;
                        }))
        .run();
  }

  /** The periodic status update, every statusEvery while the incident runs. */
  private void sendStatusUpdates(Plan plan) {
    if (!plan.notifications().wants(Notifications.STATUS)) {
      return;
    }
    Duration every = Durations.parse(plan.notifications().statusEvery());
    Workflow.newDetachedCancellationScope(
            () ->
                Async.procedure(
                    () -> {
                      while (state.outcome() == null) {
                        Workflow.newTimer(
                                every,
                                StepLaunchers.timer(
                                    "Status update every " + plan.notifications().statusEvery()))
                            .get();
                        event(() -> interpreter.statusUpdate(state, Workflow.currentTimeMillis()));
                      }
                    }))
        .run();
  }

  private Plan planFromCatalog(String type) {
    PlanCatalogActivities catalog =
        Workflow.newLocalActivityStub(
            PlanCatalogActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .build());
    return catalog.plan(type);
  }

  /**
   * The identity the server recorded on the start of an incident started without a {@code
   * startedBy} (the Web UI's signed-in user, or another client's identity), so that the approval
   * rules apply to it too; null when it cannot be had, which the report then shows as unknown.
   */
  private String starterFromHistory() {
    StarterActivities starter =
        Workflow.newLocalActivityStub(
            StarterActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build());
    try {
      String identity = starter.starter();
      return identity == null || identity.isBlank() ? null : identity;
    } catch (ActivityFailure e) {
      log.warn(
          "incident {}: the identity of its start could not be read: {}",
          Workflow.getInfo().getWorkflowId(),
          e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      return null;
    }
  }

  /** Escalates when 80% of the RTO budget is gone and the incident still runs. */
  private void watchRecoveryTime(Plan plan) {
    Duration rto = Durations.parse(plan.objectives().rto());
    Workflow.newDetachedCancellationScope(
            () ->
                Workflow.newTimer(
                        rto.multipliedBy(8).dividedBy(10),
                        StepLaunchers.timer("RTO warning: 80% of " + plan.objectives().rto()))
                    .thenApply(
                        fired -> {
                          event(
                              () -> {
                                if (state.outcome() == null) {
                                  interpreter.escalate(
                                      state,
                                      "80% of the RTO ("
                                          + plan.objectives().rto()
                                          + ") is used and the incident still runs",
                                      null,
                                      Workflow.currentTimeMillis());
                                  dirty = true;
                                }
                              });
                          return null;
                        }))
        .run();
  }

  private void registerHandlers() {
    Workflow.registerListener(new OperatorHandlers(this));
  }

  /** Carries out an operator command; a refused one is recorded in the notes. */
  CommandResult apply(Command name, OperatorCommand command) {
    CommandResult result =
        interpreter.command(state, name, command, Workflow.currentTimeMillis(), true);
    if (!result.accepted()) {
      interpreter.note(
          state,
          "refused "
              + name
              + (command == null ? "" : " by " + command.by())
              + ": "
              + result.message(),
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
    String attribute =
        state.outcome() != null
            ? state.outcome().json()
            : state.steps().values().stream()
                    .anyMatch(r -> r.status() == StepStatus.WAITING_OPERATOR)
                ? "needs-operator"
                : "running";
    if (!attribute.equals(outcomeAttribute) && state.outcome() == null) {
      outcomeAttribute = attribute;
      SearchAttributes.outcome(attribute);
    }
  }
}
