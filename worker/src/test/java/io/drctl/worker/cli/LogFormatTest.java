package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.testing.ThreadOutput;
import io.drctl.workflow.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The text log line: the incident and step in brackets while a step runs, nothing extra otherwise.
 */
class LogFormatTest {
  private static final Logger log =
      LoggerFactory.getLogger("io.drctl.worker.alerts.LogFormatProbe");

  @AfterEach
  void restore() {
    MDC.clear();
    LogFormat.apply("text");
  }

  private static String logged(Runnable logging) {
    ThreadOutput.Captured<Void> captured =
        ThreadOutput.capture(
            () -> {
              logging.run();
              return null;
            });
    // Only this test's own lines: a thread of a test class that runs concurrently
    // (LifecycleNotificationsTest) that logs meanwhile may write into this capture.
    return captured
        .err()
        .lines()
        .filter(line -> line.contains("LogFormatProbe"))
        .map(line -> line + System.lineSeparator())
        .collect(java.util.stream.Collectors.joining());
  }

  @Test
  void textLinesNameTheIncidentAndStepOnlyWhenTheyAreKnown() {
    LogFormat.apply("text");
    String plain = logged(() -> log.info("no incident here"));
    MDC.put("WorkflowId", "database_failure/pg-primary");
    String incident = logged(() -> log.info("in the workflow"));
    MDC.put(StepContext.MDC_KEY, "restore");
    String step = logged(() -> log.info("in a step"));

    assertThat(plain)
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.d\\.w\\.a\\.LogFormatProbe - no incident here\\R");
    assertThat(incident)
        .endsWith(
            "LogFormatProbe - [database_failure/pg-primary] in the workflow"
                + System.lineSeparator());
    assertThat(step)
        .endsWith(
            "LogFormatProbe - [database_failure/pg-primary restore] in a step"
                + System.lineSeparator());
  }

  @Test
  void jsonLinesCarryTheFormattedMessageAndTheLoggingContext() throws Exception {
    LogFormat.apply("json");
    MDC.put("WorkflowId", "database_failure/pg-primary");
    MDC.put(StepContext.MDC_KEY, "restore");
    String line = logged(() -> log.info("attempt {} of {}", 2, "postgres.restore"));

    var json = io.drctl.plan.PlanJson.mapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("attempt 2 of postgres.restore");
    assertThat(json.path("mdc").path("WorkflowId").asText())
        .isEqualTo("database_failure/pg-primary");
    assertThat(json.path("mdc").path("drctl.step").asText()).isEqualTo("restore");
  }
}
