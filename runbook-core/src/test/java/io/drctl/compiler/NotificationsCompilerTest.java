package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runbook's notifications section: what compiles into each plan, and each mistake where it is.
 */
class NotificationsCompilerTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();

  /**
   * A critical and a low incident and three targets; {@code section} is the notifications object.
   */
  private static String runbook(String section) {
    return """
        {
          "version": "1.0.0",
          "targets": {
            "pagerduty": {"kind": "http", "url": "http://127.0.0.1:1/v2/enqueue", "headers": {"X-Routing-Key": "env:KEY"}},
            "slack": {"kind": "http", "url": "http://127.0.0.1:2"},
            "db": {"kind": "postgres", "host": "127.0.0.1", "port": 5432}
          },
          "incidents": [
            {"type": "database_failure", "title": "DB", "severity": "critical", "target": "db", "objectives": {"rto": "20m", "rpo": "5m"},
             "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]},
            {"type": "backup_daily", "title": "Backup", "severity": "low", "objectives": {"rto": "1h"},
             "steps": [{"id": "nap", "action": "sleep", "with": {"duration": "1s"}}]}
          ],
          "notifications":
        """
        + section
        + """
        }
        """;
  }

  private static CompileResult compile(String section) {
    return COMPILER.compile(new RunbookCompiler.Source("notify.json", runbook(section)));
  }

  @Test
  void channelsGoIntoThePlansOfTheirSeveritiesWithTheDefaultsFilledIn() {
    CompileResult result =
        compile(
            """
        {"channels": [
          {"target": "pagerduty", "format": "pagerduty", "events": ["started", "acknowledged", "resolved"], "severities": ["critical"]},
          {"target": "slack", "format": "slack", "events": ["started", "status", "resolved"]}
        ]}
        """);

    assertThat(result.errors()).isEmpty();
    Notifications critical = result.runbook().plans().get("database_failure").notifications();
    assertThat(critical.statusEvery()).isEqualTo("15m");
    assertThat(critical.rtoWarningPercent()).isEqualTo(80);
    assertThat(critical.channels())
        .extracting(Notifications.Channel::target, Notifications.Channel::format)
        .containsExactly(tuple("pagerduty", "pagerduty"), tuple("slack", "slack"));
    Notifications low = result.runbook().plans().get("backup_daily").notifications();
    assertThat(low.channels()).extracting(Notifications.Channel::target).containsExactly("slack");
    assertThat(low.wants("status")).isTrue();
    assertThat(low.wants("acknowledged")).isFalse();
    Plan plan = result.runbook().plans().get("database_failure");
    assertThat(plan.hash()).isEqualTo(PlanJson.hash(plan));
  }

  @Test
  void withoutTheSectionPlansCarryNoNotificationsAndKeepTheirHash() {
    String without = runbook("{}").replace(",\n  \"notifications\":\n{}", "");
    CompileResult result = COMPILER.compile(new RunbookCompiler.Source("plain.json", without));

    assertThat(result.errors()).isEmpty();
    assertThat(result.runbook().plans().get("database_failure").notifications()).isNull();
    assertThat(PlanJson.canonical(result.runbook().plans().get("database_failure")))
        .doesNotContain("notifications");
  }

  @Test
  void anUnknownEventIsNamedWithItsPointerAndTheClosestEvent() {
    String section =
        """
        {"channels": [{"target": "slack", "format": "slack", "events": ["started", "resolvd"]}]}
        """;
    CompileResult result = compile(section);

    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(tuple("not-allowed", "/notifications/channels/0/events/1"));
    assertThat(result.errors().get(0).hint()).contains("did you mean 'resolved'?");
    List<String> lines = runbook(section).lines().toList();
    assertThat(result.errors().get(0).line())
        .isEqualTo(
            lines.indexOf(
                    lines.stream().filter(l -> l.contains("resolvd")).findFirst().orElseThrow())
                + 1);
  }

  @Test
  void aChannelMustNameAnHttpTargetOfTheRunbook() {
    CompileResult result =
        compile(
            """
        {"statusEvery": "30s", "channels": [
          {"target": "slak", "format": "slack", "events": ["started"]},
          {"target": "db", "format": "json", "events": ["resolved"]}
        ]}
        """);

    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            tuple("bad-duration", "/notifications/statusEvery"),
            tuple("unknown-target", "/notifications/channels/0/target"),
            tuple("wrong-target-kind", "/notifications/channels/1/target"));
    assertThat(result.errors().get(1).hint()).contains("did you mean 'slack'?");
    assertThat(result.runbook()).isNull();
  }

  @Test
  void theRtoWarningShareAndTheFormatAreChecked() {
    CompileResult result =
        compile(
            """
        {"rtoWarningAt": 100, "channels": [{"target": "slack", "format": "teams", "events": ["started"]}]}
        """);

    assertThat(result.errors())
        .extracting(Diagnostic::pointer)
        .containsExactlyInAnyOrderElementsOf(
            List.of("/notifications/rtoWarningAt", "/notifications/channels/0/format"));
  }
}
