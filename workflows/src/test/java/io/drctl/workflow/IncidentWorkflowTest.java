package io.drctl.workflow;

import static io.drctl.testing.Await.awaitTrue;
import static io.drctl.workflow.WorkflowTestSupport.json;
import static io.drctl.workflow.WorkflowTestSupport.progress;
import static io.drctl.workflow.WorkflowTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The interpreter workflow on a time-skipping test server, with scripted actions. */
class IncidentWorkflowTest {
  @RegisterExtension final WorkflowTestSupport support = new WorkflowTestSupport();

  private static String runbook(String inputs, String steps) {
    return """
        {"version": "2.0.0", "name": "test",
         "targets": {"db": {"kind": "postgres", "host": "127.0.0.1", "port": 5432}},
         "defaults": {"retry": {"maxAttempts": 3, "initialInterval": "1s", "maxInterval": "2s"}},
         "incidents": [{"type": "demo", "title": "Demo incident", "severity": "high", "target": "db",
           "objectives": {"rto": "30m", "rpo": "5m"},
           "inputs": {%s},
           "steps": [%s]},
          {"type": "child", "title": "Child", "severity": "low", "objectives": {"rto": "5m"},
           "inputs": {"word": {"type": "string", "description": "what to say", "required": true}},
           "steps": [{"id": "say", "action": "shell.exec", "with": {"argv": ["ok:child", "${{ inputs.word }}"]}}]}]}
        """
        .formatted(inputs, steps);
  }

  private static String exec(String id, String script) {
    return "{\"id\": \""
        + id
        + "\", \"title\": \"Step "
        + id
        + "\", \"action\": \"shell.exec\", \"with\": {\"argv\": [\""
        + script
        + "\"]}}";
  }

  private static OperatorCommand by(String who, String step) {
    return new OperatorCommand(who, "because", step, "looks right");
  }

  private IncidentReport result(WorkflowStub stub) {
    return stub.getResult(IncidentReport.class);
  }

  private static IncidentReport failedReport(WorkflowStub stub) {
    try {
      stub.getResult(IncidentReport.class);
      throw new AssertionError("the incident did not fail");
    } catch (WorkflowFailedException e) {
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      return failure.getDetails().get(IncidentReport.class);
    }
  }

