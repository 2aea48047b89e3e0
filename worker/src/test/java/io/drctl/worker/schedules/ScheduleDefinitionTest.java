package io.drctl.worker.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.ScheduledIncident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a sync compares: the runbook's words for a schedule, kept in the action's memo. */
class ScheduleDefinitionTest {
  private static final Path STAND_IN = Path.of("src", "test", "resources", "scheduled-backup.json");

  private static ScheduleDefinition definition(String text) {
    CompiledRunbook runbook =
        RunbookCompiler.standard().compile(new RunbookCompiler.Source("r.json", text)).runbook();
    ScheduledIncident schedule = runbook.schedules().get(0);
    return ScheduleDefinition.of(
        schedule, runbook.plan(schedule.incident()).orElseThrow(), "drctl");
  }

  @Test
  void aDefinitionSurvivesTheMemoAndNamesEachChangedFieldWithOldAndNewValues() throws IOException {
    String text = Files.readString(STAND_IN);
    ScheduleDefinition before = definition(text);
    assertThat(ScheduleDefinition.fromJson(before.toJson())).isEqualTo(before);
    assertThat(before.summary()).isEqualTo("backup_daily, cron '0 1 * * *' (Europe/Berlin)");

    ScheduleDefinition after =
        definition(
            text.replace(
                    "\"cron\": \"0 1 * * *\", \"timeZone\": \"Europe/Berlin\"",
                    "\"interval\": \"6h\"")
                .replace("\"label\": \"nightly\"", "\"label\": \"six-hourly\""));
    assertThat(after.changesSince(before))
        .containsExactly(
            "cron: '0 1 * * *' -> (none)",
            "interval: (none) -> '6h'",
            "timeZone: 'Europe/Berlin' -> (none)",
            "inputs: '{\"label\":\"nightly\"}' -> '{\"label\":\"six-hourly\"}'");
    assertThat(after.summary()).isEqualTo("backup_daily, every 6h");
  }

  @Test
  void editingTheIncidentChangesThePlanTheScheduleStarts() throws IOException {
    String text = Files.readString(STAND_IN);
    ScheduleDefinition before = definition(text);
    ScheduleDefinition after =
        definition(text.replace("\"duration\": \"1s\"", "\"duration\": \"2s\""));
    assertThat(after.changesSince(before)).singleElement().asString().startsWith("plan: '");
    assertThat(before.withPaused(true).changesSince(before))
        .containsExactly("paused: 'false' -> 'true'");
  }
}
