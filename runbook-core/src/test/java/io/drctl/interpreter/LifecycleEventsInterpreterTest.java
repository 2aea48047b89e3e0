package io.drctl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure interpreter's lifecycle notifications: when each is decided, and never when off. */
class LifecycleEventsInterpreterTest {
  private static final String EVERY_EVENT =
      "[\"started\", \"approvalRequested\", \"acknowledged\", \"stepFailed\", \"escalation\", \"rtoWarning\", \"status\", \"resolved\"]";

  private static Interpreter interpreter(String events) {
    String text =
        """
        {"version": "1.0.0", "name": "test",
         "targets": {"chat": {"kind": "http", "url": "https://chat.example/hook"},
                     "app": {"kind": "container", "container": "app"}},
         "notifications": {"channels": [{"target": "chat", "format": "json", "events": %s}]},
         "incidents": [{"type": "demo", "title": "Demo", "severity": "high", "target": "app",
           "objectives": {"rto": "30m", "rpo": "0s"},
           "steps": [
             {"id": "look", "action": "docker.inspect", "with": {"target": "app"}},
             {"id": "gate", "action": "approval", "with": {"prompt": "restart app?"}},
             {"id": "restart", "action": "docker.restart", "with": {"target": "app"}},
             {"id": "again", "action": "docker.restart", "with": {"target": "app"}}]}]}
        """
            .formatted(events);
    CompileResult result =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("test.json", text));
    assertThat(result.errors()).isEmpty();
    Plan plan = result.runbook().plan("demo").orElseThrow();
    return new Interpreter(plan);
  }

  private static List<String> notices(List<Decision> decisions) {
    return decisions.stream()
        .filter(Decision.Notify.class::isInstance)
        .map(d -> ((Decision.Notify) d).event())
        .toList();
  }

  @Test
  void aDestructiveStepThatWorksAcknowledgesOnceAndTheEndResolves() {
    Interpreter interpreter = interpreter(EVERY_EVENT);
    IncidentState state =
        interpreter.start("incident-1", "alice", 0, JsonNodeFactory.instance.objectNode());
    interpreter.announce(state, "drill");

    assertThat(notices(interpreter.next(state, 0))).containsExactly("started");
    interpreter.succeeded(state, "look", null, 10);
    assertThat(notices(interpreter.next(state, 10))).containsExactly("approvalRequested");
    interpreter.approvalTimedOut(
        state, "gate", 1, 20); // onTimeout fail: a failed step, and an operator's
    assertThat(notices(interpreter.next(state, 20))).containsExactly("stepFailed", "escalation");
    interpreter.command(
        state, Command.SKIP, new OperatorCommand("bob", "go on", "gate", null), 30, true);
    assertThat(notices(interpreter.next(state, 30))).containsExactly("acknowledged");
    interpreter.succeeded(state, "restart", null, 40);
    assertThat(notices(interpreter.next(state, 40))).isEmpty();
    interpreter.succeeded(state, "again", null, 50);
    List<Decision> end = interpreter.next(state, 50);

    assertThat(notices(end))
        .as("acknowledged went out with the operator's command")
        .containsExactly("resolved");
    assertThat(end.get(end.size() - 1)).isEqualTo(new Decision.Finish(Outcome.SUCCEEDED));
    assertThat(((Decision.Notify) end.get(0)).message())
        .isEqualTo("Resolved: the incident succeeded after 0s (RTO 30m met).");
  }

  @Test
  void withoutAnnounceOrWithoutTheEventNothingIsDecided() {
    Interpreter silent = interpreter(EVERY_EVENT);
    IncidentState state =
        silent.start("incident-2", "alice", 0, JsonNodeFactory.instance.objectNode());
    silent.statusUpdate(state, 0);
    assertThat(notices(silent.next(state, 0))).isEmpty();

    Interpreter onlyResolved = interpreter("[\"resolved\"]");
    IncidentState other =
        onlyResolved.start("incident-3", "alice", 0, JsonNodeFactory.instance.objectNode());
    onlyResolved.announce(other, null);
    onlyResolved.statusUpdate(other, 0);
    assertThat(notices(onlyResolved.next(other, 0))).isEmpty();
  }

  @Test
  void theStatusSaysHowFarTheIncidentIsAndWhatItWaitsFor() {
    Interpreter interpreter = interpreter("[\"status\"]");
    IncidentState state =
        interpreter.start("incident-4", "alice", 0, JsonNodeFactory.instance.objectNode());
    interpreter.announce(state, null);
    interpreter.next(state, 0);
    interpreter.succeeded(state, "look", null, 10);
    interpreter.next(state, 10);
    interpreter.statusUpdate(state, 15 * 60_000);

    assertThat(interpreter.next(state, 15 * 60_000))
        .singleElement()
        .isEqualTo(
            new Decision.Notify(
                "status",
                "info",
                "Status: running for 15m of RTO 30m, 1 of 4 steps done; waiting for approval of 'gate'.",
                null));
  }
}
