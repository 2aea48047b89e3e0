package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What drctl needs from a Temporal server, checked against a real one: search attribute
 * registration, and the client commands driving a real incident through a real worker. Each
 * subclass brings a server; the runbook has built-in steps only (approval, sleep).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract {
  static final Path RUNBOOK = Path.of("src", "test", "resources", "approval-drill.json");

  private final String taskQueue = "drctl-test-" + UUID.randomUUID().toString().substring(0, 8);
  private ServerWithWorker running;
  private DevServer server;
  private TemporalConnection connection;
  private SearchAttributeRegistration.Result firstRegistration;

  abstract DevServer start(DevServerOptions options);

  /** Whether the server runs visibility queries (the real one does, the Java test server not). */
  abstract boolean visibilityQueries();

  @BeforeAll
  void startServerAndWorker() throws Exception {
    running = ServerWithWorker.start(this::start, RUNBOOK, taskQueue);
    server = running.server();
    connection = running.connection();
    firstRegistration = new SearchAttributeRegistration(connection.operator(), "default").ensure();
  }

  @AfterAll
  void stopEverything() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void searchAttributesAreRegisteredOnceAndFoundAfterwards() {
    assertThat(concat(firstRegistration.present(), firstRegistration.added()))
        .containsExactlyInAnyOrderElementsOf(SearchAttributeRegistration.names());
    SearchAttributeRegistration.Result again =
        new SearchAttributeRegistration(connection.operator(), "default").ensure();
    assertThat(again.added()).isEmpty();
    assertThat(again.present())
        .containsExactlyInAnyOrderElementsOf(SearchAttributeRegistration.names());
    assertThat(again.listed()).isEqualTo(visibilityQueries());
  }

  @Test
  void anIncidentRunsFromStartThroughApprovalToSuccess() throws Exception {
    String id = "drill-" + UUID.randomUUID();
    CliRun started =
        client(
            "start",
            "approval_drill",
            "-r",
            RUNBOOK.toString(),
            "--id",
            id,
            "--input",
            "ticket=OPS-7",
            "--by",
            "alice",
            "--reason",
            "quarterly drill",
            "--ui-url",
            "https://temporal.example.com/");
    assertThat(started.exitCode()).as(started.err()).isZero();
    assertThat(started.out())
        .contains("started approval_drill as " + id)
        .contains("drctl watch " + id)
        .contains("web UI:     https://temporal.example.com/namespaces/default/workflows/" + id);

    CliRun waiting = awaitStatus(id, out -> out.contains("waiting-approval"));
    assertThat(waiting.out())
        .contains("title     Approval drill")
        .contains("by alice")
        .contains("Drill for OPS-7: go on?");

    CliRun approved =
        client("approve", id, "--reason", "checked the ticket", "--as", "bob", "--comment", "fine");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    assertThat(approved.out()).startsWith("approve accepted:");

    CliRun watched = client("watch", id, "--interval", "0.2");
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isZero();
    assertThat(watched.out())
        .contains("outcome   succeeded")
        .contains("approve by bob: checked the ticket (fine)")
        .endsWith(id + ": succeeded\n");

    JsonNode history = new ObjectMapper().readTree(client("history", id, "--format", "json").out());
    assertThat(history.at("/events/0/eventType").asText())
        .isEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");
    assertThat(history.path("events").findValuesAsText("eventType"))
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED");
    assertThat(client("history", id).out()).contains("WorkflowExecutionUpdateAccepted   approve");

    CliRun late = client("approve", id, "--reason", "again", "--by", "bob");
    assertThat(late.exitCode()).isEqualTo(2);
    assertThat(late.err()).contains("incident " + id + " has ended (completed)");
  }

  @Test
  void aRefusedCommandExitsOneAndAnAbortedIncidentMakesWatchExitTwo() {
    String id = "drill-" + UUID.randomUUID();
    assertThat(
            client("start", "approval_drill", "-r", RUNBOOK.toString(), "--id", id, "--by", "carol")
                .exitCode())
        .isZero();
    awaitStatus(id, out -> out.contains("waiting-approval"));

    CliRun retry = client("retry", id, "--reason", "nothing to retry", "--by", "carol");
    assertThat(retry.exitCode()).as(retry.out() + retry.err()).isEqualTo(1);
    assertThat(retry.out()).startsWith("retry refused:");

    assertThat(client("abort", id, "--reason", "drill cancelled", "--by", "carol").exitCode())
        .isZero();
    CliRun watched = client("watch", id, "--interval", "0.2");
    assertThat(watched.exitCode()).isEqualTo(2);
    assertThat(watched.out()).endsWith(id + ": aborted\n");
  }

  @Test
  void listFindsIncidentsByTypeAndSaysWhenTheServerCouldNotFilter() throws InterruptedException {
    String id = "listed-" + UUID.randomUUID();
    assertThat(
            client("start", "approval_drill", "-r", RUNBOOK.toString(), "--id", id, "--by", "dave")
                .exitCode())
        .isZero();
    CliRun list = client("list", "--type", "approval_drill", "--status", "running");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!list.out().contains(id) && System.nanoTime() < deadline) {
      Thread.sleep(200); // visibility is eventually consistent on the real server
      list = client("list", "--type", "approval_drill", "--status", "running");
    }
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains(id).contains("approval_drill").contains("running");
    if (visibilityQueries()) {
      assertThat(list.err()).isEmpty();
    } else {
      assertThat(list.err())
          .contains("cannot run visibility queries (UNIMPLEMENTED")
          .contains(
              "it could not filter by --type approval_drill and --status running, so drctl filtered");
    }
    CliRun none = client("list", "--type", "no_such_incident");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).contains("no incidents match --type no_such_incident");
    client("abort", id, "--reason", "done listing", "--by", "dave");
  }

  @Test
  void anUnknownIncidentIsExitTwoNamingTheNamespace() {
    CliRun status = client("status", "no-such-incident");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err())
        .contains("no incident 'no-such-incident' in namespace 'default' at " + server.address());
  }

  @Test
  void startStatusAndListPrintJsonWithFormatJson() throws Exception {
    String id = "json-" + UUID.randomUUID();
    ObjectMapper json = new ObjectMapper();
    CliRun started =
        client(
            "start",
            "approval_drill",
            "-r",
            RUNBOOK.toString(),
            "--id",
            id,
            "--input",
            "ticket=OPS-9",
            "--by",
            "alice",
            "--format",
            "json",
            "--ui-url",
            "https://temporal.example.com/");
    assertThat(started.exitCode()).as(started.err()).isZero();
    JsonNode start = json.readTree(started.out());
    assertThat(start.path("id").asText()).isEqualTo(id);
    assertThat(start.path("runId").asText()).isNotEmpty();
    assertThat(start.path("startedBy").asText()).isEqualTo("alice");
    assertThat(start.path("webUi").asText())
        .isEqualTo("https://temporal.example.com/namespaces/default/workflows/" + id);

    CliRun waiting =
        ContractServers.await(
            () -> client("status", id, "--format", "json"),
            out -> out.contains("\"waiting-approval\""),
            Duration.ofSeconds(15));
    JsonNode status = json.readTree(waiting.out());
    assertThat(status.path("id").asText()).isEqualTo(id);
    assertThat(status.path("status").asText()).isEqualTo("running");
    assertThat(status.path("progress").isObject()).isTrue();

    CliRun listed = client("list", "--format", "json", "--type", "approval_drill");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(json.readTree(listed.out()).findValuesAsText("id")).contains(id);
    client("abort", id, "--reason", "json drill over");
  }

  private CliRun client(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--task-queue", taskQueue));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun awaitStatus(String id, Predicate<String> condition) {
    return ContractServers.await(() -> client("status", id), condition, Duration.ofSeconds(15));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
