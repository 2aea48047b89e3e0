package io.drctl.worker.ui;

import io.drctl.activities.registry.ActivityRegistry;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.worker.temporal.PlanCatalog;
import io.drctl.workflow.IncidentWorkflowImpl;
import io.drctl.workflow.StarterLookup;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A drctl worker in the test's JVM, wired as {@code drctl worker} wires it: the incident workflow,
 * every activity backend plus the fallback, and the catalog that serves the compiled runbook's
 * plans to incidents started from the Temporal UI.
 */
final class InProcessWorker implements AutoCloseable {
  private static final Duration POLLER_TIMEOUT = Duration.ofSeconds(30);
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  private InProcessWorker(
      WorkflowServiceStubs stubs, WorkflowClient client, WorkerFactory factory) {
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
  }

  static InProcessWorker start(String target, String taskQueue, CompiledRunbook runbook) {
    return start(
        target,
        taskQueue,
        runbook,
        io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE);
  }

  /** The same, with every payload written and read through {@code converter} (e.g. the codec's). */
  static InProcessWorker start(
      String target,
      String taskQueue,
      CompiledRunbook runbook,
      io.temporal.common.converter.DataConverter converter) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(TemporalDevServer.NAMESPACE)
                .setIdentity("drctl-ui-test")
                .setDataConverter(converter)
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        ActivityRegistry.implementations(new SecretResolver()).toArray());
    worker.registerActivitiesImplementations(ActivityRegistry.fallback());
    worker.registerActivitiesImplementations(new PlanCatalog(runbook), new StarterLookup(stubs));
    factory.start();
    InProcessWorker started = new InProcessWorker(stubs, client, factory);
    started.awaitPolling(taskQueue);
    return started;
  }

  /**
   * Waits until the server lists this worker as a poller of the queue: the UI's start form looks
   * the queue up once, and would otherwise warn "Task Queue is Inactive".
   */
  private void awaitPolling(String taskQueue) {
    DescribeTaskQueueRequest request =
        DescribeTaskQueueRequest.newBuilder()
            .setNamespace(TemporalDevServer.NAMESPACE)
            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).build())
            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
            .build();
    long deadline = System.nanoTime() + POLLER_TIMEOUT.toNanos();
    while (stubs.blockingStub().describeTaskQueue(request).getPollersCount() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the worker did not poll task queue " + taskQueue + " within " + POLLER_TIMEOUT);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for the worker to poll " + taskQueue, e);
      }
    }
  }

  WorkflowClient client() {
    return client;
  }

  @Override
  public void close() throws InterruptedException {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    stubs.shutdownNow();
    stubs.awaitTermination(10, TimeUnit.SECONDS);
  }
}
