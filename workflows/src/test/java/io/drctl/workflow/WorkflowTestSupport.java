package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.interpreter.Progress;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts incidents of inline runbooks on a time-skipping test environment with scripted actions.
 * Registered as a JUnit extension ({@code @RegisterExtension}), it records the histories of each
 * test (see {@link #recordHistories}) and closes after it.
 */
final class WorkflowTestSupport implements AutoCloseable, AfterEachCallback {
  static final String QUEUE = "test";
  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final ScriptedActivities actions = new ScriptedActivities();
  private CompiledRunbook runbook;
  private final MutableCatalog catalog = new MutableCatalog();

  WorkflowTestSupport() {
    IncidentWorkflows.SEARCH_ATTRIBUTES.forEach(
        key ->
            env.registerSearchAttribute(
                key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(QUEUE, IncidentWorkflows.workerOptions().build());
    worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        actions, catalog, new StarterLookup(env.getWorkflowServiceStubs()));
    env.start();
  }

  /** The plan catalog the worker serves to UI-started incidents; tests may swap it mid-flight. */
  static final class MutableCatalog implements PlanCatalogActivities {
    volatile CompiledRunbook runbook;

    @Override
    public Plan plan(String type) {
      CompiledRunbook current = runbook;
      return current
          .plan(type)
          .orElseThrow(
              () ->
                  ApplicationFailure.newNonRetryableFailure(
                      current.noSuchIncident(type), UNKNOWN_INCIDENT));
    }
  }

  static CompiledRunbook compile(String text) {
    CompileResult result =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("test.json", text));
    if (!result.ok()) {
      throw new IllegalArgumentException("test runbook is invalid: " + result.errors());
    }
    return result.runbook();
  }

  WorkflowTestSupport runbook(String text) {
    runbook = compile(text);
    catalog.runbook = runbook;
    return this;
  }

  void serveFromCatalog(String text) {
    catalog.runbook = compile(text);
  }

  /** Starts an incident with its plan pinned by the client, as the CLI does. */
  WorkflowStub start(String type, String id, String startedBy, JsonNode inputs) {
    Plan plan = runbook.plan(type).orElseThrow();
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                type, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    stub.start(Map.of(StartRequest.ENVELOPE, new StartRequest(plan, inputs, startedBy, "test")));
    started.add(id);
    return stub;
  }

  /**
   * Starts the incident with its first alert, or signals it the alert, as the alert receiver does.
   */
  WorkflowStub signalWithStart(
      String type, String id, JsonNode inputs, io.drctl.alerts.Alert alert) {
    Plan plan = runbook.plan(type).orElseThrow();
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                type, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    stub.signalWithStart(
        IncidentWorkflows.ALERT,
        new Object[] {alert},
        new Object[] {
          Map.of(
              StartRequest.ENVELOPE,
              new StartRequest(plan, inputs, "drctl receiver (test)", "alert", alert))
        });
    if (!started.contains(id)) {
      started.add(id);
    }
    return stub;
  }

  /** Starts an incident with bare inputs, as the Temporal UI's start form does. */
  WorkflowStub startLikeTheUi(String type, String id, JsonNode inputs) {
    return startLikeTheUi(type, id, inputs, env.getWorkflowClient());
  }

  /**
   * Starts an incident with bare inputs from a client with {@code identity}, as the Web UI of a
   * signed-in user does.
   */
  WorkflowStub startLikeTheUi(String type, String id, JsonNode inputs, String identity) {
    return startLikeTheUi(
        type,
        id,
        inputs,
        io.temporal.client.WorkflowClient.newInstance(
            env.getWorkflowServiceStubs(),
            io.temporal.client.WorkflowClientOptions.newBuilder()
                .setNamespace(env.getNamespace())
                .setIdentity(identity)
                .build()));
  }

  private WorkflowStub startLikeTheUi(
      String type, String id, JsonNode inputs, io.temporal.client.WorkflowClient client) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            type, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    stub.start(inputs);
    started.add(id);
    return stub;
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) PlanJson.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Progress progress(WorkflowStub stub) {
    return stub.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
  }

  static String status(WorkflowStub stub, String step) {
    return progress(stub).steps().stream()
        .filter(s -> s.id().equals(step))
        .findFirst()
        .orElseThrow()
        .status();
  }

  private final java.util.List<String> started = new java.util.ArrayList<>();

  /**
   * With {@code -Ddrctl.recordHistories=true}, writes the history of every incident this test
   * started to src/test/resources/histories, where {@link ReplayTest} replays them on every build.
   */
  void recordHistories(String testName) {
    if (!Boolean.getBoolean("drctl.recordHistories")) {
      return;
    }
    for (String id : started) {
      var history = env.getWorkflowClient().fetchHistory(id);
      java.nio.file.Path file =
          java.nio.file.Path.of("src/test/resources/histories", testName + "@" + id + ".json");
      try {
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, history.toJson(true));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext test) {
    recordHistories(test.getRequiredTestMethod().getName());
    close();
  }

  @Override
  public void close() {
    env.close();
  }
}
