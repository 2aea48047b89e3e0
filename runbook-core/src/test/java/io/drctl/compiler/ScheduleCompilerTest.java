package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.plan.ScheduledIncident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runbook's {@code schedules} section: schema, then semantic checks with positions and hints.
 */
class ScheduleCompilerTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();

  /** A runbook with a backup incident and a restore test taking a required typed input. */
  private static String runbook(String schedules) {
    return """
        {
          "version": "1.0.0",
          "incidents": [
            {"type": "backup_daily", "title": "Daily backup", "severity": "low", "objectives": {"rto": "1h"},
             "steps": [{"id": "wait", "action": "sleep", "with": {"duration": "1s"}}]},
            {"type": "restore_test", "title": "Restore test", "severity": "low", "objectives": {"rto": "1h"},
             "inputs": {"from": {"type": "string", "description": "Backup to test", "required": true},
                        "rows": {"type": "integer", "description": "Rows to sample", "default": 10}},
             "steps": [{"id": "wait", "action": "sleep", "with": {"duration": "1s"}}]}
          ],
          "schedules": [
        """
        + schedules
        + """

          ]
        }
        """;
  }

  private static CompileResult compile(String text) {
    return COMPILER.compile(new RunbookCompiler.Source("cal.json", text));
  }

  private static Diagnostic onlyError(CompileResult result) {
    assertThat(result.errors()).as("errors").hasSize(1);
    return result.errors().get(0);
  }

  @Test
  void aValidSectionCompilesWithDefaultsResolved() {
    CompileResult result =
        compile(
            runbook(
                """
            {"id": "nightly", "incident": "backup_daily", "cron": "0 1 * * *"},
            {"id": "restore", "incident": "restore_test", "interval": "6h", "overlap": "buffer-one",
             "catchupWindow": "30m", "paused": true, "inputs": {"from": "weekly", "rows": "25"}, "note": "test the weekly"},
            {"id": "berlin", "incident": "backup_daily", "cron": "30 2 1-7 JAN-MAR tue", "timeZone": "Europe/Berlin"}"""));
    assertThat(result.errors()).isEmpty();
    List<ScheduledIncident> schedules = result.runbook().schedules();
    assertThat(schedules)
        .extracting(ScheduledIncident::id)
        .containsExactly("nightly", "restore", "berlin");
    ScheduledIncident nightly = schedules.get(0);
    assertThat(nightly.timeZone()).isEqualTo("UTC");
    assertThat(nightly.overlap()).isEqualTo(ScheduledIncident.Overlap.SKIP);
    assertThat(nightly.catchupWindow()).isNull();
    assertThat(nightly.paused()).isFalse();
    assertThat(nightly.timing()).isEqualTo("cron '0 1 * * *' (UTC)");
    ScheduledIncident restore = schedules.get(1);
    assertThat(restore.interval()).isEqualTo(Duration.ofHours(6));
    assertThat(restore.overlap().json()).isEqualTo("buffer-one");
    assertThat(restore.catchupWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(restore.paused()).isTrue();
    assertThat(restore.inputs().toString()).isEqualTo("{\"from\":\"weekly\",\"rows\":\"25\"}");
    assertThat(schedules.get(2).timeZone()).isEqualTo("Europe/Berlin");
  }

  @Test
  void aBadCronFieldIsReportedAtItsOwnColumn() {
    String text =
        runbook(
            """
            {"id": "nightly", "incident": "backup_daily", "cron": "0 25 * * *"}""");
    Diagnostic error = onlyError(compile(text));
    assertThat(error.code()).isEqualTo("bad-cron");
    assertThat(error.pointer()).isEqualTo("/schedules/0/cron");
    assertThat(error.message()).isEqualTo("'25' is not a valid hour (0-23)");
    String line = text.lines().toList().get(error.line() - 1);
    assertThat(line.substring(error.column() - 1)).startsWith("25 * * *\"");
  }

  @Test
  void cronMistakesNameTheFieldAndHowToWriteIt() {
    assertThat(CronExpression.check("0 1 * * *")).isEmpty();
    assertThat(CronExpression.check("*/15 0-6/2 1,15 jan-jun 7")).isEmpty();
    assertThat(CronExpression.check("0 1 * *").orElseThrow().message())
        .isEqualTo("a cron expression has five fields; '0 1 * *' has 4");
    assertThat(CronExpression.check("0 0 1 * * *").orElseThrow().message()).contains("has 6");
    CronExpression.Problem daily = CronExpression.check("@daily").orElseThrow();
    assertThat(daily.hint()).isEqualTo("write '0 0 * * *'");
    assertThat(CronExpression.check("@every 5m").orElseThrow().hint()).contains("interval");
    assertThat(CronExpression.check("CRON_TZ=Europe/Berlin 0 1 * * *").orElseThrow().hint())
        .contains("timeZone");
    CronExpression.Problem step = CronExpression.check("*/0 * * * *").orElseThrow();
    assertThat(step.offset()).isEqualTo(2);
    assertThat(step.message()).isEqualTo("'0' is not a step in the minute field");
    CronExpression.Problem backwards = CronExpression.check("0 1 * * FRI-MON").orElseThrow();
    assertThat(backwards.offset()).isEqualTo(8);
    assertThat(backwards.message()).contains("runs backwards");
    CronExpression.Problem month = CronExpression.check("0 1 1 13 *").orElseThrow();
    assertThat(month.offset()).isEqualTo(6);
    assertThat(month.message()).isEqualTo("'13' is not a valid month (1-12 or JAN-DEC)");
    assertThat(CronExpression.check("0 1 1,,2 * *").orElseThrow().offset()).isEqualTo(6);
  }

  @Test
  void anUnknownIncidentGetsDidYouMean() {
    Diagnostic error =
        onlyError(
            compile(
                runbook(
                    """
            {"id": "nightly", "incident": "backup_dialy", "cron": "0 1 * * *"}""")));
    assertThat(error.code()).isEqualTo("unknown-incident");
    assertThat(error.pointer()).isEqualTo("/schedules/0/incident");
    assertThat(error.hint()).isEqualTo("did you mean 'backup_daily'?");
  }

  @Test
  void aTimeZoneMustBeAnIanaIdAndAMisspellingGetsDidYouMean() {
    Diagnostic error =
        onlyError(
            compile(
                runbook(
                    """
            {"id": "nightly", "incident": "backup_daily", "cron": "0 1 * * *", "timeZone": "Europe/Berln"}""")));
    assertThat(error.code()).isEqualTo("bad-time-zone");
    assertThat(error.pointer()).isEqualTo("/schedules/0/timeZone");
    assertThat(error.message()).isEqualTo("'Europe/Berln' is not an IANA time zone");
    assertThat(error.hint()).isEqualTo("did you mean 'Europe/Berlin'?");
    assertThat(
            onlyError(
                    compile(
                        runbook(
                            """
            {"id": "nightly", "incident": "backup_daily", "cron": "0 1 * * *", "timeZone": "+02:00"}""")))
                .message())
        .isEqualTo("'+02:00' is not an IANA time zone");
  }

  @Test
  void inputsAreCheckedAgainstTheIncidentsTypedInputs() {
    CompileResult result =
        compile(
            runbook(
                """
            {"id": "restore", "incident": "restore_test", "cron": "0 5 * * 0", "inputs": {"from": "weekly", "rows": "many", "form": 1}},
            {"id": "bare", "incident": "restore_test", "cron": "0 5 * * 0"}"""));
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("wrong-type", "/schedules/0/inputs/rows"),
            org.assertj.core.groups.Tuple.tuple("unknown-input", "/schedules/0/inputs/form"),
            org.assertj.core.groups.Tuple.tuple("missing-input", "/schedules/1"));
    Diagnostic wrong =
        result.errors().stream()
            .filter(d -> d.code().equals("wrong-type"))
            .findFirst()
            .orElseThrow();
    assertThat(wrong.message())
        .isEqualTo("input 'rows' of incident 'restore_test': 'many' is not an integer");
    Diagnostic unknown =
        result.errors().stream()
            .filter(d -> d.code().equals("unknown-input"))
            .findFirst()
            .orElseThrow();
    assertThat(unknown.hint()).isEqualTo("did you mean 'from'?");
  }

  @Test
  void anUnknownInputWhoseNameHoldsASlashIsPointedAtWithAnEscapedPointer() {
    Diagnostic unknown =
        onlyError(
            compile(
                runbook(
                    """
            {"id": "restore", "incident": "restore_test", "cron": "0 5 * * 0", "inputs": {"from": "weekly", "file:/x~y": 1}}""")));
    assertThat(unknown.code()).isEqualTo("unknown-input");
    assertThat(unknown.pointer()).isEqualTo("/schedules/0/inputs/file:~1x~0y");
  }

  @Test
  void exactlyOneOfCronAndIntervalAndIdsAreUnique() {
    CompileResult result =
        compile(
            runbook(
                """
            {"id": "both", "incident": "backup_daily", "cron": "0 1 * * *", "interval": "1h"},
            {"id": "neither", "incident": "backup_daily"},
            {"id": "twice", "incident": "backup_daily", "interval": "1h"},
            {"id": "twice", "incident": "backup_daily", "interval": "2h"},
            {"id": "zone", "incident": "backup_daily", "interval": "1h", "timeZone": "UTC"},
            {"id": "catchup", "incident": "backup_daily", "interval": "1h", "catchupWindow": "5s"}"""));
    assertThat(result.errors())
        .extracting(Diagnostic::code, Diagnostic::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("schedule-timing", "/schedules/0"),
            org.assertj.core.groups.Tuple.tuple("schedule-timing", "/schedules/1"),
            org.assertj.core.groups.Tuple.tuple("duplicate-schedule", "/schedules/3/id"),
            org.assertj.core.groups.Tuple.tuple("bad-time-zone", "/schedules/4/timeZone"),
            org.assertj.core.groups.Tuple.tuple("bad-duration", "/schedules/5/catchupWindow"));
  }

  @Test
  void theSchemaRejectsAnUnknownOverlapPolicyAndAMisspelledField() {
    CompileResult result =
        compile(
            runbook(
                """
            {"id": "nightly", "incident": "backup_daily", "cron": "0 1 * * *", "overlap": "skip-all", "pasued": true}"""));
    assertThat(result.ok()).isFalse();
    assertThat(result.errors())
        .extracting(Diagnostic::pointer)
        .contains("/schedules/0/overlap", "/schedules/0/pasued");
  }

  @Test
  void theSeedRunbookSchedulesItsBackupsRestoreTestDrillAndChecks() throws IOException {
    Path seed = Path.of("..", "runbooks", "dr-runbook.json");
    CompileResult result =
        COMPILER.compile(new RunbookCompiler.Source(seed.toString(), Files.readString(seed)));
    assertThat(result.errors()).isEmpty();
    assertThat(result.runbook().schedules())
        .extracting(ScheduledIncident::incident)
        .containsExactly(
            "backup_daily",
            "backup_weekly",
            "backup_monthly",
            "restore_test_weekly",
            "dr_drill_monthly",
            "start_of_day_checks");
  }
}
