package io.drctl.workflow;

import static io.drctl.workflow.WorkflowTestSupport.json;
import static io.drctl.workflow.WorkflowTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.interpreter.CommandResult;
import io.drctl.interpreter.OperatorCommand;
import io.drctl.interpreter.Progress;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval gate's policy: named approvers, a quorum of distinct approvals, self-approval,
 * reject.
 */
class ApprovalPolicyTest {
  private final WorkflowTestSupport support = new WorkflowTestSupport();

  @AfterEach
  void close(org.junit.jupiter.api.TestInfo test) {
    support.recordHistories(test.getTestMethod().orElseThrow().getName());
    support.close();
  }

  private static String runbook(String gate) {
    return """
        {"version": "2.0.0", "name": "test",
         "targets": {"db": {"kind": "postgres", "host": "127.0.0.1", "port": 5432}},
         "incidents": [{"type": "demo", "title": "Demo incident", "severity": "high", "target": "db",
           "objectives": {"rto": "30m"},
           "steps": [
             {"id": "gate", "action": "approval", "timeout": "1h", "with": %s},
             {"id": "after", "action": "shell.exec", "with": {"argv": ["ok:after"]}}]}]}
        """
        .formatted(gate);
  }

  private static OperatorCommand by(String who) {
    return new OperatorCommand(who, "checked the lag", "gate", who + " agrees");
  }

  private static String refusal(WorkflowStub stub, String command, String who) {
    try {
      stub.update(command, CommandResult.class, by(who));
      throw new AssertionError(command + " by " + who + " was accepted");
    } catch (WorkflowUpdateException e) {
      return e.getCause().getMessage();
    }
  }

  private static IncidentReport failedReport(WorkflowStub stub) {
    try {
      stub.getResult(IncidentReport.class);
      throw new AssertionError("the incident did not fail");
    } catch (io.temporal.client.WorkflowFailedException e) {
      return ((io.temporal.failure.ApplicationFailure) e.getCause())
          .getDetails()
          .get(IncidentReport.class);
    }
  }

  @Test
  void aQuorumOfTwoNamedApproversIsNeededAndNobodyElseCounts() {
    support.runbook(
        runbook(
            "{\"prompt\": \"Fail over?\", \"approvers\": [\"bob\", \"dave\", \"erin\"], \"quorum\": 2}"));
    WorkflowStub stub = support.start("demo", "quorum", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));

    assertThat(refusal(stub, IncidentWorkflows.APPROVE, "carol"))
        .contains("carol may not approve 'gate'; approvers: [\"bob\",\"dave\",\"erin\"]");
    CommandResult first = stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("bob"));
    assertThat(first.accepted()).isTrue();
    assertThat(first.message()).isEqualTo("approved by bob; 1 of 2 approvals");
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(status(stub, "gate")).isEqualTo("waiting-approval");
    assertThat(support.actions.calls).isEmpty();
    assertThat(refusal(stub, IncidentWorkflows.APPROVE, "bob"))
        .contains("bob already approved 'gate'");

    CommandResult second = stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("dave"));
    IncidentReport report = stub.getResult(IncidentReport.class);

    assertThat(second.message()).isEqualTo("'gate' approved by bob, dave");
    assertThat(support.actions.calls).containsExactly("ok:after");
    assertThat(report.steps().get(0).output().path("approvers").toString())
        .isEqualTo("[\"bob\",\"dave\"]");
    assertThat(report.decisions()).extracting(Progress.Decision::by).containsExactly("bob", "dave");
  }

  @Test
  void theStarterMayNotApproveEvenWhenNamedUnlessTheGateAllowsIt() {
    support.runbook(runbook("{\"prompt\": \"Go?\", \"approvers\": [\"alice\", \"bob\"]}"));
    WorkflowStub refused = support.start("demo", "self", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    assertThat(refusal(refused, IncidentWorkflows.APPROVE, "alice"))
        .contains("alice started this incident and may not approve its own step 'gate'");
    refused.update(IncidentWorkflows.APPROVE, CommandResult.class, by("bob"));
    assertThat(refused.getResult(IncidentReport.class).outcome()).isEqualTo("succeeded");

    support.runbook(
        runbook("{\"prompt\": \"Go?\", \"approvers\": [\"alice\"], \"allowSelfApproval\": true}"));
    WorkflowStub allowed = support.start("demo", "self-allowed", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));
    allowed.update(IncidentWorkflows.APPROVE, CommandResult.class, by("alice"));
    assertThat(
            allowed
                .getResult(IncidentReport.class)
                .steps()
                .get(0)
                .output()
                .path("approvers")
                .toString())
        .isEqualTo("[\"alice\"]");
  }

  @Test
  void anIncidentStartedFromTheWebUiKnowsItsStarterAndTheySignedInUserMayNotApproveIt() {
    support.runbook(runbook("{\"prompt\": \"Go?\"}"));
    WorkflowStub stub =
        support.startLikeTheUi("demo", "ui-identity", json("{}"), "Alice@Example.com - webui");
    support.env.sleep(Duration.ofMinutes(1));

    assertThat(WorkflowTestSupport.progress(stub).startedBy())
        .isEqualTo("Alice@Example.com - webui");
    assertThat(refusal(stub, IncidentWorkflows.APPROVE, "alice@example.com"))
        .contains(
            "alice@example.com started this incident and may not approve its own step 'gate'");
    stub.update(IncidentWorkflows.APPROVE, CommandResult.class, by("bob@example.com"));
    IncidentReport report = stub.getResult(IncidentReport.class);

    assertThat(report.startedBy()).isEqualTo("Alice@Example.com - webui");
    assertThat(report.decisions())
        .extracting(Progress.Decision::by)
        .containsExactly("bob@example.com");
  }

  @Test
  void aRejectionStopsTheGateRecordsWhoAndWhyAndNothingAfterItRuns() {
    support.runbook(
        runbook("{\"prompt\": \"Restore over production?\", \"approvers\": [\"bob\"]}"));
    WorkflowStub stub = support.start("demo", "reject", "alice", json("{}"));
    support.env.sleep(Duration.ofMinutes(1));

    CommandResult rejected = stub.update(IncidentWorkflows.REJECT, CommandResult.class, by("bob"));
    IncidentReport report = failedReport(stub);

    assertThat(rejected.message()).isEqualTo("'gate' rejected");
    assertThat(support.actions.calls).isEmpty();
    assertThat(report.outcome()).isEqualTo("failed");
    assertThat(report.steps().get(0).status()).isEqualTo("failed");
    assertThat(report.steps().get(0).error()).isEqualTo("rejected by bob: checked the lag");
    assertThat(report.steps().get(0).output().path("decision").asText()).isEqualTo("rejected");
    assertThat(report.steps().get(1).status()).isEqualTo("cancelled");
    assertThat(report.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.command()).isEqualTo("reject");
              assertThat(d.by()).isEqualTo("bob");
              assertThat(d.reason()).isEqualTo("checked the lag");
            });
  }
}
