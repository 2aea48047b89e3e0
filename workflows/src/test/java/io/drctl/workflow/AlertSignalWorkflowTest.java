package io.drctl.workflow;

import static io.drctl.workflow.WorkflowTestSupport.json;
import static io.drctl.workflow.WorkflowTestSupport.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.alerts.Alert;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert signal on a time-skipping test server: the alert that starts an incident is its
 * trigger, every later one is counted, and none changes a step. Its history is replayed by {@link
 * ReplayTest} once recorded.
 */
class AlertSignalWorkflowTest {
  @RegisterExtension final WorkflowTestSupport support = new WorkflowTestSupport();

  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "alerts",
       "incidents": [{"type": "service_down", "title": "Service down", "severity": "high",
         "objectives": {"rto": "30m"},
         "inputs": {"summary": {"type": "string", "description": "what the alert said", "default": "none"}},
         "steps": [{"id": "gate", "action": "approval", "timeout": "1h", "with": {"prompt": "${{ inputs.summary }}"}},
                   {"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]}]}
      """;

  private static Alert alert(String status, String fingerprint) {
    return new Alert(
        "alertmanager",
        status,
        Map.of("alertname", "ServiceDown", "service", "api"),
        Map.of("summary", "api answers 502"),
        fingerprint,
        "2026-12-06T10:00:00Z",
        "2026-12-06T10:00:01.000Z");
  }

  @Test
  void theStartingAlertIsTheTriggerAndLaterAlertsAreCountedWithoutChangingAStep() {
    support.runbook(RUNBOOK); // the receiver's ids hold a /, which a history file name cannot
    WorkflowStub stub =
        support.signalWithStart(
            "service_down",
            "alerted-api",
            json("{\"summary\": \"api down\"}"),
            alert(Alert.FIRING, "fp-1"));
    support.signalWithStart("service_down", "alerted-api", json("{}"), alert(Alert.FIRING, "fp-2"));
    support.signalWithStart("service_down", "alerted-api", json("{}"), alert(Alert.FIRING, "fp-1"));
    stub.signal(IncidentWorkflows.ALERT, alert(Alert.RESOLVED, "fp-2"));
    support.env.sleep(Duration.ofSeconds(5));

    Progress progress = progress(stub);
    assertThat(progress.trigger().fingerprint()).isEqualTo("fp-1");
    assertThat(progress.alerts().received()).isEqualTo(4);
    assertThat(progress.alerts().firing()).isEqualTo(3);
    assertThat(progress.alerts().resolved()).isEqualTo(1);
    assertThat(progress.alerts().fingerprints()).containsExactly("fp-1", "fp-2");
    assertThat(progress.alerts().last().status()).isEqualTo(Alert.RESOLVED);
    assertThat(progress.waiting()).isEqualTo("approval of 'gate'");

    stub.update(
        IncidentWorkflows.APPROVE,
        CommandResult.class,
        new OperatorCommand("bob", "checked", null, null));
    IncidentReport report = stub.getResult(IncidentReport.class);
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.startedBy()).isEqualTo("drctl receiver (test)");
    assertThat(report.trigger().labels())
        .containsEntry("alertname", "ServiceDown")
        .containsEntry("service", "api");
    assertThat(report.trigger().startsAt()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(report.alerts().received()).isEqualTo(4);
    assertThat(report.inputs().path("summary").asText()).isEqualTo("api down");
  }

  @Test
  void theRtoCountsFromTheAlertsStartsAtSoTimeBeforeTheStartIsNotHidden() {
    support.runbook(RUNBOOK);
    long now = support.env.currentTimeMillis();
    IncidentReport withinBudget =
        approvedReport("alerted-early", now - Duration.ofMinutes(10).toMillis());
    IncidentReport overBudget =
        approvedReport("alerted-late", now - Duration.ofMinutes(40).toMillis());

    assertThat(withinBudget.detectedAt())
        .isEqualTo(
            java.time.Instant.ofEpochMilli(now - Duration.ofMinutes(10).toMillis()).toString());
    assertThat(withinBudget.durationSeconds()).isBetween(600L, 660L);
    assertThat(withinBudget.rtoMet()).isTrue();
    assertThat(overBudget.durationSeconds()).isGreaterThanOrEqualTo(2400L);
    assertThat(overBudget.rtoMet())
        .as("30m RTO, alert firing 40m before the incident ended")
        .isFalse();
  }

  private IncidentReport approvedReport(String id, long startsAtMillis) {
    Alert alert =
        new Alert(
            "alertmanager",
            Alert.FIRING,
            Map.of("alertname", "ServiceDown", "service", "api"),
            Map.of(),
            "fp-" + id,
            java.time.Instant.ofEpochMilli(startsAtMillis).toString(),
            null);
    WorkflowStub stub = support.signalWithStart("service_down", id, json("{}"), alert);
    support.env.sleep(Duration.ofSeconds(5));
    stub.update(
        IncidentWorkflows.APPROVE,
        CommandResult.class,
        new OperatorCommand("bob", "checked", null, null));
    return stub.getResult(IncidentReport.class);
  }
}