  @Test
  void stepsRunInListOrderAndTheReportRecordsEach() {
    support.runbook(
        runbook("", exec("a", "ok:a") + "," + exec("b", "ok:b") + "," + exec("c", "ok:c")));
    WorkflowStub stub = support.start("demo", "seq", "alice", json("{}"));
    IncidentReport report = result(stub);
    assertThat(support.actions.calls).containsExactly("ok:a", "ok:b", "ok:c");
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.rtoMet()).isTrue();
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsOnly("succeeded");
    assertThat(report.steps().get(1).output().path("stdout").asText()).isEqualTo("ok:b ");
    assertThat(report.planHash()).hasSize(64);
  }

  @Test
  void theReportGivesTheDataLossAStepMeasuredAgainstTheRpo() {
    String rejoin =
        "{\"id\": \"rejoin\", \"action\": \"postgres.rejoin\","
            + " \"with\": {\"target\": \"db\", \"source\": \"db\", \"method\": \"rewind\"}}";
    support.runbook(
        runbook(
            "",
            "{\"id\": \"gate\", \"action\": \"approval\", \"with\": {\"prompt\": \"Rejoin?\"}},"
                + rejoin));
    WorkflowStub stub = support.start("demo", "rpo", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "gate")).isEqualTo("waiting-approval");
    stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("bob", null));
    IncidentReport report = result(stub);
    assertThat(report.rpoActualSeconds()).isEqualTo(2.5);
    assertThat(report.rpoMeasuredBy()).isEqualTo("rejoin");
    assertThat(report.rpoMet()).isTrue();

    support.runbook(runbook("", exec("only", "ok:only")));
    IncidentReport unmeasured = result(support.start("demo", "no-rpo", "alice", json("{}")));
    assertThat(unmeasured.rpoActualSeconds()).isNull();
    assertThat(unmeasured.rpoMet()).isNull();
  }

  @Test
  void outputsAndInputsFeedLaterExpressionsAndConditionsSkipSteps() {
    support.runbook(
        runbook(
            "\"word\": {\"type\": \"string\", \"description\": \"w\", \"default\": \"hello\"}",
            exec("first", "ok:first")
                + ","
                + "{\"id\": \"echo\", \"action\": \"shell.exec\", \"with\": {\"argv\": [\"ok:echo\", \"${{ inputs.word }}-${{ steps.first.output.stdout }}\"]}},"
                + "{\"id\": \"never\", \"action\": \"shell.exec\", \"if\": \"steps.echo.output.exitCode != 0\", \"with\": {\"argv\": [\"ok:never\"]}},"
                + exec("last", "ok:last")));
    IncidentReport report =
        result(support.start("demo", "exprs", "alice", json("{\"word\": \"hi\"}")));
    assertThat(support.actions.calls).containsExactly("ok:first", "ok:echo", "ok:last");
    assertThat(support.actions.inputs.get(1).path("argv").path(1).asText())
        .isEqualTo("hi-ok:first ");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::id, IncidentReport.StepReport::status)
        .contains(org.assertj.core.groups.Tuple.tuple("never", "skipped"));
  }

  @Test
  void anApprovalWaitsForAnotherOperatorAndRecordsWhoApproved() {
    support.runbook(
        runbook(
            "",
            exec("before", "ok:before")
                + ","
                + "{\"id\": \"gate\", \"action\": \"approval\", \"timeout\": \"1h\", \"with\": {\"prompt\": \"Go on?\"}},"
                + exec("after", "ok:after")));
    WorkflowStub stub = support.start("demo", "approve", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "gate")).isEqualTo("waiting-approval");
    assertThat(progress(stub).waiting()).isEqualTo("approval of 'gate'");
    assertThatThrownBy(
            () -> stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("alice", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .hasStackTraceContaining(
            "alice started this incident and may not approve its own step 'gate'");
    CommandResult result =
        stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("bob", null));
    assertThat(result.accepted()).isTrue();
    IncidentReport report = result(stub);
    assertThat(support.actions.calls).containsExactly("ok:before", "ok:after");
    assertThat(report.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.command()).isEqualTo("approve");
              assertThat(d.by()).isEqualTo("bob");
              assertThat(d.step()).isEqualTo("gate");
              assertThat(d.comment()).isEqualTo("looks right");
            });
    assertThat(report.steps().get(1).output().path("approvers").toString()).isEqualTo("[\"bob\"]");
  }

  @Test
  void anApprovalThatTimesOutEscalatesToTheOperatorWhoMaySkipIt() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"gate\", \"action\": \"approval\", \"timeout\": \"30m\", \"with\": {\"prompt\": \"Go?\"}},"
                + exec("after", "ok:after")));
    WorkflowStub stub = support.start("demo", "timeout", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(31));
    assertThat(status(stub, "gate")).isEqualTo("waiting-operator");
    assertThat(progress(stub).steps().get(0).lastError()).isEqualTo("nobody decided within 30m");
    stub.signal(
        IncidentWorkflows.SKIP, new OperatorCommand("carol", "approver on holiday", "gate", null));
    IncidentReport report = result(stub);
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.steps().get(0).status()).isEqualTo("skipped");
    assertThat(support.actions.calls).containsExactly("ok:after");
  }

  @Test
  void aFallbackRunsWhenRetriesRunOutAndTheStepCountsAsRecovered() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"restore\", \"action\": \"shell.exec\", \"onFailure\": [\"pitr\"], \"with\": {\"argv\": [\"fail:restore\"]}},"
                + exec("pitr", "ok:pitr")
                + ","
                + exec("verify", "ok:verify")));
    IncidentReport report = result(support.start("demo", "fallback", "alice", json("{}")));
    assertThat(support.actions.calls)
        .containsExactly("fail:restore", "fail:restore", "fail:restore", "ok:pitr", "ok:verify");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("recovered", "succeeded", "succeeded");
    assertThat(report.steps().get(0).error()).isEqualTo("scripted failure of fail:restore");
  }

  @Test
  void aFallbackThatIsNeverNeededIsSkippedAndTheIncidentFinishes() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"restore\", \"action\": \"shell.exec\", \"onFailure\": [\"pitr\"], \"with\": {\"argv\": [\"ok:restore\"]}},"
                + exec("verify", "ok:verify")
                + ","
                + exec("pitr", "ok:pitr")));
    IncidentReport report = result(support.start("demo", "unused-fallback", "alice", json("{}")));
    assertThat(support.actions.calls).containsExactly("ok:restore", "ok:verify");
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::id, IncidentReport.StepReport::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("restore", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("verify", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("pitr", "skipped"));
  }

  @Test
  void aFailedFallbackPutsTheOperatorGateOnTheStepItBacksUpAndARetryRunsThatStepAgain() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"restart\", \"action\": \"shell.exec\", \"retry\": {\"maxAttempts\": 2}, \"onFailure\": [\"page\"], \"with\": {\"argv\": [\"flaky:restart:2\"]}},"
                + "{\"id\": \"page\", \"action\": \"shell.exec\", \"retry\": {\"maxAttempts\": 1}, \"with\": {\"argv\": [\"fail:page\"]}},"
                + exec("health", "ok:health")));
    WorkflowStub stub = support.start("demo", "fallback-gate", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "restart")).isEqualTo("waiting-operator");
    assertThat(status(stub, "page")).isEqualTo("failed");
    assertThat(progress(stub).waiting()).contains("'restart'");
    CommandResult retry =
        stub.update(IncidentWorkflows.RETRY, CommandResult.class, by("bob", "restart"));
    assertThat(retry.accepted()).isTrue();
    IncidentReport report = result(stub);
    assertThat(support.actions.calls)
        .containsExactly(
            "flaky:restart:2", "flaky:restart:2", "fail:page", "flaky:restart:2", "ok:health");
    assertThat(report.outcome()).isEqualTo("succeeded");
  }

  @Test
  void anExhaustedStepWaitsForTheOperatorAndARetryRunsItAgain() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"flaky\", \"action\": \"shell.exec\", \"retry\": {\"maxAttempts\": 2}, \"with\": {\"argv\": [\"flaky:x:3\"]}},"
                + exec("after", "ok:after")));
    WorkflowStub stub = support.start("demo", "intervene", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "flaky")).isEqualTo("waiting-operator");
    assertThat(progress(stub).status()).isEqualTo("waiting");
    CommandResult retry =
        stub.update(IncidentWorkflows.RETRY, CommandResult.class, by("bob", null));
    assertThat(retry.accepted()).isTrue();
    IncidentReport report = result(stub);
    assertThat(support.actions.calls)
        .containsExactly("flaky:x:3", "flaky:x:3", "flaky:x:3", "flaky:x:3", "ok:after");
    assertThat(report.steps().get(0).attempts()).isEqualTo(2);
    assertThat(report.decisions()).extracting(Progress.Decision::command).containsExactly("retry");
  }

  /** The runbook with an http target {@code pager} and an escalation that pages through it. */
  private static String escalating(String runbook) {
    return runbook
        .replace(
            "\"defaults\": {",
            "\"defaults\": {\"escalation\": {\"action\": \"notify.escalate\", \"with\": {\"target\": \"pager\","
                + " \"message\": \"${{ incident.type }}: ${{ escalation.reason }}\", \"dedupKey\": \"${{ incident.id }}-${{ escalation.step }}\"}},")
        .replace(
            "\"targets\": {",
            "\"targets\": {\"pager\": {\"kind\": \"http\", \"url\": \"http://127.0.0.1:9/\"},");
  }

  /** A notify.send to the pager target; its message is the script ScriptedActivities follows. */
  private static String notification(String id, String script, String properties) {
    return "{\"id\": \""
        + id
        + "\", \"action\": \"notify.send\""
        + properties
        + ", \"with\": {\"channel\": \"pager\", \"message\": \""
        + script
        + "\"}}";
  }

  @Test
  void aStepThatNeedsAnOperatorEscalatesThroughTheRunbooksNotification() {
    support.runbook(
        escalating(
            runbook(
                "",
                "{\"id\": \"flaky\", \"action\": \"shell.exec\", \"retry\": {\"maxAttempts\": 1}, \"with\": {\"argv\": [\"fail:x\"]}}")));
    WorkflowStub stub = support.start("demo", "escalate", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "flaky")).isEqualTo("waiting-operator");
    assertThat(support.actions.calls).containsExactly("fail:x", "notify.escalate");
    var page = support.actions.inputs.get(1);
    assertThat(page.path("message").asText())
        .isEqualTo(
            "demo: step 'flaky' failed and waits for an operator (retry, skip or abort): scripted failure of fail:x");
    assertThat(page.path("dedupKey").asText()).isEqualTo("escalate-flaky");
    assertThat(page.path("$targets").path("pager").path("url").asText())
        .isEqualTo("http://127.0.0.1:9/");
    stub.signal(IncidentWorkflows.ABORT, new OperatorCommand("bob", "done", null, null));
    assertThat(failedReport(stub).outcome()).isEqualTo("aborted");
  }

  @Test
  void aNotificationThatCannotBeDeliveredIsEscalatedWhileTheRecoveryGoesOn() {
    support.runbook(
        escalating(
            runbook(
                "",
                notification("announce", "fail:announce", "")
                    + ","
                    + exec("probe", "ok:probe")
                    + ","
                    + exec("restore", "ok:restore"))));
    WorkflowStub stub = support.start("demo", "undelivered", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "restore")).isEqualTo("succeeded");
    IncidentReport report = result(stub);

    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.failure()).isNull();
    IncidentReport.StepReport announce = report.steps().get(0);
    assertThat(announce.status()).isEqualTo("failed");
    assertThat(announce.error()).isEqualTo("scripted failure of fail:announce");
    assertThat(progress(stub).steps().get(0).summary())
        .isEqualTo("notification not delivered: scripted failure of fail:announce");
    // The recovery started while the notification still retried, and was done before it gave up.
    Instant gaveUp = Instant.parse(announce.endedAt());
    assertThat(Instant.parse(report.steps().get(1).startedAt())).isBefore(gaveUp);
    assertThat(Instant.parse(report.steps().get(2).endedAt())).isBefore(gaveUp);
    assertThat(support.actions.calls)
        .containsExactlyInAnyOrder(
            "fail:announce",
            "fail:announce",
            "fail:announce",
            "ok:probe",
            "ok:restore",
            "notify.escalate");
    assertThat(support.actions.calls.get(5)).isEqualTo("notify.escalate");
    var page = support.actions.inputs.get(5);
    assertThat(page.path("message").asText())
        .isEqualTo(
            "demo: notification 'announce' was not delivered; the incident goes on: scripted failure of fail:announce");
    assertThat(page.path("dedupKey").asText()).isEqualTo("undelivered-announce");
    assertThat(report.undeliveredNotifications())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.step()).isEqualTo("announce");
              assertThat(n.error()).isEqualTo("scripted failure of fail:announce");
            });
    assertThat(report.notes())
        .last()
        .asString()
        .endsWith("escalation sent through notify.escalate");
  }

  @Test
  void theIncidentWaitsForANotificationStillBeingSentBeforeItFinishes() {
    support.runbook(
        escalating(
            runbook(
                "",
                notification("resolved", "block:resolved", "") + "," + exec("after", "ok:after"))));
    WorkflowStub stub = support.start("demo", "slow-notification", "alice", json("{}"));
    support.env.sleep(Duration.ofSeconds(2));
    assertThat(status(stub, "after")).isEqualTo("succeeded");
    assertThat(status(stub, "resolved")).isEqualTo("running");
    assertThat(progress(stub).status()).isEqualTo("running");
    support.actions.release("resolved");
    IncidentReport report = result(stub);
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("succeeded", "succeeded");
  }

  @Test
  void aBlockingNotificationThatCannotBeDeliveredWaitsForAnOperator() {
    support.runbook(
        escalating(
            runbook(
                "",
                notification("announce", "fail:announce", ", \"blocking\": true")
                    + ","
                    + exec("probe", "ok:probe"))));
    WorkflowStub stub = support.start("demo", "blocking", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "announce")).isEqualTo("waiting-operator");
    assertThat(status(stub, "probe")).isEqualTo("pending");
    assertThat(support.actions.calls)
        .containsExactly("fail:announce", "fail:announce", "fail:announce", "notify.escalate");
    stub.signal(IncidentWorkflows.ABORT, new OperatorCommand("bob", "channel is down", null, null));
    assertThat(failedReport(stub).outcome()).isEqualTo("aborted");
  }

  @Test
  void onExhaustedFailEndsTheIncidentAtOnce() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"bad\", \"action\": \"shell.exec\", \"onExhausted\": \"fail\", \"retry\": {\"maxAttempts\": 1}, \"with\": {\"argv\": [\"fail:bad\"]}},"
                + exec("after", "ok:after")));
    IncidentReport report = failedReport(support.start("demo", "failfast", "alice", json("{}")));
    assertThat(report.outcome()).isEqualTo("failed");
    assertThat(report.failure()).isEqualTo("step 'bad' failed: scripted failure of fail:bad");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("failed", "cancelled");
  }

  @Test
  void continueOnErrorRecordsTheFailureAndGoesOn() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"check\", \"action\": \"shell.exec\", \"continueOnError\": true, \"retry\": {\"maxAttempts\": 1}, \"with\": {\"argv\": [\"fail:check\"]}},"
                + exec("after", "ok:after")));
    IncidentReport report = result(support.start("demo", "continue", "alice", json("{}")));
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("failed", "succeeded");
  }

  @Test
  void aParallelBranchFailingWhileAnotherRunsLetsTheOtherFinishThenAsksTheOperator()
      throws Exception {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"both\", \"action\": \"parallel\", \"branches\": ["
                + "{\"name\": \"left\", \"steps\": [{\"id\": \"l1\", \"action\": \"shell.exec\", \"retry\": {\"maxAttempts\": 1}, \"with\": {\"argv\": [\"fail:l1\"]}}]},"
                + "{\"name\": \"right\", \"steps\": ["
                + exec("r1", "block:r1")
                + ","
                + exec("r2", "ok:r2")
                + "]}]},"
                + exec("after", "ok:after")));
    WorkflowStub stub = support.start("demo", "parallel", "alice", json("{}"));
    // Polled, not slept: while r1 runs the test server cannot skip time, so a sleep is real time.
    awaitTrue(
        () -> "waiting-operator".equals(status(stub, "l1")),
        Duration.ofSeconds(30),
        "l1 to wait for an operator");
    assertThat(status(stub, "r1")).isEqualTo("running");
    support.actions.release("r1");
    awaitTrue(
        () -> "succeeded".equals(status(stub, "r2")), Duration.ofSeconds(30), "r2 to succeed");
    assertThat(status(stub, "both")).isEqualTo("running");
    stub.update(
        IncidentWorkflows.SKIP,
        CommandResult.class,
        new OperatorCommand("bob", "left branch not needed", "l1", null));
    IncidentReport report = result(stub);
    assertThat(report.steps())
        .extracting(
            IncidentReport.StepReport::id,
            IncidentReport.StepReport::path,
            IncidentReport.StepReport::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("both", "", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("l1", "both/left", "skipped"),
            org.assertj.core.groups.Tuple.tuple("r1", "both/right", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("r2", "both/right", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("after", "", "succeeded"));
  }

  @Test
  void pauseDuringARunningStepLetsItFinishButStartsNothingUntilResume() {
    support.runbook(runbook("", exec("long", "block:long") + "," + exec("next", "ok:next")));
    WorkflowStub stub = support.start("demo", "pause", "alice", json("{}"));
    support.env.sleep(Duration.ofSeconds(5));
    stub.update(IncidentWorkflows.PAUSE, CommandResult.class, by("bob", null));
    support.actions.release("long");
    support.env.sleep(Duration.ofMinutes(10));
    assertThat(status(stub, "long")).isEqualTo("succeeded");
    assertThat(status(stub, "next")).isEqualTo("pending");
    assertThat(progress(stub).status()).isEqualTo("paused");
    stub.signal(IncidentWorkflows.RESUME, by("bob", null));
    assertThat(result(stub).outcome()).isEqualTo("succeeded");
    assertThat(support.actions.calls).containsExactly("block:long", "ok:next");
  }

  @Test
  void abortCancelsTheRunningStepAndEndsTheIncident() {
    support.runbook(runbook("", exec("long", "block:never") + "," + exec("next", "ok:next")));
    WorkflowStub stub = support.start("demo", "abort", "alice", json("{}"));
    support.env.sleep(Duration.ofSeconds(5));
    assertThatThrownBy(
            () ->
                stub.update(
                    IncidentWorkflows.ABORT,
                    CommandResult.class,
                    new OperatorCommand("bob", null, null, null)))
        .hasStackTraceContaining("abort needs a reason");
    long aborted = System.nanoTime();
    stub.signal(IncidentWorkflows.ABORT, new OperatorCommand("bob", "wrong runbook", null, null));
    IncidentReport report = failedReport(stub);
    assertThat(report.outcome()).isEqualTo("aborted");
    // The running step hears of the abort at its next heartbeat the worker sends: within about
    // HEARTBEAT_SEND_INTERVAL, not 80% of its heartbeat timeout (24 s here) as the SDK would wait.
    assertThat(Duration.ofNanos(support.actions.cancelled.get("never") - aborted))
        .isLessThan(IncidentWorkflows.HEARTBEAT_SEND_INTERVAL.multipliedBy(4));
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("cancelled", "cancelled");
    assertThat(report.decisions())
        .extracting(Progress.Decision::command, Progress.Decision::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("abort", "wrong runbook"));
  }

  @Test
  void waitUntilPollsTheActionUntilTheConditionHolds() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"up\", \"action\": \"waitUntil\", \"timeout\": \"5m\", \"with\": {"
                + "\"action\": \"postgres.isReady\", \"with\": {\"target\": \"db\"}, \"until\": \"result.ready\", \"interval\": \"10s\"}}"));
    IncidentReport report = result(support.start("demo", "wait", "alice", json("{}")));
    assertThat(report.steps().get(0).output().path("polls").asInt()).isEqualTo(3);
    assertThat(support.actions.calls)
        .containsExactly("postgres.isReady", "postgres.isReady", "postgres.isReady");
  }

  @Test
  void aSleepIsADurableTimer() {
    support.runbook(
        runbook("", "{\"id\": \"nap\", \"action\": \"sleep\", \"with\": {\"duration\": \"2h\"}}"));
    IncidentReport report = result(support.start("demo", "sleep", "alice", json("{}")));
    assertThat(report.steps().get(0).durationMillis())
        .isBetween(Duration.ofHours(2).toMillis(), Duration.ofHours(2).plusSeconds(1).toMillis());
    assertThat(report.rtoMet()).isFalse();
  }

  @Test
  void aRunbookStepRunsTheChildIncidentOnItsPinnedPlan() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"kid\", \"action\": \"runbook\", \"with\": {\"incident\": \"child\", \"inputs\": {\"word\": \"hey\"}}}"));
    IncidentReport report = result(support.start("demo", "parent", "alice", json("{}")));
    assertThat(report.steps().get(0).output().path("outcome").asText()).isEqualTo("succeeded");
    assertThat(report.steps().get(0).output().path("workflowId").asText())
        .isEqualTo("parent.kid.1");
    assertThat(support.actions.inputs.get(0).path("argv").path(1).asText()).isEqualTo("hey");
  }

  @Test
  void aFailStepEndsTheIncidentWithItsMessage() {
    support.runbook(
        runbook(
            "",
            "{\"id\": \"stop\", \"action\": \"fail\", \"with\": {\"message\": \"cannot go on for ${{ incident.type }}\", \"errorType\": \"Stop\"}}"));
    IncidentReport report = failedReport(support.start("demo", "fail", "alice", json("{}")));
    assertThat(report.failure()).isEqualTo("step 'stop' failed: cannot go on for demo");
  }

  @Test
  void invalidInputsFailTheStartWithEveryProblemNamed() {
    support.runbook(
        runbook(
            "\"jobs\": {\"type\": \"integer\", \"description\": \"j\", \"required\": true}",
            exec("a", "ok:${{ inputs.jobs }}")));
    WorkflowStub stub =
        support.start("demo", "badinputs", "alice", json("{\"jobs\": \"many\", \"colour\": 1}"));
    assertThatThrownBy(() -> stub.getResult(IncidentReport.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasStackTraceContaining("InvalidInputs")
        .hasStackTraceContaining("input 'jobs': 'many' is not an integer")
        .hasStackTraceContaining("unknown input 'colour'");
  }

  @Test
  void aUiStartTakesThePlanFromTheWorkersCatalogAndPinsIt() {
    String original =
        runbook(
            "",
            "{\"id\": \"gate\", \"action\": \"approval\", \"with\": {\"prompt\": \"Go?\"}},"
                + exec("v1", "ok:v1"));
    support.runbook(original);
    WorkflowStub stub = support.startLikeTheUi("demo", "ui", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "gate")).isEqualTo("waiting-approval");
    // The runbook is edited and redeployed while the incident waits.
    support.serveFromCatalog(original.replace("ok:v1", "ok:v2").replace("\"v1\"", "\"v2\""));
    stub.signal(IncidentWorkflows.APPROVE, by("bob", "gate"));
    IncidentReport report = result(stub);
    assertThat(support.actions.calls).containsExactly("ok:v1");
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::id)
        .containsExactly("gate", "v1");
  }

  @Test
  void progressShowsEveryStepWithAttemptsAndTimes() {
    support.runbook(
        runbook(
            "",
            exec("a", "ok:a")
                + ","
                + "{\"id\": \"gate\", \"action\": \"approval\", \"with\": {\"prompt\": \"Go?\"}}"));
    WorkflowStub stub = support.start("demo", "progress", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    Progress progress = progress(stub);
    assertThat(progress.title()).isEqualTo("Demo incident");
    assertThat(progress.startedBy()).isEqualTo("alice");
    assertThat(progress.rtoSeconds()).isEqualTo(1800);
    assertThat(progress.steps().get(0))
        .satisfies(
            s -> {
              assertThat(s.status()).isEqualTo("succeeded");
              assertThat(s.attempts()).isEqualTo(1);
              assertThat(s.startedAt()).isNotNull();
              assertThat(s.endedAt()).isNotNull();
              assertThat(s.summary()).contains("exitCode=0");
            });
    assertThat(progress.steps().get(1).summary()).isEqualTo("Go?");
  }
}
