package io.drctl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure interpreter with a notification before a recovery step: no workflow, no clock. */
class BackgroundNotificationInterpreterTest {
  private static Interpreter interpreter(String announceProperties) {
    String text =
        """
        {"version": "1.0.0", "name": "test",
         "targets": {"chat": {"kind": "http", "url": "https://chat.example/hook"}},
         "incidents": [{"type": "demo", "title": "Demo", "severity": "high", "objectives": {"rto": "30m"},
           "steps": [
             {"id": "announce", "action": "notify.send"%s, "with": {"channel": "chat", "message": "restoring"}},
             {"id": "restore", "action": "shell.exec", "with": {"argv": ["true"]}}]}]}
        """
            .formatted(announceProperties);
    CompileResult result =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("test.json", text));
    assertThat(result.errors()).isEmpty();
    Plan plan = result.runbook().plan("demo").orElseThrow();
    return new Interpreter(plan);
  }

  private static IncidentState start(Interpreter interpreter) {
    return interpreter.start("incident-1", "alice", 0, JsonNodeFactory.instance.objectNode());
  }

  private static List<String> started(List<Decision> decisions) {
    return decisions.stream()
        .filter(Decision.Start.class::isInstance)
        .map(d -> ((Decision.Start) d).step().id())
        .toList();
  }

  @Test
  void theStepAfterANotificationStartsWithItAndTheIncidentEndsOnlyWhenTheNotificationHas() {
    Interpreter interpreter = interpreter("");
    IncidentState state = start(interpreter);
    assertThat(started(interpreter.next(state, 0))).containsExactly("announce", "restore");
    interpreter.succeeded(state, "restore", null, 10);
    assertThat(interpreter.next(state, 10)).isEmpty();
    assertThat(state.step("announce").status()).isEqualTo(StepStatus.RUNNING);
    interpreter.succeeded(state, "announce", null, 20);
    assertThat(interpreter.next(state, 20)).containsExactly(new Decision.Finish(Outcome.SUCCEEDED));
  }

  @Test
  void anUndeliveredNotificationEndsFailedIsEscalatedAndTheIncidentStillSucceeds() {
    Interpreter interpreter = interpreter("");
    IncidentState state = start(interpreter);
    interpreter.next(state, 0);
    interpreter.succeeded(state, "restore", null, 10);
    interpreter.failed(state, "announce", "DeliveryFailed", "chat answered 503", 30);
    assertThat(interpreter.next(state, 30))
        .containsExactly(
            new Decision.Escalate(
                "notification 'announce' was not delivered; the incident goes on: chat answered 503",
                "announce"),
            new Decision.Finish(Outcome.SUCCEEDED));
    StepRun announce = state.step("announce");
    assertThat(announce.status()).isEqualTo(StepStatus.FAILED);
    assertThat(announce.summary()).isEqualTo("notification not delivered: chat answered 503");
    assertThat(announce.endedMillis()).isEqualTo(30);
    assertThat(state.failure()).isNull();
    assertThat(state.notes())
        .singleElement()
        .asString()
        .contains("escalation: notification 'announce' was not delivered");
  }

  @Test
  void aBlockingNotificationHoldsTheNextStepAndWaitsForAnOperatorWhenItFails() {
    Interpreter interpreter = interpreter(", \"blocking\": true");
    IncidentState state = start(interpreter);
    assertThat(started(interpreter.next(state, 0))).containsExactly("announce");
    interpreter.failed(state, "announce", "DeliveryFailed", "chat answered 503", 30);
    List<Decision> decisions = interpreter.next(state, 30);
    assertThat(decisions).singleElement().isInstanceOf(Decision.Escalate.class);
    assertThat(state.step("announce").status()).isEqualTo(StepStatus.WAITING_OPERATOR);
    assertThat(state.step("restore").status()).isEqualTo(StepStatus.PENDING);
    assertThat(state.outcome()).isNull();
  }
}
