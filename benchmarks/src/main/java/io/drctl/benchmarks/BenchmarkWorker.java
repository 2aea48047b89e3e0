package io.drctl.benchmarks;

import io.drctl.workflow.IncidentWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A client and one worker with default options, in this JVM, serving both contenders on one task
 * queue: drctl's incident workflow, the hand-written workflow and the no-op activity.
 */
final class BenchmarkWorker implements AutoCloseable {
  private static final String NAMESPACE = "default";
  private static final long READY_TIMEOUT_MILLIS = 60_000;

  final WorkflowClient client;
  final String taskQueue = "bench-" + UUID.randomUUID();
  final NoopActivitiesImpl activities = new NoopActivitiesImpl();
  private final WorkflowServiceStubs service;
  private final WorkerFactory factory;

  private BenchmarkWorker(WorkflowServiceStubs service) {
    this.service = service;
    this.client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
    this.factory = WorkerFactory.newInstance(client);
    var worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class, HandWrittenWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    factory.start();
  }

  /** Waits until the server answers for the namespace, registers the search attributes, starts polling. */
  static BenchmarkWorker start(BenchmarkServer server) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    awaitNamespace(service, server);
    registerSearchAttributes(service);
    return new BenchmarkWorker(service);
  }

  private static void awaitNamespace(WorkflowServiceStubs service, BenchmarkServer server) {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
    while (true) {
      try {
        service.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
            .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
        return;
      } catch (StatusRuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the server at " + server.target() + " did not answer within "
              + READY_TIMEOUT_MILLIS / 1000 + " s (" + e.getStatus() + "); " + server.description() + "\n" + server.logTail(), e);
        }
        sleep(200);
      }
    }
  }

  /** The CLI server registered them at launch; the Java test server cannot list, so each is added. */
  private static void registerSearchAttributes(WorkflowServiceStubs service) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
    Map<String, IndexedValueType> present = Map.of();
    try {
      present = operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(NAMESPACE).build())
          .getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    for (String name : BenchmarkServer.searchAttributes()) {
      if (present.get(name) == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
        continue;
      }
      try {
        operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(NAMESPACE)
            .putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    }
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
