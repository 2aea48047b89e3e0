package io.drctl.benchmarks;

import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.PayloadEncryption;
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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A client and one worker with default options, in this JVM, serving both contenders on one task
 * queue: drctl's incident workflow, the hand-written workflow and the no-op activity. A second
 * client and worker, whose payloads are encrypted under a random key, serve {@link
 * Contender#INTERPRETED_ENCRYPTED} on a queue of their own.
 */
final class BenchmarkWorker implements AutoCloseable {
  private static final String NAMESPACE = "default";
  private static final long READY_TIMEOUT_MILLIS = 60_000;

  private final String taskQueue = "bench-" + UUID.randomUUID();
  final NoopActivitiesImpl activities = new NoopActivitiesImpl();
  private final WorkflowServiceStubs service;
  private final WorkflowClient plain;
  private final WorkflowClient encrypted;
  private final List<WorkerFactory> factories = new ArrayList<>();

  private BenchmarkWorker(WorkflowServiceStubs service) {
    this.service = service;
    this.plain =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
    this.encrypted =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(NAMESPACE)
                .setDataConverter(PayloadEncryption.dataConverter(randomKey()))
                .build());
    serve(plain, taskQueue);
    serve(encrypted, taskQueue + "-encrypted");
  }

  private void serve(WorkflowClient client, String queue) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    var worker = factory.newWorker(queue);
    worker.registerWorkflowImplementationTypes(
        IncidentWorkflowImpl.class, HandWrittenWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    factory.start();
    factories.add(factory);
  }

  private static CodecKeys randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CodecKeys.fromEnvironment(
        "benchmark key",
        "bench=" + Base64.getEncoder().encodeToString(key),
        "benchmark write key",
        null);
  }

  /** The client of a contender's worker. */
  WorkflowClient client(Contender contender) {
    return contender == Contender.INTERPRETED_ENCRYPTED ? encrypted : plain;
  }

  /** The task queue of a contender's worker. */
  String taskQueue(Contender contender) {
    return contender == Contender.INTERPRETED_ENCRYPTED ? taskQueue + "-encrypted" : taskQueue;
  }

  /**
   * Waits until the server answers for the namespace, registers the search attributes, starts
   * polling.
   */
  static BenchmarkWorker start(BenchmarkServer server) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    awaitNamespace(service, server);
    registerSearchAttributes(service);
    return new BenchmarkWorker(service);
  }

  private static void awaitNamespace(WorkflowServiceStubs service, BenchmarkServer server) {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
    while (true) {
      try {
        service
            .blockingStub()
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
        return;
      } catch (StatusRuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "the server at "
                  + server.target()
                  + " did not answer within "
                  + READY_TIMEOUT_MILLIS / 1000
                  + " s ("
                  + e.getStatus()
                  + "); "
                  + server.description()
                  + "\n"
                  + server.logTail(),
              e);
        }
        sleep(200);
      }
    }
  }

  /**
   * The CLI server registered them at launch; the Java test server cannot list, so each is added.
   */
  private static void registerSearchAttributes(WorkflowServiceStubs service) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    Map<String, IndexedValueType> present = Map.of();
    try {
      present =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(NAMESPACE).build())
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
        operator
            .blockingStub()
            .addSearchAttributes(
                AddSearchAttributesRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                    .build());
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
    factories.forEach(WorkerFactory::shutdown);
    factories.forEach(factory -> factory.awaitTermination(10, TimeUnit.SECONDS));
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
