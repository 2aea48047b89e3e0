package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.ui.PlaywrightScript;
import io.drctl.worker.ui.UiTestTools;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code drctl report} against a real Temporal server and worker: one incident of {@code
 * report-drill.json} picks a backup from a real local store, has a step that fails once and is
 * retried by Temporal, waits at an approval that bob grants with a reason, and carries a canary
 * secret in its inputs. The reports, taken while it waits and after it ended, must tell all of that
 * from the history, and never show the canary. The HTML opens offline in headless Chromium ({@code
 * src/test/ui/report-html.js}). Runs on the Temporal CLI's dev server when bin/setup's env names it
 * (DRCTL_TEMPORAL_CLI), else on the Java test server, where {@code --since} must say that the
 * server cannot list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TEMPLATE = Path.of("src", "test", "resources", "report-drill.json");
  private static final Path SCRIPT = Path.of("src/test/ui/report-html.js");
  private static final Path SCREENSHOTS = Path.of("target/report-screenshots");
  private static final String CANARY = "canary-" + UUID.randomUUID();

  private final String taskQueue = "drctl-report-" + UUID.randomUUID().toString().substring(0, 8);
  private final String id = "report-drill-" + UUID.randomUUID().toString().substring(0, 8);
  private final boolean visibility = System.getenv("DRCTL_TEMPORAL_CLI") != null;
  private Path dir;
  private Path runbook;
  private ServerWithWorker running;
  private BackupMetadata backup;
  private CliRun whileWaiting;
  private CliRun terminatedReport;

  @BeforeAll
  void runOneIncidentThroughApproval() throws Exception {
    dir = Files.createTempDirectory("drctl-report-test-");
    Path store = Files.createDirectories(dir.resolve("store"));
    try (ObjectStore objects = new LocalObjectStore(store)) {
      backup =
          new BackupCatalog(objects)
              .write(
                  BackupRequest.of("postgresql", BackupType.DAILY, "dump"),
                  new ByteArrayInputStream("a dump".repeat(100).getBytes()));
    }
    runbook =
        Files.writeString(
            dir.resolve("report-drill.json"),
            Files.readString(TEMPLATE).replace("@STORE@", store.toString()));
    Path workdir = Files.createDirectories(dir.resolve("work"));
    Function<DevServerOptions, DevServer> server =
        visibility ? ContractServers::temporalCli : ContractServers::javaTestServer;
    running = ServerWithWorker.start(server, runbook, taskQueue);
    new SearchAttributeRegistration(running.connection().operator(), "default").ensure();

    CliRun started =
        client(
            "start",
            "report_drill",
            "-r",
            runbook.toString(),
            "--id",
            id,
            "--by",
            "alice",
            "--reason",
            "restore drill",
            "--input",
            "workdir=" + workdir,
            "--input",
            "apiToken=" + CANARY);
    assertThat(started.exitCode()).as(started.err()).isZero();
    ContractServers.await(
        () -> client("status", id),
        out -> out.contains("waiting-approval"),
        Duration.ofSeconds(30));
    whileWaiting = client("report", id, "--format", "json");
    CliRun approved =
        client("approve", id, "--by", "bob", "--reason", "backup looks right", "--comment", "go");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    CliRun watched = client("watch", id, "--interval", "0.2");
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isZero();
    terminateASecondIncidentAtItsApproval();
  }

  /**
   * The same incident again, terminated through Temporal while it waits: it ends without drctl's
   * report.
   */
  private void terminateASecondIncidentAtItsApproval() throws Exception {
    String stopped = "report-stopped-" + UUID.randomUUID().toString().substring(0, 8);
    Path workdir = Files.createDirectories(dir.resolve("work-" + stopped));
    assertThat(
            client(
                    "start",
                    "report_drill",
                    "-r",
                    runbook.toString(),
                    "--id",
                    stopped,
                    "--by",
                    "carol",
                    "--input",
                    "workdir=" + workdir,
                    "--input",
                    "apiToken=" + CANARY)
                .exitCode())
        .isZero();
    ContractServers.await(
        () -> client("status", stopped),
        out -> out.contains("waiting-approval"),
        Duration.ofSeconds(30));
    running.connection().client().newUntypedWorkflowStub(stopped).terminate("operator gave up");
    terminatedReport = client("report", stopped, "--format", "json");
  }

  @AfterAll
  void stopEverything() {
    if (running != null) {
      running.close();
    }
    ContractServers.deleteTree(dir);
  }

  @Test
  void jsonTellsTriggerPlanAttemptsApprovalBackupsAndObjectivesFromTheHistory() throws Exception {
    JsonNode report = json(client("report", id, "--format", "json"));
    assertThat(report.path("incidentId").asText()).isEqualTo(id);
    assertThat(report.path("status").asText()).isEqualTo("succeeded");
    assertThat(report.at("/trigger/kind").asText()).isEqualTo("cli");
    assertThat(report.at("/trigger/startedBy").asText()).isEqualTo("alice");
    assertThat(report.at("/trigger/reason").asText()).isEqualTo("restore drill");
    assertThat(report.at("/runbook/version").asText()).isEqualTo("1.2.0");
    assertThat(report.at("/runbook/planHash").asText())
        .hasSize(64)
        .isEqualTo(running.runbook().plan("report_drill").orElseThrow().hash())
        .isEqualTo(report.at("/plan/hash").asText());
    assertThat(report.path("steps").findValuesAsText("id"))
        .startsWith("pick", "flaky", "approve", "finish");
    assertThat(report.path("steps"))
        .allSatisfy(step -> assertThat(step.path("status").asText()).isEqualTo("succeeded"));

    JsonNode flaky = step(report, "flaky");
    assertThat(flaky.path("attempts")).hasSize(2);
    assertThat(flaky.at("/attempts/0/attempt").asInt()).isEqualTo(1);
    assertThat(flaky.at("/attempts/0/outcome").asText()).isEqualTo("retried");
    if (visibility) {
      assertThat(flaky.at("/attempts/0/error").asText())
          .as("the real server keeps the failure of the attempt before the last")
          .startsWith("UnexpectedExitCode:")
          .contains("first try fails");
    } else {
      assertThat(flaky.at("/attempts/0/error").isMissingNode())
          .as("the Java test server keeps no last failure")
          .isTrue();
    }
    assertThat(flaky.at("/attempts/1/attempt").asInt()).isEqualTo(2);
    assertThat(flaky.at("/attempts/1/outcome").asText()).isEqualTo("succeeded");
    assertThat(flaky.at("/attempts/1/worker").asText()).isNotEmpty();
    assertThat(flaky.at("/output/stdout").asText()).contains("second try worked");
    assertThat(flaky.at("/input/env/API_TOKEN").asText()).isEqualTo("****");
    assertThat(flaky.path("durationMillis").asLong()).isPositive();

    assertThat(report.path("operatorActions"))
        .singleElement()
        .satisfies(
            action -> {
              assertThat(action.path("command").asText()).isEqualTo("approve");
              assertThat(action.path("by").asText()).isEqualTo("bob");
              assertThat(action.path("reason").asText()).isEqualTo("backup looks right");
              assertThat(action.path("comment").asText()).isEqualTo("go");
              assertThat(action.path("via").asText()).isEqualTo("update");
              assertThat(action.path("accepted").asBoolean()).isTrue();
            });
    assertThat(report.path("backups"))
        .singleElement()
        .satisfies(
            named -> {
              assertThat(named.path("backupId").asText()).isEqualTo(backup.backupId());
              assertThat(named.path("checksum").asText())
                  .endsWith(backup.checksum().replace("sha256:", ""))
                  .startsWith("sha256:");
              assertThat(named.path("step").asText()).isEqualTo("pick");
            });
    assertThat(report.at("/objectives/rto").asText()).isEqualTo("10m");
    assertThat(report.at("/objectives/rtoSeconds").asLong()).isEqualTo(600);
    assertThat(report.at("/objectives/rtoMet").asBoolean()).isTrue();
    assertThat(report.at("/objectives/rpo").asText()).isEqualTo("15m");
    assertThat(report.at("/objectives/rpoMeasuredSeconds").isMissingNode())
        .as("no step measured data loss")
        .isTrue();
    assertThat(report.path("limits").toString()).contains("refused by the workflow's validator");
    assertThat(report.at("/inputs/apiToken").asText()).isEqualTo("****");
    assertThat(report.at("/inputs/workdir").asText())
        .as("only secrets are masked")
        .endsWith("work");
    assertThat(report.at("/plan/inputs/workdir/type").asText()).isEqualTo("string");
  }

  @Test
  void aReportWhileTheIncidentWaitsShowsItRunningAtTheApproval() throws Exception {
    JsonNode report = json(whileWaiting);
    assertThat(report.path("status").asText()).isEqualTo("running");
    assertThat(report.path("endedAt").isMissingNode()).isTrue();
    assertThat(step(report, "approve").path("status").asText()).isEqualTo("waiting-approval");
    assertThat(step(report, "flaky").path("status").asText()).isEqualTo("succeeded");
    assertThat(step(report, "finish").path("status").asText()).isEqualTo("pending");
    assertThat(report.at("/objectives/rtoMet").isMissingNode())
        .as("not met or missed while it runs")
        .isTrue();
    assertThat(report.path("operatorActions")).isEmpty();
  }

  @Test
  void markdownNamesTheSameFacts() {
    CliRun md = client("report", id);
    assertThat(md.exitCode()).as(md.err()).isZero();
    assertThat(md.out())
        .startsWith("# Incident report: Report drill (`" + id + "`)")
        .contains(
            "| status | succeeded |",
            "| kind | cli (a drctl client",
            "| started by | alice |",
            "| reason | restore drill |",
            "version 1.2.0",
            "| RTO | 10m (600 s) |",
            "| flaky | shell.exec | succeeded |",
            "| approve | approval | succeeded |",
            "### `flaky` — Fail once, then work",
            "| 1 | 2 | succeeded |",
            "| " + backup.backupId() + " | sha256:",
            "| approve | — | bob | backup looks right | go | update |",
            "\"API_TOKEN\" : \"****\"");
  }

  @Test
  void noFormatShowsTheCanaryThatTheHistoryHolds() throws Exception {
    DataConverter converter = running.connection().client().getOptions().getDataConverter();
    var started = running.connection().client().fetchHistory(id).getEvents().get(0);
    assertThat(started.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    JsonNode input =
        converter.fromPayloads(
            0,
            Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
            JsonNode.class,
            JsonNode.class);
    assertThat(input.toString())
        .as("the history holds the canary, so hiding it is the report's doing")
        .contains(CANARY);
    for (String format : List.of("md", "html", "json")) {
      CliRun report = client("report", id, "--format", format);
      assertThat(report.exitCode()).as(report.err()).isZero();
      assertThat(report.out()).as(format).isNotBlank().doesNotContain(CANARY);
    }
    assertThat(whileWaiting.out()).doesNotContain(CANARY);
  }

  @Test
  void htmlOpensOfflineInChromiumWithATimelineBarPerStepAndTheApproval() throws Exception {
    UiTestTools tools = UiTestTools.findOrSkip();
    Path file = dir.resolve("report.html");
    CliRun written = client("report", id, "--format", "html", "--output", file.toString());
    assertThat(written.exitCode()).as(written.err()).isZero();
    assertThat(written.out()).isEqualTo("wrote " + file + "\n");
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".part"));
    }
    Files.createDirectories(SCREENSHOTS);
    JsonNode seen =
        PlaywrightScript.run(
            tools,
            SCRIPT,
            JSON.createObjectNode()
                .put("file", file.toString())
                .put("screenshotDir", SCREENSHOTS.toAbsolutePath().toString()),
            SCREENSHOTS,
            Duration.ofMinutes(2));

    assertThat(seen.path("requests"))
        .as("a self-contained page asks the network for nothing")
        .isEmpty();
    assertThat(seen.path("h1").asText()).contains("Report drill", id);
    JsonNode bars = seen.path("bars");
    assertThat(bars.findValuesAsText("step")).containsExactly("pick", "flaky", "approve", "finish");
    assertThat(bars.findValuesAsText("status")).containsOnly("succeeded");
    double trackLeft = seen.at("/track/left").asDouble();
    double trackWidth = seen.at("/track/width").asDouble();
    JsonNode report = json(client("report", id, "--format", "json"));
    long start = Instant.parse(report.path("startedAt").asText()).toEpochMilli();
    double span = Instant.parse(report.path("endedAt").asText()).toEpochMilli() - start;
    List<Double> lefts = new ArrayList<>();
    for (JsonNode bar : bars) {
      JsonNode step = step(report, bar.path("step").asText());
      double left = (bar.path("left").asDouble() - trackLeft) / trackWidth;
      double width = bar.path("width").asDouble() / trackWidth;
      assertThat(left)
          .as("where %s starts, as a share of the incident", bar)
          .isCloseTo(
              (Instant.parse(step.path("startedAt").asText()).toEpochMilli() - start) / span,
              within(0.02));
      assertThat(width)
          .as("how long %s took, as a share of the incident", bar)
          .isCloseTo(Math.max(0.003, step.path("durationMillis").asLong() / span), within(0.02));
      assertThat(left + width).as(bar.toString()).isLessThanOrEqualTo(1.001);
      lefts.add(left);
    }
    assertThat(lefts).as("steps ran in plan order, so their bars start left to right").isSorted();
    assertThat(seen.path("actionHeaders").toString()).contains("command", "by", "reason");
    assertThat(seen.path("actions"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row.toString())
                    .contains("\"approve\"", "\"bob\"", "\"backup looks right\"", "\"update\""));
    assertThat(seen.path("backups").asText()).contains(backup.backupId());
  }

  @Test
  void aTerminatedIncidentIsReportedFromItsEventsWithTheReason() throws Exception {
    JsonNode report = json(terminatedReport);
    assertThat(report.path("status").asText()).isEqualTo("terminated");
    assertThat(report.path("failure").asText())
        .startsWith("terminated")
        .endsWith(": operator gave up");
    assertThat(report.path("endedAt").asText()).isNotEmpty();
    assertThat(report.at("/objectives/rtoMet").asBoolean(true)).isFalse();
    assertThat(step(report, "flaky").path("status").asText()).isEqualTo("succeeded");
    assertThat(step(report, "approve").path("status").asText())
        .as("it waited when the workflow ended")
        .isEqualTo("cancelled");
    assertThat(step(report, "finish").path("status").asText()).isEqualTo("pending");
    assertThat(report.path("limits").toString()).contains("ended without drctl's own report");
    assertThat(terminatedReport.out()).doesNotContain(CANARY);
  }

  @Test
  void anUnknownIdOrAWorkflowThatIsNoIncidentGetsOneClearLine() {
    CliRun unknown = client("report", "no-such-incident");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo("drctl: no incident 'no-such-incident' in namespace 'default'\n");

    String other = "not-an-incident-" + UUID.randomUUID();
    running
        .connection()
        .client()
        .newUntypedWorkflowStub(
            "some_other_workflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(other)
                .setTaskQueue("nobody-polls-" + taskQueue)
                .build())
        .start(Map.of("x", 1));
    CliRun notIncident = client("report", other);
    assertThat(notIncident.exitCode()).isEqualTo(2);
    assertThat(notIncident.err())
        .isEqualTo(
            "drctl: workflow '"
                + other
                + "' (type some_other_workflow) is not a drctl incident: its history holds no pinned plan\n");
  }

  @Test
  void sinceSummarisesThroughVisibilityOrSaysTheServerCannot() throws Exception {
    if (!visibility) {
      CliRun refused = client("report", "--since", "1d");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.err())
          .startsWith(
              "drctl: Temporal at " + running.server().address() + " cannot answer list queries")
          .contains("the Java test server does not")
          .doesNotContain("\tat ");
      return;
    }
    Predicate<String> listed =
        out -> out.contains("\"succeeded\" : 1") && out.contains("\"terminated\" : 1");
    CliRun summary =
        ContractServers.await(
            () -> client("report", "--since", "1d", "--type", "report_drill", "--format", "json"),
            listed,
            Duration.ofSeconds(20));
    JsonNode json = JSON.readTree(summary.out());
    assertThat(json.path("incidents").asInt()).isEqualTo(2);
    assertThat(json.at("/outcomes/succeeded").asInt()).isEqualTo(1);
    assertThat(json.at("/outcomes/terminated").asInt()).isEqualTo(1);
    assertThat(json.path("types"))
        .singleElement()
        .satisfies(
            type -> {
              assertThat(type.path("type").asText()).isEqualTo("report_drill");
              assertThat(type.path("rtoObjective").asText()).isEqualTo("10m");
              assertThat(type.path("ended").asInt()).isEqualTo(2);
              assertThat(type.path("withinObjective").asInt())
                  .as("only a success counts as within the objective")
                  .isEqualTo(1);
              assertThat(type.path("rtoMinSeconds").asLong())
                  .isLessThanOrEqualTo(type.path("rtoMedianSeconds").asLong());
              assertThat(type.path("rtoMaxSeconds").asLong()).isBetween(1L, 600L);
            });
    CliRun md = client("report", "--since", "1d", "--type", "report_drill");
    assertThat(md.out())
        .startsWith("# Incidents since ")
        .contains("2 incidents, 1 succeeded, 1 terminated")
        .contains("| report_drill | 10m | 2 | 1 succeeded, 1 terminated | 2 |")
        .contains("| 1 of 2 |");
    CliRun otherType = client("report", "--since", "1d", "--type", "no_such_type");
    assertThat(otherType.out()).contains("0 incidents");
  }

  @Test
  void badRequestsAreRefusedBeforeConnecting() {
    assertThat(CliRun.of("report", "--address", "127.0.0.1:1").err())
        .contains("give an incident ID, or --since DURATION");
    assertThat(CliRun.of("report", "x", "--since", "1d", "--address", "127.0.0.1:1").err())
        .contains("(not both)");
    assertThat(CliRun.of("report", "--since", "30x", "--address", "127.0.0.1:1").err())
        .isEqualTo("drctl: --since '30x': not a duration such as 30d, 12h or 90m\n");
    assertThat(
            CliRun.of("report", "--since", "30d", "--format", "html", "--address", "127.0.0.1:1")
                .err())
        .contains("--format html is for one incident's report");
    assertThat(CliRun.of("report", "x", "--type", "t", "--address", "127.0.0.1:1").err())
        .contains("--type goes with --since");
    assertThat(
            CliRun.of("report", "x", "--output", "/no/such/dir/r.md", "--address", "127.0.0.1:1")
                .err())
        .contains("--output /no/such/dir/r.md: no directory /no/such/dir");
    assertThat(CliRun.of("report", "x", "--format", "pdf").exitCode()).isEqualTo(2);
  }

  private static JsonNode step(JsonNode report, String id) {
    for (JsonNode step : report.path("steps")) {
      if (step.path("id").asText().equals(id)) {
        return step;
      }
    }
    throw new AssertionError("no step " + id + " in " + report.path("steps"));
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  private CliRun client(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", running.server().address(), "--task-queue", taskQueue));
    return CliRun.of(all.toArray(String[]::new));
  }
}
