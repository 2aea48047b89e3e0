package io.drctl.worker.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionKind;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.store.local.LocalDirectories;
import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.CodecServer;
import io.drctl.worker.codec.CodecTestKeys;
import io.drctl.worker.codec.EncryptionCodec;
import io.drctl.worker.codec.PayloadEncryption;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as an operator does it: the real Temporal dev server and its Web UI, a drctl worker
 * with the hello-approval runbook, every payload encrypted with the UI decoding them through
 * drctl's codec server (as {@code drctl dev --codec-keys} sets it up), and headless Chromium
 * driving the UI through Playwright ({@code src/test/ui/web-ui-incident.js}). The browser starts
 * the incident from the UI's Start Workflow form, reads the live progress and the step titles on
 * the workflow page, approves it through the signal dialog, and finds it in the workflow list, also
 * filtered by the IncidentType search attribute. A second incident, started through the Java client
 * as drctl's CLI starts one, shows the incident's title as its static summary. Screenshots of every
 * stage land in {@code target/ui-screenshots/}; the Java client checks the result and the history
 * afterwards.
 *
 * <p>Skipped when the Temporal CLI, Chromium, node or playwright-core is missing: {@code bin/setup
 * temporal browser} installs them.
 */
class TemporalWebUiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASK_QUEUE = "drctl-ui-test";
  private static final String TYPE = "hello_approval";
  private static final String UI_STARTED = "hello-approval-from-the-ui";
  private static final String CLIENT_STARTED = "hello-approval-with-a-summary";

  /** The client-started incident's input, which the browser must find decoded on its page. */
  private static final String CLIENT_INPUT = "reader-of-decoded-inputs";

  private static final Path RUNBOOK = Path.of("../runbooks/examples/hello-approval.json");
  private static final Path SCRIPT = Path.of("src/test/ui/web-ui-incident.js");
  private static final Path SCREENSHOTS = Path.of("target/ui-screenshots");

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void operatorStartsWatchesAndApprovesAnIncidentInTheTemporalWebUi(@TempDir Path serverDir)
      throws Exception {
    UiTestTools tools = UiTestTools.findOrSkip();
    CompiledRunbook runbook = compile(RUNBOOK);
    Plan plan = runbook.plan(TYPE).orElseThrow();
    resetDirectory(SCREENSHOTS);
    // Every payload is encrypted, and the UI reads them through drctl's codec server, as drctl dev
    // sets it up with --codec-keys: the titles, details and progress the browser checks below are
    // ciphertext in the server and appear only when the UI decodes them.
    CodecKeys keys =
        CodecKeys.fromFile(
            "--codec-keys",
            CodecTestKeys.file(serverDir, CodecTestKeys.keys("ui-2026"), "ui-2026"));
    DataConverter encrypted = PayloadEncryption.dataConverter(keys);
    List<CodecServer> codecServers = new java.util.ArrayList<>();
    try (TemporalDevServer server =
            TemporalDevServer.start(
                tools.temporalCli(),
                serverDir.resolve("temporal"),
                options -> {
                  CodecServer codec =
                      CodecServer.start(
                          new EncryptionCodec(keys),
                          new CodecServer.Options(
                              "127.0.0.1",
                              0,
                              List.of("http://127.0.0.1:" + options.uiPort()),
                              null));
                  codecServers.add(codec);
                  return options.withUiCodecEndpoint("http://127.0.0.1:" + codec.port());
                });
        InProcessWorker worker =
            InProcessWorker.start(server.target(), TASK_QUEUE, runbook, encrypted)) {
      WorkflowClient client = worker.client();
      // The UI's form sets no static summary; drctl's own clients set the incident's title. This
      // second incident, started as they start it, checks that the UI shows that title.
      WorkflowStub withSummary =
          client.newUntypedWorkflowStub(
              TYPE,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(CLIENT_STARTED)
                  .setTaskQueue(TASK_QUEUE)
                  .setStaticSummary(plan.title())
                  .build());
      withSummary.start(Map.of("name", CLIENT_INPUT));

      JsonNode seen =
          PlaywrightScript.run(
              tools, SCRIPT, browserScenario(server, plan), SCREENSHOTS, Duration.ofMinutes(4));

      assertThat(seen.path("workflowId").asText()).isEqualTo(UI_STARTED);
      assertThat(seen.path("runId").asText())
          .as("the run the browser watched")
          .isEqualTo(
              client.newUntypedWorkflowStub(UI_STARTED).describe().getExecution().getRunId());
      // The UI renders the markdown with typographic quotes: Waiting for approval of ‘approve’.
      assertThat(seen.path("detailsWhileWaiting").asText())
          .contains("Waiting for approval of", "Ask a human", "waiting-approval");
      assertThat(seen.path("detailsWhenDone").asText())
          .contains(plan.title() + " — succeeded")
          .doesNotContain("pending");
      assertThat(seen.path("listRow").asText()).contains(UI_STARTED, TYPE, "Completed");
      assertThat(seen.path("summaryListRow").asText()).contains(CLIENT_STARTED, TYPE);
      assertThat(seen.path("staticSummary").asText().trim()).isEqualTo(plan.title());
      assertThat(seen.path("summaryInputShown").asBoolean())
          .as("the UI showed the decoded input")
          .isTrue();
      assertThat(
              client
                  .fetchHistory(CLIENT_STARTED)
                  .getEvents()
                  .get(0)
                  .getWorkflowExecutionStartedEventAttributes()
                  .getInput()
                  .getPayloads(0)
                  .getMetadataOrThrow("encoding")
                  .toStringUtf8())
          .as("the input the UI showed is ciphertext in the server")
          .isEqualTo("binary/encrypted");
      assertUiIncidentSucceededOnTheApproval(client, plan, encrypted);

      withSummary.signal(
          IncidentWorkflows.APPROVE, Map.of("by", "java-approver", "reason", "listed"));
      assertThat(withSummary.getResult(60, TimeUnit.SECONDS, IncidentReport.class).outcome())
          .isEqualTo("succeeded");
      assertThat(client.newUntypedWorkflowStub(CLIENT_STARTED).describe().getStaticSummary())
          .isEqualTo(plan.title());
    } finally {
      codecServers.forEach(CodecServer::close);
    }
  }

  /** What the browser does and expects; the script itself holds only the UI's selectors. */
  private static JsonNode browserScenario(TemporalDevServer server, Plan plan) {
    ObjectNode config =
        JSON.createObjectNode()
            .put("uiUrl", server.uiUrl())
            .put("namespace", TemporalDevServer.NAMESPACE)
            .put("taskQueue", TASK_QUEUE)
            .put("workflowType", TYPE)
            .put("workflowId", UI_STARTED)
            .put("input", "{}")
            .put("title", plan.title())
            .put("waitingText", "Waiting for approval of")
            .put("signalName", IncidentWorkflows.APPROVE)
            .put("signalInput", "{\"by\": \"ui-approver\", \"reason\": \"looks good\"}")
            .put("summaryWorkflowId", CLIENT_STARTED)
            .put("summaryInputValue", CLIENT_INPUT)
            .put("screenshotDir", SCREENSHOTS.toAbsolutePath().toString());
    var titles = config.putArray("stepTitles");
    plan.steps().forEach(step -> titles.add(step.title()));
    activityTitles(plan, false).forEach(config.putArray("activityTitlesBeforeApproval")::add);
    activityTitles(plan, true).forEach(config.putArray("activityTitlesAfterApproval")::add);
    return config;
  }

  /** The titles of the activity steps before (or after) the runbook's approval step. */
  private static List<String> activityTitles(Plan plan, boolean afterApproval) {
    List<PlanStep> steps = plan.steps();
    int approval =
        IntStream.range(0, steps.size())
            .filter(i -> steps.get(i).kind() == ActionKind.APPROVAL)
            .findFirst()
            .orElseThrow();
    return IntStream.range(0, steps.size())
        .filter(i -> afterApproval ? i > approval : i < approval)
        .mapToObj(steps::get)
        .filter(step -> step.kind() == ActionKind.ACTIVITY)
        .map(PlanStep::title)
        .toList();
  }

  private static void assertUiIncidentSucceededOnTheApproval(
      WorkflowClient client, Plan plan, DataConverter converter) throws Exception {
    WorkflowStub incident = client.newUntypedWorkflowStub(UI_STARTED);
    IncidentReport report = incident.getResult(30, TimeUnit.SECONDS, IncidentReport.class);
    assertThat(report.outcome()).isEqualTo("succeeded");
    List<HistoryEvent> history = client.fetchHistory(UI_STARTED).getEvents();
    String uiIdentity = history.get(0).getWorkflowExecutionStartedEventAttributes().getIdentity();
    assertThat(report.startedBy())
        .as("a UI start's starter is the identity the UI recorded")
        .isEqualTo(uiIdentity.isBlank() ? null : uiIdentity);
    assertThat(report.steps())
        .extracting(IncidentReport.StepReport::id, IncidentReport.StepReport::status)
        .containsExactly(
            tuple("greet", "succeeded"), tuple("approve", "succeeded"), tuple("done", "succeeded"));
    assertThat(report.steps().get(2).output().path("stdout").asText()).contains("Goodbye, world.");
    assertThat(report.decisions())
        .singleElement()
        .satisfies(
            decision -> {
              assertThat(decision.command()).isEqualTo(IncidentWorkflows.APPROVE);
              assertThat(decision.by()).isEqualTo("ui-approver");
              assertThat(decision.reason()).isEqualTo("looks good");
            });

    assertThat(history)
        .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .extracting(
            e -> e.getUserMetadata().getSummary().getMetadataOrThrow("encoding").toStringUtf8())
        .as("the summaries the UI showed decoded are encrypted in the server")
        .containsOnly("binary/encrypted");
    assertThat(history)
        .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .singleElement()
        .satisfies(
            event -> {
              var signal = event.getWorkflowExecutionSignaledEventAttributes();
              assertThat(signal.getSignalName()).isEqualTo(IncidentWorkflows.APPROVE);
              JsonNode payload =
                  converter.fromPayloads(
                      0, Optional.of(signal.getInput()), JsonNode.class, JsonNode.class);
              assertThat(payload.path("by").asText()).isEqualTo("ui-approver");
              assertThat(payload.path("reason").asText()).isEqualTo("looks good");
            });
    assertThat(history)
        .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .extracting(
            e ->
                converter.fromPayload(e.getUserMetadata().getSummary(), String.class, String.class))
        .as("each activity's summary is its step's title")
        .containsExactlyElementsOf(
            Stream.concat(activityTitles(plan, false).stream(), activityTitles(plan, true).stream())
                .toList());

    var attributes = incident.describe().getTypedSearchAttributes();
    assertThat(attributes.get(IncidentWorkflows.INCIDENT_TYPE)).isEqualTo(TYPE);
    assertThat(attributes.get(IncidentWorkflows.OUTCOME)).isEqualTo("succeeded");
  }

  private static CompiledRunbook compile(Path file) throws IOException {
    CompileResult result =
        RunbookCompiler.standard()
            .compile(new RunbookCompiler.Source(file.toString(), Files.readString(file)));
    assertThat(result.errors()).as("errors compiling " + file).isEmpty();
    return result.runbook();
  }

  private static void resetDirectory(Path dir) throws IOException {
    LocalDirectories.deleteRecursively(dir);
    Files.createDirectories(dir);
  }
}
