package io.drctl.workflow;

import static io.drctl.workflow.WorkflowTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.plan.PlanJson;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runbook's lifecycle notifications on a time-skipping test server: which events go to which
 * channel, in which order, with PagerDuty's trigger, acknowledge and resolve on one dedup key, the
 * periodic status and the RTO warning from timers, and an undeliverable channel only recorded. Its
 * histories are replayed by {@link ReplayTest} once recorded.
 */
class LifecycleNotificationsWorkflowTest {
  @RegisterExtension final WorkflowTestSupport support = new WorkflowTestSupport();

  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "lifecycle",
       "targets": {
         "pagerduty": {"kind": "http", "url": "http://127.0.0.1:1/v2/enqueue", "headers": {"X-Routing-Key": "env:KEY"}},
         "slack": {"kind": "http", "url": "http://127.0.0.1:2"},
         "fail": {"kind": "http", "url": "http://127.0.0.1:3"},
         "backend": {"kind": "container", "container": "backend"}
       },
       "notifications": {"statusEvery": "15m", "rtoWarningAt": 80, "channels": [
         {"target": "pagerduty", "format": "pagerduty", "events": ["started", "acknowledged", "resolved"]},
         {"target": "slack", "format": "slack",
          "events": ["started", "approvalRequested", "acknowledged", "stepFailed", "escalation", "rtoWarning", "status", "resolved"]},
         {"target": "fail", "format": "json", "events": ["resolved"], "severities": ["high"]},
         {"target": "slack", "format": "json", "events": ["started"], "severities": ["low"]}
       ]},
       "incidents": [{"type": "service_down", "title": "Service down", "severity": "high", "target": "backend",
         "objectives": {"rto": "30m", "rpo": "0s"},
         "steps": [
           {"id": "gate", "action": "approval", "timeout": "1h", "with": {"prompt": "restart the backend?"}},
           {"id": "wait", "action": "sleep", "with": {"duration": "25m"}},
           {"id": "probe", "action": "shell.exec", "with": {"argv": ["fail:probe"]}, "continueOnError": true,
            "retry": {"maxAttempts": 1}},
           {"id": "restart", "action": "docker.restart", "with": {"target": "backend"}}
         ]}]}
      """;

  @Test
  void everyLifecycleEventReachesItsChannelsInOrderAndPagerDutyResolvesItsOneAlert() {
    support.runbook(RUNBOOK);
    WorkflowStub stub = support.start("service_down", "lifecycle-1", "alice", json("{}"));
    support.env.sleep(Duration.ofSeconds(5));
    stub.update(
        IncidentWorkflows.APPROVE,
        CommandResult.class,
        new OperatorCommand("bob", "go", null, null));

    IncidentReport report = stub.getResult(IncidentReport.class);

    assertThat(report.outcome()).isEqualTo("succeeded");
    List<JsonNode> sent = notices("lifecycle-1");
    assertThat(sent)
        .extracting(
            n ->
                n.path("event").asText()
                    + "@"
                    + n.path("channel").asText()
                    + "/"
                    + n.path("format").asText())
        .containsExactly(
            "started@pagerduty/pagerduty",
            "started@slack/slack",
            "approvalRequested@slack/slack",
            "acknowledged@pagerduty/pagerduty",
            "acknowledged@slack/slack",
            "status@slack/slack",
            "rtoWarning@slack/slack",
            "stepFailed@slack/slack",
            "resolved@pagerduty/pagerduty",
            "resolved@slack/slack",
            "resolved@fail/json");
    List<JsonNode> pages =
        sent.stream().filter(n -> n.path("format").asText().equals("pagerduty")).toList();
    assertThat(pages)
        .extracting(n -> n.path("eventAction").asText())
        .containsExactly("trigger", "acknowledge", "resolve");
    assertThat(pages).extracting(n -> n.path("dedupKey").asText()).containsOnly("lifecycle-1");
    assertThat(sent.get(0).path("message").asText())
        .startsWith("Incident lifecycle-1 started by alice (test).");
    assertThat(sent.get(2).path("message").asText())
        .contains("restart the backend?")
        .contains("drctl approve lifecycle-1 --step gate --reason \"...\"");
    assertThat(sent.get(3).path("message").asText()).isEqualTo("Acknowledged: approve by bob.");
    assertThat(sent.get(6).path("message").asText()).startsWith("80% of the RTO (30m) is used");
    assertThat(sent.get(7).path("message").asText())
        .startsWith("Step 'probe' (probe) failed (continuing)");
    assertThat(sent.get(9).path("message").asText())
        .startsWith("Resolved: the incident succeeded after 25m");
    assertThat(sent.get(9).path("$targets").has("slack")).isTrue();
    assertThat(report.undeliveredNotifications())
        .singleElement()
        .satisfies(u -> assertThat(u.step()).isEqualTo("resolved"))
        .satisfies(
            u -> assertThat(u.title()).isEqualTo("lifecycle notification 'resolved' to 'fail'"));
    assertThat(report.notes())
        .anyMatch(n -> n.contains("notification 'resolved' to 'fail' was not delivered"));
  }

  @Test
  void aFailedIncidentLeavesThePagerDutyAlertOpen() {
    support.runbook(RUNBOOK.replace("\"continueOnError\": true,", "\"onExhausted\": \"fail\","));
    WorkflowStub stub = support.start("service_down", "lifecycle-2", "alice", json("{}"));
    support.env.sleep(Duration.ofSeconds(5));
    stub.update(
        IncidentWorkflows.REJECT,
        CommandResult.class,
        new OperatorCommand("bob", "not now", null, null));

    org.assertj.core.api.Assertions.catchThrowable(() -> stub.getResult(IncidentReport.class));

    List<JsonNode> pages =
        notices("lifecycle-2").stream()
            .filter(n -> n.path("format").asText().equals("pagerduty"))
            .toList();
    assertThat(pages)
        .extracting(n -> n.path("event").asText() + ":" + n.path("eventAction").asText())
        .containsExactly("started:trigger", "acknowledged:acknowledge", "resolved:trigger");
    assertThat(pages.get(2).path("message").asText())
        .startsWith("Ended failed: step 'gate' failed");
  }

  @Test
  void theRtoWarningCountsFromWhenTheTriggeringAlertStartedFiring() {
    support.runbook(RUNBOOK);
    long now = support.env.currentTimeMillis();
    Alert alert =
        new Alert(
            "alertmanager",
            Alert.FIRING,
            Map.of("alertname", "ServiceDown", "service", "api"),
            Map.of("summary", "api answers 502"),
            "fp-1",
            Instant.ofEpochMilli(now).minus(Duration.ofMinutes(20)).toString(),
            Instant.ofEpochMilli(now).toString());
    WorkflowStub stub = support.signalWithStart("service_down", "lifecycle-3", json("{}"), alert);
    support.env.sleep(Duration.ofSeconds(5));
    stub.update(
        IncidentWorkflows.APPROVE,
        CommandResult.class,
        new OperatorCommand("bob", "go", null, null));

    stub.getResult(IncidentReport.class);

    List<JsonNode> slack =
        notices("lifecycle-3").stream()
            .filter(
                n ->
                    n.path("channel").asText().equals("slack")
                        && n.path("format").asText().equals("slack"))
            .toList();
    assertThat(slack)
        .extracting(n -> n.path("event").asText())
        .containsExactly(
            "started",
            "approvalRequested",
            "acknowledged",
            "rtoWarning",
            "status",
            "stepFailed",
            "resolved");
    assertThat(slack.get(0).path("message").asText())
        .contains("Trigger: ServiceDown (firing)")
        .contains("fingerprint fp-1")
        .contains("api answers 502");
    assertThat(slack.get(3).path("message").asText())
        .containsPattern("running for (3m59s|4m) of RTO 30m");
  }

  /** The notify.send inputs the workflow scheduled for lifecycle events, in history order. */
  private List<JsonNode> notices(String id) {
    return support.env.getWorkflowClient().fetchHistory(id).getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getActivityType().getName().equals("notify.send"))
        .map(a -> read(a.getInput().getPayloads(0).getData().toStringUtf8()))
        .filter(n -> n.has("event"))
        .toList();
  }

  private static JsonNode read(String text) {
    try {
      return PlanJson.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
