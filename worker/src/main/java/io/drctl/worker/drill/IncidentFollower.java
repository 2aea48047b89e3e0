package io.drctl.worker.drill;

import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one running incident to its end: a line per step each time its status changes, and its
 * approval gates answered, either by the drill operator ({@code --auto-approve}) or by a person,
 * for whom it prints the exact {@code drctl approve} to type and waits.
 */
final class IncidentFollower {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final long POLL_MILLIS = 500;

  private final WorkflowClient client;
  private final String operator;
  private final boolean autoApprove;
  private final String clientFlags;
  private final Consumer<String> say;

  /**
   * @param operator the name approvals are recorded under with {@code autoApprove}
   * @param clientFlags the flags a person's {@code drctl approve} needs to reach this server and
   *     queue
   */
  IncidentFollower(
      WorkflowClient client,
      String operator,
      boolean autoApprove,
      String clientFlags,
      Consumer<String> say) {
    this.client = client;
    this.operator = operator;
    this.autoApprove = autoApprove;
    this.clientFlags = clientFlags;
    this.say = say;
  }

  /**
   * Follows {@code workflowId} until it ends or {@code timeout} passes.
   *
   * @return its report
   * @throws DrillException when it does not end in time
   */
  IncidentReport follow(String workflowId, Duration timeout) throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    Map<String, String> seen = new HashMap<>();
    Set<String> asked = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (stub.describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new DrillException(
            "incident " + workflowId + " did not end within " + timeout.toMinutes() + " min");
      }
      Progress progress;
      try {
        progress = stub.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
      } catch (RuntimeException e) {
        // The workflow ended between describe and query, or its task is being retried: look again.
        Thread.sleep(POLL_MILLIS);
        continue;
      }
      for (Progress.StepProgress step : progress.steps()) {
        String label =
            step.path() == null || step.path().isEmpty()
                ? step.id()
                : step.path() + "/" + step.id();
        if (!step.status().equals(seen.put(label, step.status()))
            && !step.status().equals("pending")) {
          say.accept(line(workflowId, label, step));
        }
        if (step.status().equals("waiting-approval") && asked.add(label)) {
          answer(stub, workflowId, step, progress.waiting());
        }
        if (step.status().equals("waiting-operator") && asked.add(label)) {
          stuck(stub, workflowId, step);
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
    try {
      return stub.getResult(10, TimeUnit.SECONDS, IncidentReport.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new DrillException(
          "incident " + workflowId + " ended but its report did not come within 10 s", e);
    } catch (io.temporal.client.WorkflowFailedException e) {
      throw new DrillException(
          "incident " + workflowId + " failed without a report: " + e.getMessage(), e);
    }
  }

  private void answer(
      WorkflowStub stub, String workflowId, Progress.StepProgress step, String waiting) {
    if (!autoApprove) {
      say.accept("    waiting: " + waiting);
      say.accept(
          "    type: drctl approve "
              + workflowId
              + " --step "
              + step.id()
              + " --reason 'drill' "
              + clientFlags);
      return;
    }
    CommandResult result;
    try {
      result =
          stub.update(
              IncidentWorkflows.APPROVE,
              CommandResult.class,
              new OperatorCommand(operator, "drill --auto-approve", step.id(), null));
    } catch (io.temporal.client.WorkflowUpdateException e) {
      String why =
          e.getCause() instanceof io.temporal.failure.TemporalFailure failure
              ? failure.getOriginalMessage()
              : e.getMessage();
      throw new DrillException(
          "approving "
              + step.id()
              + " of "
              + workflowId
              + " as "
              + operator
              + " was refused: "
              + why,
          e);
    }
    say.accept("    approved " + step.id() + " as " + operator + ": " + result.message());
  }

  /**
   * A step failed for good and the incident waits for an operator. Unattended (auto-approve), the
   * drill cannot mend the platform: it aborts the incident, whose scenario then fails. Attended, it
   * says what a person may type.
   */
  private void stuck(WorkflowStub stub, String workflowId, Progress.StepProgress step) {
    if (!autoApprove) {
      say.accept(
          "    "
              + step.id()
              + " failed and waits for an operator: drctl retry|skip|abort "
              + workflowId
              + " --step "
              + step.id()
              + " --reason '...' "
              + clientFlags);
      return;
    }
    try {
      CommandResult result =
          stub.update(
              IncidentWorkflows.ABORT,
              CommandResult.class,
              new OperatorCommand(
                  operator,
                  "unattended drill: step "
                      + step.id()
                      + " failed for good ("
                      + step.lastError()
                      + ")",
                  null,
                  null));
      say.accept(
          "    aborted: "
              + step.id()
              + " failed for good and nobody attends an unattended drill: "
              + result.message());
    } catch (io.temporal.client.WorkflowUpdateException e) {
      throw new DrillException(
          "aborting "
              + workflowId
              + " after "
              + step.id()
              + " failed was refused: "
              + e.getMessage(),
          e);
    }
  }

  private static String line(String workflowId, String label, Progress.StepProgress step) {
    StringBuilder text =
        new StringBuilder("  ")
            .append(LocalTime.now(ZoneOffset.UTC).format(CLOCK))
            .append("  ")
            .append(workflowId)
            .append("  ")
            .append(label)
            .append("  ")
            .append(step.status());
    if (step.attempts() > 1) {
      text.append(" (attempt ").append(step.attempts()).append(')');
    }
    if (step.lastError() != null && !step.status().equals("succeeded")) {
      text.append(": ").append(step.lastError());
    }
    return text.toString();
  }
}
