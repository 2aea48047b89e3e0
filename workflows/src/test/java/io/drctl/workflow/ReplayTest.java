package io.drctl.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded incident history against the current workflow code. A change that would
 * make an incident in flight take a different path fails here. Record new histories with
 * {@code mvn -pl workflows test -Dtest=IncidentWorkflowTest -Ddrctl.recordHistories=true}.
 */
class ReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplayOnTheCurrentCode() throws IOException {
    assertThat(HISTORIES).isDirectory();
    var files = Files.list(HISTORIES).filter(p -> p.toString().endsWith(".json")).sorted().toList();
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      // Files are named TEST@WORKFLOW_ID.json: child workflow ids derive from the parent's id.
      String name = file.getFileName().toString();
      String workflowId = name.substring(name.indexOf('@') + 1, name.length() - ".json".length());
      WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file), workflowId);
      WorkflowReplayer.replayWorkflowExecution(history, IncidentWorkflowImpl.class);
    }));
  }
}
