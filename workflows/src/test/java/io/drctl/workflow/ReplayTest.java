package io.drctl.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded incident history against the current workflow code. A change that would
 * make an incident in flight take a different path fails here. Record new histories with {@code mvn
 * -pl workflows test -Dtest=IncidentWorkflowTest -Ddrctl.recordHistories=true}.
 */
class ReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");
  private static TestWorkflowEnvironment environment;
  private static Worker worker;

  private static List<Path> histories() throws IOException {
    assertThat(HISTORIES).isDirectory();
    try (Stream<Path> files = Files.list(HISTORIES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplayOnTheCurrentCode() throws IOException {
    var files = histories();
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      // Files are named TEST@WORKFLOW_ID.json: child workflow ids derive from the
                      // parent's id.
                      String name = file.getFileName().toString();
                      String workflowId =
                          name.substring(name.indexOf('@') + 1, name.length() - ".json".length());
                      WorkflowExecutionHistory history =
                          WorkflowExecutionHistory.fromJson(Files.readString(file), workflowId);
                      WorkflowReplayer.replayWorkflowExecution(history, replayer());
                    }));
  }

  /**
   * One replaying worker for every history. Its deadlock detection allows 30 s instead of 1 s: the
   * first replay loads the expression engine, which on a loaded two-core machine can hold the
   * workflow thread past 1 s and fail a history that replays correctly.
   */
  private static synchronized Worker replayer() {
    if (environment == null) {
      environment = TestWorkflowEnvironment.newInstance();
      worker =
          environment.newWorker(
              "replay",
              WorkerOptions.newBuilder()
                  .setDefaultDeadlockDetectionTimeout(Duration.ofSeconds(30).toMillis())
                  .build());
      worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
    }
    return worker;
  }

  @AfterAll
  static void closeReplayer() {
    if (environment != null) {
      environment.close();
    }
  }

  /**
   * Plans pinned before a plan field existed read with its default and keep their hash: here, no
   * step of theirs runs in the background, so those incidents keep waiting for each step.
   */
  @TestFactory
  Stream<DynamicTest> plansPinnedInRecordedHistoriesKeepTheirHashAndBlockOnEveryStep()
      throws IOException {
    List<Path> pinning = new ArrayList<>();
    for (Path file : histories()) {
      if (!pinnedPlan(file).isMissingNode()) {
        pinning.add(file); // incidents started from the UI take their plan from the worker instead
      }
    }
    assertThat(pinning).hasSizeGreaterThanOrEqualTo(10);
    return pinning.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      Plan plan = PlanJson.mapper().treeToValue(pinnedPlan(file), Plan.class);
                      assertThat(PlanJson.hash(plan)).isEqualTo(plan.hash());
                      assertThat(plan.steps()).noneMatch(PlanStep::background);
                    }));
  }

  /** The plan the client pinned in the incident's start request, or a missing node. */
  private static JsonNode pinnedPlan(Path history) throws IOException {
    JsonNode input =
        PlanJson.mapper()
            .readTree(history.toFile())
            .path("events")
            .path(0)
            .path("workflowExecutionStartedEventAttributes")
            .path("input");
    byte[] request =
        Base64.getDecoder().decode(input.path("payloads").path(0).path("data").asText());
    return PlanJson.mapper().readTree(request).path(StartRequest.ENVELOPE).path("plan");
  }
}
