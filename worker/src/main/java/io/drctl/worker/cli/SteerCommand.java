package io.drctl.worker.cli;

import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.worker.temporal.TemporalConnection;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.TemporalFailure;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * An operator command (approve, reject, retry, skip, pause, resume, abort), sent as the Temporal
 * update of that name so that the answer comes back: accepted with what happened, or refused with
 * why. Exit status: 0 accepted, 1 refused, 2 no such incident or it has ended, 3 no answer.
 */
abstract class SteerCommand extends TemporalCommand {
  static final int REFUSED = 1;

  @Parameters(paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  @Option(
      names = "--step",
      paramLabel = "STEP",
      description = "The step it applies to; may be left out when only one step waits.")
  String step;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why; recorded in the incident's report.")
  String reason;

  @Option(
      names = {"--by", "--as"},
      paramLabel = "WHO",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "Who decides, recorded in the history (default: $USER, else the login name).")
  String by;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "A note, e.g. what an approver checked.")
  String comment;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "How long to wait for a worker's answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** The update's name, one of {@link io.drctl.workflow.IncidentWorkflows#COMMANDS}. */
  abstract String command();

  @Override
  int run(TemporalConnection connection) throws InterruptedException {
    if (by == null || by.isBlank()) {
      throw new Failures.UserError("--by is empty; say who decides");
    }
    if (reason.isBlank()) {
      throw new Failures.UserError(
          "--reason is empty; say why, it goes into the incident's report");
    }
    if (timeoutSeconds < 1) {
      throw new Failures.UserError("--timeout " + timeoutSeconds + ": must be at least 1 second");
    }
    WorkflowStub stub = connection.client().newUntypedWorkflowStub(workflowId);
    WorkflowExecutionStatus status = stub.describe().getStatus();
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw new Failures.UserError(
          "incident "
              + workflowId
              + " has ended ("
              + Statuses.name(status)
              + "); nothing to "
              + command());
    }
    OperatorCommand payload = new OperatorCommand(by, reason, step, comment);
    CompletableFuture<CommandResult> answer =
        CompletableFuture.supplyAsync(() -> stub.update(command(), CommandResult.class, payload));
    PrintWriter out = spec.commandLine().getOut();
    CommandResult result;
    try {
      result = answer.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new Failures.UserError(
          "no worker answered the "
              + command()
              + " within "
              + timeoutSeconds
              + " s; is a drctl worker"
              + " polling task queue '"
              + connection.settings().taskQueue()
              + "'? The "
              + command()
              + " was not confirmed.",
          UNAVAILABLE);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WorkflowUpdateException refused) {
        String why =
            refused.getCause() instanceof TemporalFailure failure
                ? failure.getOriginalMessage()
                : refused.getMessage();
        out.println(command() + " refused: " + why);
        out.flush();
        return REFUSED;
      }
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    }
    out.println(command() + (result.accepted() ? " accepted: " : " refused: ") + result.message());
    out.flush();
    return result.accepted() ? 0 : REFUSED;
  }
}
