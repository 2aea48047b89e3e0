package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.plan.Plan;
import io.drctl.workflow.StartRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One side of the comparison: how to start its workflow and how to check its result. */
enum Contender {
  /** {@link HandWrittenWorkflowImpl}: the baseline. */
  HAND_WRITTEN("hand-written") {
    @Override
    WorkflowStub start(WorkflowClient client, String taskQueue, String workflowId, Plan plan) {
      WorkflowStub stub =
          client.newUntypedWorkflowStub(HandWrittenWorkflow.TYPE, options(taskQueue, workflowId));
      stub.start(plan.steps().size(), NoopRunbook.passesOutcome(plan));
      return stub;
    }

    @Override
    CompletableFuture<Void> finished(WorkflowStub stub, Plan plan) {
      return stub.getResultAsync(Integer.class)
          .thenAccept(
              done -> {
                if (done != plan.steps().size()) {
                  throw new IllegalStateException(
                      stub.getExecution().getWorkflowId()
                          + " ran "
                          + done
                          + " steps, not "
                          + plan.steps().size());
                }
              });
    }
  },

  /** drctl's dynamic incident workflow on the pinned plan, as the CLI starts it. */
  INTERPRETED("interpreted") {
    @Override
    WorkflowStub start(WorkflowClient client, String taskQueue, String workflowId, Plan plan) {
      WorkflowStub stub =
          client.newUntypedWorkflowStub(plan.type(), options(taskQueue, workflowId));
      stub.start(
          Map.of(
              StartRequest.ENVELOPE,
              new StartRequest(
                  plan,
                  JsonNodeFactory.instance.objectNode(),
                  "benchmark",
                  "interpreter benchmark")));
      return stub;
    }

    @Override
    CompletableFuture<Void> finished(WorkflowStub stub, Plan plan) {
      return stub.getResultAsync(JsonNode.class)
          .thenAccept(
              report -> {
                long succeeded = 0;
                for (JsonNode step : report.path("steps")) {
                  succeeded += "succeeded".equals(step.path("status").asText()) ? 1 : 0;
                }
                if (!"succeeded".equals(report.path("outcome").asText())
                    || succeeded != plan.steps().size()) {
                  throw new IllegalStateException(
                      stub.getExecution().getWorkflowId()
                          + " ended "
                          + report.path("outcome").asText()
                          + " with "
                          + succeeded
                          + " of "
                          + plan.steps().size()
                          + " steps succeeded");
                }
              });
    }
  },

  /**
   * The same incidents with every payload encrypted ({@code --codec-keys}): its own client and
   * worker, whose data converter encrypts, on a task queue of their own.
   */
  INTERPRETED_ENCRYPTED("interpreted-encrypted") {
    @Override
    WorkflowStub start(WorkflowClient client, String taskQueue, String workflowId, Plan plan) {
      return INTERPRETED.start(client, taskQueue, workflowId, plan);
    }

    @Override
    CompletableFuture<Void> finished(WorkflowStub stub, Plan plan) {
      return INTERPRETED.finished(stub, plan);
    }
  };

  private final String label;

  Contender(String label) {
    this.label = label;
  }

  /** As printed, and as it appears in workflow ids (and so in workflow thread names). */
  String label() {
    return label;
  }

  /** Starts one incident of {@code plan}'s steps; blocks until the server accepted it. */
  abstract WorkflowStub start(
      WorkflowClient client, String taskQueue, String workflowId, Plan plan);

  /** Completes when the workflow has; fails if it failed or did not run every step. */
  abstract CompletableFuture<Void> finished(WorkflowStub stub, Plan plan);

  private static WorkflowOptions options(String taskQueue, String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId).build();
  }

  static Contender parse(String text) {
    for (Contender contender : values()) {
      if (contender.label.equals(text)) {
        return contender;
      }
    }
    throw new IllegalArgumentException(
        "--only " + text + ": expected hand-written, interpreted or interpreted-encrypted");
  }
}
