package io.drctl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.interpreter.Interpreter.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure interpreter driven by event sequences: step results, operator commands and times are fed
 * in by hand, and each test asserts the decisions and step states that follow. No workflow, no
 * Temporal, no clock.
 */
class InterpreterTest {
  private static final OperatorCommand BOB = new OperatorCommand("bob", "checked", null, null);

  private static Interpreter interpreter(String steps) {
    String text =
        """
        {"version": "1.0.0", "name": "test",
         "incidents": [{"type": "demo", "title": "Demo", "severity": "high", "objectives": {"rto": "30m"},
           "inputs": {"ok": {"type": "boolean", "description": "whether the check passes", "default": true}},
           "steps": [%s]}]}
        """
            .formatted(steps);
    CompileResult result =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("test.json", text));
    assertThat(result.errors()).isEmpty();
    return new Interpreter(result.runbook().plan("demo").orElseThrow());
  }

  private static IncidentState start(Interpreter interpreter) {
    return interpreter.start(
        "incident-1", "alice", 1_000, JsonNodeFactory.instance.objectNode().put("ok", true));
  }

  private static List<String> started(List<Decision> decisions) {
    return decisions.stream()
        .filter(Decision.Start.class::isInstance)
        .map(d -> ((Decision.Start) d).step().id())
        .toList();
  }

  @Test
  void stepsStartInOrderOfTheirNeedsAndTheIncidentSucceedsAfterTheLast() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "check", "action": "shell.exec", "with": {"argv": ["true"]}},
        {"id": "restore", "action": "shell.exec", "needs": ["check"], "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    assertThat(started(interpreter.next(state, 1_000))).containsExactly("check");
    interpreter.succeeded(state, "check", null, 2_000);
    assertThat(started(interpreter.next(state, 2_000))).containsExactly("restore");
    interpreter.succeeded(state, "restore", null, 3_000);
    assertThat(interpreter.next(state, 3_000))
        .containsExactly(new Decision.Finish(Outcome.SUCCEEDED));
    assertThat(state.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(state.endedMillis()).isEqualTo(3_000);
  }

  @Test
  void anApprovalWaitsForTheCommandAndTheDecisionIsRecordedUnderTheCommandsJsonName() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "gate", "action": "approval", "with": {"prompt": "go?"}},
        {"id": "restore", "action": "shell.exec", "needs": ["gate"], "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    assertThat(started(interpreter.next(state, 1_000))).containsExactly("gate");
    assertThat(state.step("gate").status()).isEqualTo(StepStatus.WAITING_APPROVAL);
    assertThat(
            interpreter
                .command(
                    state,
                    Command.APPROVE,
                    new OperatorCommand("alice", null, null, null),
                    1_500,
                    true)
                .accepted())
        .as("the starter may not approve")
        .isFalse();
    assertThat(interpreter.command(state, Command.APPROVE, BOB, 2_000, true).accepted()).isTrue();
    assertThat(state.step("gate").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(started(interpreter.next(state, 2_000))).containsExactly("restore");
    assertThat(state.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.command()).isEqualTo("approve");
              assertThat(d.at()).isEqualTo("1970-01-01T00:00:02.000Z");
            });
  }

  @Test
  void aFailedStepWaitsForAnOperatorAndARetryStartsItAgain() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "restore", "action": "shell.exec", "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    interpreter.next(state, 1_000);
    interpreter.failed(state, "restore", "ExitCode", "exit 1", 2_000);
    List<Decision> afterFailure = interpreter.next(state, 2_000);
    assertThat(afterFailure).first().isInstanceOf(Decision.Escalate.class);
    assertThat(state.step("restore").status()).isEqualTo(StepStatus.WAITING_OPERATOR);
    assertThat(interpreter.command(state, Command.RETRY, BOB, 3_000, true).accepted()).isTrue();
    List<Decision> afterRetry = interpreter.next(state, 3_000);
    assertThat(afterRetry)
        .singleElement()
        .isEqualTo(
            new Decision.Start(
                interpreter.step("restore"), ((Decision.Start) afterRetry.get(0)).with(), 2));
    assertThat(state.step("restore").attempts()).isEqualTo(2);
  }

  @Test
  void aFallbackIsResetAndRunsAgainEachTimeItsStepFails() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "restore", "action": "shell.exec", "onFailure": ["cleanup"], "with": {"argv": ["true"]}},
        {"id": "cleanup", "action": "shell.exec", "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    interpreter.next(state, 1_000);
    interpreter.failed(state, "restore", "ExitCode", "exit 1", 2_000);
    assertThat(started(interpreter.next(state, 2_000))).containsExactly("cleanup");
    interpreter.failed(state, "cleanup", "ExitCode", "cleanup failed too", 3_000);
    interpreter.next(state, 3_000);
    assertThat(state.step("restore").status()).isEqualTo(StepStatus.WAITING_OPERATOR);
    assertThat(state.step("cleanup").status()).isEqualTo(StepStatus.FAILED);

    interpreter.command(state, Command.RETRY, BOB, 4_000, true);
    assertThat(started(interpreter.next(state, 4_000))).containsExactly("restore");
    interpreter.failed(state, "restore", "ExitCode", "exit 1 again", 5_000);
    assertThat(started(interpreter.next(state, 5_000)))
        .as("the failed fallback is reset and runs afresh")
        .containsExactly("cleanup");
    assertThat(state.step("cleanup").attempts()).isEqualTo(2);
  }

  @Test
  void aConditionThatCannotBeEvaluatedFailsItsStepWithAnExpressionError() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "check", "action": "shell.exec", "with": {"argv": ["true"]}},
        {"id": "restore", "action": "shell.exec", "needs": ["check"], "if": "${{ steps.check.output.exitCode > 0 }}",
         "onExhausted": "fail", "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    interpreter.next(state, 1_000);
    interpreter.succeeded(state, "check", JsonNodeFactory.instance.objectNode(), 2_000);
    assertThat(interpreter.next(state, 2_000)).containsExactly(new Decision.Finish(Outcome.FAILED));
    assertThat(state.step("restore").errorType()).isEqualTo("ExpressionError");
  }

  @Test
  void notesCarryTheirTimeWithMillisecondsLikeEveryOtherTime() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "restore", "action": "shell.exec", "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    interpreter.note(state, "escalation sent", 5_000);
    assertThat(state.notes()).containsExactly("1970-01-01T00:00:05.000Z escalation sent");
  }

  @Test
  void anAbortCancelsWhatRunsThenEndsTheIncidentAborted() {
    Interpreter interpreter =
        interpreter(
            """
        {"id": "restore", "action": "shell.exec", "with": {"argv": ["true"]}}""");
    IncidentState state = start(interpreter);
    interpreter.next(state, 1_000);
    interpreter.command(
        state,
        Command.ABORT,
        new OperatorCommand("bob", "wrong incident", null, null),
        2_000,
        true);
    assertThat(interpreter.next(state, 2_000))
        .containsExactly(new Decision.Cancel(List.of("restore")));
    interpreter.cancelled(state, "restore", 3_000);
    assertThat(interpreter.next(state, 3_000))
        .containsExactly(new Decision.Finish(Outcome.ABORTED));
  }

  @Test
  void aMoveTheLifecycleTableDoesNotListIsABugAndFailsLoudly() {
    assertThat(StepLifecycle.next("cleanup", StepStatus.FAILED, StepLifecycle.Transition.RESET))
        .isEqualTo(StepStatus.PENDING);
    assertThatThrownBy(
            () -> StepLifecycle.next("restore", StepStatus.RUNNING, StepLifecycle.Transition.RESET))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RESET is not allowed from RUNNING");
  }
}
