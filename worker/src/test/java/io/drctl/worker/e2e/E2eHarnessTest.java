package io.drctl.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.workflow.IncidentReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's own logic, without servers. */
class E2eHarnessTest {
  @Test
  void stepsRunInTheOrderOfTheirStartInstantsAlsoWhenOneStartedOnAWholeSecond() {
    // Instant.toString writes 20:34:20.000 as "20:34:20Z", which sorts after "20:34:20.350Z" as
    // text.
    IncidentReport report =
        new IncidentReport(
            "i",
            "database_failure",
            "t",
            "high",
            "1",
            "h",
            "me",
            null,
            "2026-11-27T20:34:20Z",
            null,
            "succeeded",
            null,
            "20m",
            null,
            1,
            true,
            null,
            null,
            null,
            List.of(
                step("announce", "2026-11-27T20:34:20Z"),
                step("probe", "2026-11-27T20:34:20.350Z"),
                step("skipped", null),
                step("logs", "2026-11-27T20:34:21.002Z")),
            List.of(),
            List.of(),
            List.of(),
            null,
            null,
            null);

    assertThat(E2eHarness.ranInOrder(report)).containsExactly("announce", "probe", "logs");
  }

  private static IncidentReport.StepReport step(String id, String startedAt) {
    return new IncidentReport.StepReport(
        id,
        id,
        "notify.send",
        id,
        startedAt == null ? "skipped" : "succeeded",
        1,
        startedAt,
        null,
        null,
        null,
        null);
  }

  @Test
  void aCutRunbookDropsTheOrderingOnStepsItLeavesOutAndStillCompiles(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path cut =
        E2eHarness.writeCutRunbook(
            dir.resolve("cut.json"),
            "backup_daily",
            List.of("redis_aof", "redis_rdb", "verify_aof", "verify_rdb"));

    String text = java.nio.file.Files.readString(cut);
    var result =
        io.drctl.compiler.RunbookCompiler.standard()
            .compile(new io.drctl.compiler.RunbookCompiler.Source(cut.toString(), text));
    assertThat(result.errors()).as("the cut runbook compiles").isEmpty();
    assertThat(text).doesNotContain("\"pg_base\"");
  }
}
