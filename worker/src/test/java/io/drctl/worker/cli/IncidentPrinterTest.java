package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.interpreter.Progress;
import io.drctl.worker.report.ReportText;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The step table of status and watch, with progress bars from heartbeat details. */
class IncidentPrinterTest {
  private static Progress.StepProgress step(String id, String action, String path, String status) {
    return new Progress.StepProgress(id, id, action, path, status, 1, null, null, null, null);
  }

  private static PendingActivityInfo activity(String id, String type, Object details) {
    PendingActivityInfo.Builder info =
        PendingActivityInfo.newBuilder()
            .setActivityId(id)
            .setActivityType(ActivityType.newBuilder().setName(type))
            .setAttempt(1);
    if (details != null) {
      info.setHeartbeatDetails(GlobalDataConverter.get().toPayloads(details).orElseThrow());
    }
    return info.build();
  }

  @Test
  void heartbeatsWithDoneAndTotalGetAProgressBar() {
    PendingActivityInfo restore =
        activity(
            "7",
            "postgres.restore",
            Map.of("done", 412, "total", 750, "unit", "MB", "message", "copying base backup"));
    assertThat(ActivityProgress.describe(restore))
        .isEqualTo("[###########---------]  55% 412/750 MB  copying base backup");
    assertThat(ActivityProgress.bar(2.0)).isEqualTo("[####################] 100%");
  }

  @Test
  void otherHeartbeatsShowTheirMessageOrLastLineAndRetriesShowTheLastError() {
    assertThat(
            ActivityProgress.describe(
                activity(
                    "1",
                    "shell.exec",
                    Map.of(
                        "elapsedSeconds",
                        3,
                        "stdoutBytes",
                        10,
                        "stderrBytes",
                        0,
                        "lastLine",
                        "vacuuming"))))
        .isEqualTo("vacuuming");
    PendingActivityInfo retried =
        activity("2", "redis.ping", null).toBuilder()
            .setAttempt(3)
            .setMaximumAttempts(5)
            .setLastFailure(
                io.temporal.api.failure.v1.Failure.newBuilder().setMessage("connection refused"))
            .build();
    assertThat(ActivityProgress.describe(retried))
        .isEqualTo("attempt 3/5, last error: connection refused");
  }

  @Test
  void runningStepsArePairedWithActivitiesByIdThenByAction() {
    Progress.StepProgress copyEu = step("copy", "s3.copy", "replicate/eu", "running");
    Progress.StepProgress copyUs = step("copy", "s3.copy", "replicate/us", "running");
    Progress.StepProgress done = step("check", "s3.copy", "", "succeeded");
    PendingActivityInfo byPath = activity("replicate/us/copy", "s3.copy", null);
    PendingActivityInfo byType = activity("12", "s3.copy", null);
    Map<Progress.StepProgress, PendingActivityInfo> matched =
        IncidentPrinter.match(List.of(done, copyEu, copyUs), List.of(byType, byPath));
    assertThat(matched)
        .containsEntry(copyUs, byPath)
        .containsEntry(copyEu, byType)
        .doesNotContainKey(done);
  }

  @Test
  void theStepTableShowsTheBarOnTheRunningStep() {
    StringWriter text = new StringWriter();
    IncidentPrinter.stepsTable(
            List.of(
                step("snapshot", "postgres.snapshot", "", "succeeded"),
                step("restore", "postgres.restore", "", "running")),
            List.of(activity("9", "postgres.restore", Map.of("done", 1, "total", 4))))
        .print(new PrintWriter(text, true));
    assertThat(text.toString())
        .contains("restore   postgres.restore   running    1      [#####---------------]  25% 1/4");
  }

  @Test
  void durationsAreShort() {
    assertThat(ReportText.duration(42)).isEqualTo("42s");
    assertThat(ReportText.duration(192)).isEqualTo("3m12s");
    assertThat(ReportText.duration(3 * 3600 + 60)).isEqualTo("3h1m");
  }

  @Test
  void anAlertedIncidentShowsItsTriggerAndTheAlertsSince() {
    io.drctl.alerts.Alert trigger =
        new io.drctl.alerts.Alert(
            "alertmanager",
            "firing",
            Map.of("alertname", "PostgresDown", "service", "postgres"),
            Map.of(),
            "4f1c0d",
            "2026-12-06T10:00:00Z",
            null);
    io.drctl.alerts.Alert last =
        new io.drctl.alerts.Alert(
            "alertmanager",
            "resolved",
            Map.of("alertname", "PostgresDown", "service", "postgres"),
            Map.of(),
            "4f1c0d",
            "2026-12-06T10:00:00Z",
            null);
    StringWriter text = new StringWriter();
    IncidentPrinter.printAlerts(
        trigger,
        new Progress.Alerts(3, 2, 1, "2026-12-06T10:05:00.000Z", last, List.of("4f1c0d", "9a"), 4),
        new PrintWriter(text, true));
    assertThat(text.toString())
        .isEqualTo(
            """
        trigger   alert PostgresDown (firing) {alertname=PostgresDown, service=postgres} fingerprint 4f1c0d startsAt 2026-12-06T10:00:00Z
        alerts    3 received (2 firing, 1 resolved); last at 2026-12-06T10:05:00.000Z: PostgresDown (resolved) {alertname=PostgresDown, service=postgres} fingerprint 4f1c0d startsAt 2026-12-06T10:00:00Z
                  fingerprints 4f1c0d, 9a and 4 more
        """);
  }
}
