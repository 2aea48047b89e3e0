package io.drctl.compiler;

import static io.drctl.compiler.RunbookCompilerTest.compile;
import static io.drctl.compiler.RunbookCompilerTest.plan;
import static io.drctl.compiler.RunbookCompilerTest.runbook;
import static io.drctl.compiler.RunbookCompilerTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import org.junit.jupiter.api.Test;

/** Which notification steps run in the background, and how blocking is checked. */
class NotificationStepsCompilerTest {
  /** A runbook with the chat target that the notifications post to. */
  private static String withChat(String steps) {
    return runbook("", "", steps)
        .replace(
            "\"targets\": {",
            "\"targets\": {\"chat\": {\"kind\": \"http\", \"url\": \"https://chat.example/hook\"},");
  }

  private static String send(String id, String properties) {
    return "{\"id\": \""
        + id
        + "\", \"action\": \"notify.send\""
        + properties
        + ", \"with\": {\"channel\": \"chat\", \"message\": \""
        + id
        + "\"}}";
  }

  @Test
  void aNotificationRunsInTheBackgroundAlsoInsideABranch() {
    Plan plan =
        plan(
            withChat(
                send("announce", "")
                    + ","
                    + "{\"id\": \"both\", \"action\": \"parallel\", \"branches\": ["
                    + "{\"name\": \"left\", \"steps\": ["
                    + send("left_note", "")
                    + "]},"
                    + "{\"name\": \"right\", \"steps\": [{\"id\": \"nap\", \"action\": \"sleep\", \"with\": {\"duration\": \"1s\"}}]}]}"));
    assertThat(step(plan, "announce").background()).isTrue();
    assertThat(step(plan, "both").branches().get(0).steps().get(0).background()).isTrue();
    assertThat(step(plan, "both").background()).isFalse();
  }

  @Test
  void aNotificationBlocksWhenTheRunbookSaysSoOrSomethingHangsOnIt() {
    Plan plan =
        plan(
            withChat(
                send("loud", ", \"blocking\": true")
                    + ","
                    + send("read", "")
                    + ","
                    + "{\"id\": \"reader\", \"action\": \"shell.exec\", \"if\": \"steps.read.outcome == 'succeeded'\", \"with\": {\"argv\": [\"true\"]}},"
                    + send("guarded", ", \"onFailure\": [\"rescue\"]")
                    + ","
                    + send("rescue", "")
                    + ","
                    + "{\"id\": \"page\", \"action\": \"notify.escalate\", \"with\": {\"target\": \"chat\", \"message\": \"help\", \"failAfterPaging\": false}}"));
    assertThat(step(plan, "loud").background()).as("blocking: true").isFalse();
    assertThat(step(plan, "read").background()).as("read by another step's expression").isFalse();
    assertThat(step(plan, "guarded").background()).as("has fallbacks").isFalse();
    assertThat(step(plan, "rescue").background()).as("is a fallback").isFalse();
    assertThat(step(plan, "page").background())
        .as("notify.escalate pages and may fail on purpose")
        .isFalse();
    assertThat(step(plan, "reader").background()).as("not a notification").isFalse();
  }

  @Test
  void blockingOnAStepThatIsNoNotificationIsAnErrorAtTheField() {
    CompileResult result =
        compile(
            withChat(
                "{\"id\": \"say\", \"action\": \"shell.exec\", \"blocking\": true, \"with\": {\"argv\": [\"true\"]}},"
                    + "{\"id\": \"page\", \"action\": \"notify.escalate\", \"blocking\": false, \"with\": {\"target\": \"chat\", \"message\": \"help\"}}"));
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("not-applicable", "/incidents/0/steps/0/blocking"),
            org.assertj.core.groups.Tuple.tuple("not-applicable", "/incidents/0/steps/1/blocking"));
    assertThat(result.errors().get(0).message())
        .isEqualTo(
            "blocking applies only to notifications that run in the background (notify.send), not to shell.exec");
    assertThat(result.errors().get(1).hint())
        .isEqualTo("remove it: a notify.escalate step always blocks the steps after it");
  }

  @Test
  void blockingIsTrueOrFalse() {
    assertThat(compile(withChat(send("announce", ", \"blocking\": \"yes\""))).errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("wrong-type");
              assertThat(d.pointer()).isEqualTo("/incidents/0/steps/0/blocking");
            });
  }

  @Test
  void onExhaustedOnABackgroundNotificationIsAnErrorThatPointsToBlocking() {
    CompileResult result = compile(withChat(send("announce", ", \"onExhausted\": \"fail\"")));
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("not-applicable");
              assertThat(d.pointer()).isEqualTo("/incidents/0/steps/0/onExhausted");
              assertThat(d.hint())
                  .isEqualTo("set \"blocking\": true to make it apply, or remove onExhausted");
            });
    assertThat(
            compile(withChat(send("announce", ", \"blocking\": true, \"onExhausted\": \"fail\"")))
                .errors())
        .isEmpty();
  }

  @Test
  void onlyABackgroundStepWritesTheFieldSoOlderPlansReadAsBlocking() throws Exception {
    Plan plan = plan(withChat(send("announce", "") + "," + send("loud", ", \"blocking\": true")));
    String announce = PlanJson.canonical(step(plan, "announce"));
    String loud = PlanJson.canonical(step(plan, "loud"));
    assertThat(announce).contains("\"background\":true");
    assertThat(loud).doesNotContain("background");
    assertThat(
            PlanJson.mapper()
                .readValue(announce.replace(",\"background\":true", ""), PlanStep.class)
                .background())
        .isFalse();
    assertThat(PlanJson.mapper().readValue(PlanJson.mapper().writeValueAsString(plan), Plan.class))
        .isEqualTo(plan);
  }
}
