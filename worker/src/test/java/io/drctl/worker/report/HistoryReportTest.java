package io.drctl.worker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reports built from the histories the replay tests keep ({@code workflows/src/test/resources/
 * histories}, recorded from real runs of the incident workflow): the report reads every one, and
 * shows what each was recorded to show.
 */
class HistoryReportTest {
  private static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");
  private static final DataConverter CONVERTER = DefaultDataConverter.newDefaultInstance();

  private static IncidentRecord report(String file) {
    Path path = HISTORIES.resolve(file);
    String name = path.getFileName().toString();
    String id = name.substring(name.indexOf('@') + 1, name.length() - ".json".length());
    return HistoryReport.build(
        id, events(path, id), CONVERTER, Instant.parse("2026-12-31T00:00:00Z").toEpochMilli());
  }

  private static List<HistoryEvent> events(Path path, String id) {
    try {
      return WorkflowExecutionHistory.fromJson(Files.readString(path), id).getEvents();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IncidentRecord.Step step(IncidentRecord record, String id) {
    return record.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryGivesAReportWithEveryStepOfItsPlan() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(HISTORIES)) {
      files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(20);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      IncidentRecord record = report(file.getFileName().toString());
                      assertThat(record.status()).isIn("running", "succeeded", "failed", "aborted");
                      assertThat(record.runbook().planHash()).hasSize(64);
                      assertThat(record.steps())
                          .isNotEmpty()
                          .allSatisfy(step -> assertThat(step.status()).isNotBlank());
                      assertThat(record.objectives().rtoMeasuredSeconds()).isNotNegative();
                      assertThat(HtmlReport.render(record)).contains("<div class=\"timeline\"");
                      assertThat(MarkdownReport.render(record)).contains("## Steps");
                    }));
  }

  @Test
  void anAlertStartedIncidentNamesTheAlertItsLabelsAndFingerprintAndCountsTheLaterOnes() {
    IncidentRecord record =
        report(
            "theStartingAlertIsTheTriggerAndLaterAlertsAreCountedWithoutChangingAStep@alerted-api.json");
    assertThat(record.trigger().kind()).isEqualTo("alert");
    assertThat(record.trigger().alert().name()).isEqualTo("ServiceDown");
    assertThat(record.trigger().alert().labels()).containsEntry("service", "api");
    assertThat(record.trigger().alert().fingerprint()).isEqualTo("fp-1");
    assertThat(record.trigger().alert().startsAt()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(record.trigger().alertsReceived()).isEqualTo(4);
    assertThat(MarkdownReport.render(record))
        .contains("| kind | alert |", "ServiceDown (firing)", "fingerprint fp-1");
  }

  @Test
  void anOperatorRetryIsASecondExecutionWithItsOwnAttempts() {
    IncidentRecord record =
        report("anExhaustedStepWaitsForTheOperatorAndARetryRunsItAgain@intervene.json");
    assertThat(step(record, "flaky").attempts())
        .extracting(
            IncidentRecord.Attempt::execution,
            IncidentRecord.Attempt::attempt,
            IncidentRecord.Attempt::outcome)
        .containsExactly(
            tuple(1, 1, "retried"),
            tuple(1, 2, "failed"),
            tuple(2, 1, "retried"),
            tuple(2, 2, "succeeded"));
    assertThat(step(record, "flaky").attempts().get(1).error()).isEqualTo("Flaky: flaky attempt 2");
    assertThat(record.operatorActions())
        .singleElement()
        .satisfies(
            action -> {
              assertThat(action.command()).isEqualTo("retry");
              assertThat(action.by()).isEqualTo("bob");
              assertThat(action.accepted()).isTrue();
              assertThat(action.result()).isEqualTo("retrying 'flaky'");
            });
    assertThat(record.limits())
        .anyMatch(limit -> limit.contains("the errors of earlier attempts are not in the history"));
  }

  @Test
  void anIncidentStartedFromTheUiTakesItsPlanFromTheCatalogMarkerAndItsApprovalFromASignal() {
    IncidentRecord record = report("aUiStartTakesThePlanFromTheWorkersCatalogAndPinsIt@ui.json");
    assertThat(record.trigger().kind()).isEqualTo("ui");
    assertThat(record.trigger().startedBy()).isNull();
    assertThat(record.plan().path("hash").asText()).isEqualTo(record.runbook().planHash());
    assertThat(record.operatorActions())
        .singleElement()
        .satisfies(
            action -> {
              assertThat(action.via()).isEqualTo("signal");
              assertThat(action.step()).isEqualTo("gate");
              assertThat(action.accepted()).as("a signal has no answer").isNull();
            });
  }

  @Test
  void aSignalWhosePayloadIsNoOperatorCommandIsListedAsSuchAndTheReportStillReads() {
    Path file = HISTORIES.resolve("aUiStartTakesThePlanFromTheWorkersCatalogAndPinsIt@ui.json");
    List<HistoryEvent> events =
        events(file, "ui").stream()
            .map(
                event -> {
                  if (!event.hasWorkflowExecutionSignaledEventAttributes()) {
                    return event;
                  }
                  var typedByHand = event.toBuilder();
                  typedByHand
                      .getWorkflowExecutionSignaledEventAttributesBuilder()
                      .setInput(CONVERTER.toPayloads("yes").orElseThrow());
                  return typedByHand.build();
                })
            .toList();
    IncidentRecord record = HistoryReport.build("ui", events, CONVERTER, 0);
    assertThat(record.operatorActions())
        .singleElement()
        .satisfies(
            action -> {
              assertThat(action.command()).isEqualTo("approve");
              assertThat(action.by()).isNull();
              assertThat(action.accepted()).isFalse();
              assertThat(action.result()).startsWith("its payload is not an operator command");
            });
  }

  @Test
  void branchStepsCarryTheirParallelPathAndEscalationsAreListedOutsideThePlan() {
    IncidentRecord parallel =
        report(
            "aParallelBranchFailingWhileAnotherRunsLetsTheOtherFinishThenAsksTheOperator@parallel.json");
    assertThat(parallel.steps())
        .extracting(IncidentRecord.Step::path, IncidentRecord.Step::id)
        .startsWith(
            tuple("", "both"),
            tuple("both/left", "l1"),
            tuple("both/right", "r1"),
            tuple("both/right", "r2"));
    IncidentRecord escalated =
        report("aStepThatNeedsAnOperatorEscalatesThroughTheRunbooksNotification@escalate.json");
    assertThat(escalated.status()).isEqualTo("aborted");
    assertThat(escalated.steps())
        .filteredOn(step -> step.path().equals("(outside the plan)"))
        .singleElement()
        .satisfies(
            step ->
                assertThat(step.title())
                    .startsWith(HistoryReport.ESCALATION + "step 'flaky' failed"));
    assertThat(escalated.objectives().rtoMet()).isFalse();
  }

  @Test
  void aChildIncidentIsTheAttemptOfItsRunbookStep() {
    IncidentRecord record = report("aRunbookStepRunsTheChildIncidentOnItsPinnedPlan@parent.json");
    assertThat(step(record, "kid").attempts())
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.outcome()).isEqualTo("succeeded");
              assertThat(attempt.worker()).isEqualTo("child parent.kid.1");
              assertThat(attempt.startedAt()).isNotNull();
            });
  }

  @Test
  void theMeasuredDataLossIsSetAgainstTheRpo() {
    IncidentRecord record = report("theReportGivesTheDataLossAStepMeasuredAgainstTheRpo@rpo.json");
    assertThat(record.objectives().rpo()).isEqualTo("5m");
    assertThat(record.objectives().rpoMeasuredSeconds()).isEqualTo(2.5);
    assertThat(record.objectives().rpoMet()).isTrue();
    assertThat(record.objectives().rpoMeasuredBy()).isEqualTo("rejoin");
  }

  @Test
  void aRunningIncidentHasNoEndAndNoVerdictOnItsRtoYet() {
    IncidentRecord record = report("progressShowsEveryStepWithAttemptsAndTimes@progress.json");
    assertThat(record.status()).isEqualTo("running");
    assertThat(record.endedAt()).isNull();
    assertThat(record.objectives().rtoMet()).isNull();
    assertThat(record.objectives().rtoMeasuredSeconds())
        .as("measured to the given now")
        .isPositive();
    assertThat(step(record, "a").status()).isEqualTo("succeeded");
  }

  @Test
  void aHistoryWithoutAPinnedPlanIsNotAnIncident() {
    List<HistoryEvent> started =
        events(HISTORIES.resolve("aSleepIsADurableTimer@sleep.json"), "sleep").subList(0, 1);
    var bare = started.get(0).toBuilder();
    bare.getWorkflowExecutionStartedEventAttributesBuilder()
        .setInput(CONVERTER.toPayloads(Map.of("x", 1)).orElseThrow());
    assertThatThrownBy(() -> HistoryReport.build("other", List.of(bare.build()), CONVERTER, 0))
        .isInstanceOf(ReportException.class)
        .hasMessage(
            "workflow 'other' (type demo) is not a drctl incident: its history holds no pinned plan");
  }
}
