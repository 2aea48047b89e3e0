package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.worker.codec.CodecKeys;
import io.drctl.worker.codec.CodecTestKeys;
import io.drctl.worker.codec.PayloadEncryption;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.IncidentWorker;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentWorkflowImpl;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Payload encryption against a real Temporal server: what the server stores is ciphertext, what
 * drctl reads back is the incident, and keys rotate under incidents in flight. The runbook is the
 * hello-approval example (echo commands and an approval), so nothing but the server is needed. Each
 * subclass brings a server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CodecContract {
  private static final Path RUNBOOK = Path.of("..", "runbooks", "examples", "hello-approval.json");
  private static final String OLD = "2026-11";
  private static final String NEW = "2026-12";

  private String taskQueue;
  private Path state;
  private DevServer server;
  private CompiledRunbook runbook;
  private Path oldKeyOnly;
  private Path rotated;
  private Path newKeyOnly;
  private final List<AutoCloseable> running = new ArrayList<>();

  abstract DevServer start(DevServerOptions options);

  /**
   * Whether a worker started after another stopped takes over the stopped one's workflows. The Java
   * test server does not: it keeps each workflow's next task on the sticky queue of the worker that
   * ran it last (its ShutdownWorker does nothing, and a sticky task never times out back to the
   * task queue).
   */
  abstract boolean handsWorkflowsToARestartedWorker();

  @BeforeAll
  void startServer() throws Exception {
    state = Files.createTempDirectory("drctl-codec-");
    server = ContractServers.onFreePorts(this::start, state);
    Map<String, String> keys = CodecTestKeys.keys(OLD, NEW);
    oldKeyOnly = CodecTestKeys.file(state, Map.of(OLD, keys.get(OLD)), OLD);
    rotated = CodecTestKeys.file(state, keys, NEW);
    newKeyOnly = CodecTestKeys.file(state, Map.of(NEW, keys.get(NEW)), NEW);
    try (TemporalConnection plain =
        TemporalConnection.open(
            TemporalSettings.plaintext(server.address(), "default", "unused"))) {
      new SearchAttributeRegistration(plain.operator(), "default").ensure();
    }
    runbook =
        RunbookCompiler.standard()
            .compile(
                new RunbookCompiler.Source(RUNBOOK.toString(), Files.readString(RUNBOOK)), null)
            .runbook();
  }

  /**
   * Each test on a queue of its own, so no worker of another test, with other keys, takes its
   * tasks.
   */
  @BeforeEach
  void newTaskQueue() {
    taskQueue = "drctl-codec-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stopWorkers() throws Exception {
    while (!running.isEmpty()) {
      running.get(running.size() - 1).close();
    }
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    ContractServers.deleteTree(state);
  }

  /**
   * A connection and a worker that encrypt with the keys in {@code keyFile}; stopped by the
   * returned handle.
   */
  private AutoCloseable worker(Path keyFile) {
    TemporalConnection connection = connection(keyFile);
    IncidentWorker worker =
        IncidentWorker.start(connection, runbook, new IncidentWorker.Tuning(4, 2));
    AutoCloseable[] handle = new AutoCloseable[1];
    handle[0] =
        () -> {
          if (running.remove(handle[0])) {
            worker.shutdown(Duration.ofSeconds(2));
            connection.close();
          }
        };
    running.add(handle[0]);
    return handle[0];
  }

  private TemporalConnection connection(Path keyFile) {
    return TemporalConnection.open(
        TemporalSettings.plaintext(server.address(), "default", taskQueue)
            .withCodec(keys(keyFile)));
  }

  private static CodecKeys keys(Path keyFile) {
    return CodecKeys.fromFile("--codec-keys", keyFile);
  }

  @Test
  void anIncidentsHistoryHoldsOnlyCiphertextAndReadsBackWithTheKey() throws Exception {
    worker(oldKeyOnly);
    String id = "codec-" + UUID.randomUUID();
    String name = "Zebediah" + UUID.randomUUID().toString().substring(0, 8);
    String reason = "disk-" + UUID.randomUUID().toString().substring(0, 8);
    String approval = "looked-" + UUID.randomUUID().toString().substring(0, 8);
    runIncidentToTheEnd(id, oldKeyOnly, name, reason, approval);

    byte[] raw;
    String json;
    try (TemporalConnection plain =
        TemporalConnection.open(
            TemporalSettings.plaintext(server.address(), "default", taskQueue))) {
      WorkflowExecutionHistory history = plain.client().fetchHistory(id);
      raw = history.getHistory().toByteArray();
      json = history.toJson(false);
    }
    String bytes = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(bytes)
        .as(
            "the raw history names the workflow type and task queue, so the search does find plain text")
        .contains("hello_approval")
        .contains(taskQueue);
    assertThat(bytes)
        .as("no input, reason, approval or activity output in the clear")
        .doesNotContain(name)
        .doesNotContain(reason)
        .doesNotContain(approval)
        .doesNotContain("Hello, ")
        .doesNotContain("Decision: approve")
        .doesNotContain("Say hello");
    Map<String, Set<String>> encodings = payloadEncodings(new ObjectMapper().readTree(json));
    assertThat(encodings.get("encoding"))
        .as("every payload outside search attributes")
        .containsExactly("binary/encrypted");
    assertThat(encodings.get("encryption-key-id")).containsExactly(OLD);

    assertThat(client(oldKeyOnly, "history", id).out())
        .as("step titles decrypted")
        .contains("shell.exec — Say hello");
    try (TemporalConnection keyed = connection(oldKeyOnly)) {
      DataConverter converter = keyed.client().getOptions().getDataConverter();
      List<HistoryEvent> events = keyed.client().fetchHistory(id).getEvents();
      JsonNode start =
          decode(converter, events.get(0).getWorkflowExecutionStartedEventAttributes().getInput());
      assertThat(start.at("/drctl/inputs/name").asText()).isEqualTo(name);
      assertThat(start.at("/drctl/reason").asText()).isEqualTo(reason);
      List<String> outputs =
          events.stream()
              .filter(HistoryEvent::hasActivityTaskCompletedEventAttributes)
              .map(
                  event ->
                      decode(converter, event.getActivityTaskCompletedEventAttributes().getResult())
                          .path("stdout")
                          .asText())
              .filter(stdout -> !stdout.isEmpty())
              .toList();
      assertThat(outputs)
          .containsExactly(
              "Hello, " + name + "!\n", "Decision: approved. Goodbye, " + name + ".\n");
    }

    CliRun report = client(oldKeyOnly, "report", id, "--format", "json");
    assertThat(report.exitCode())
        .as("the report reads the history with the CLI's keys: " + report.err())
        .isZero();
    JsonNode read = new ObjectMapper().readTree(report.out());
    assertThat(read.at("/trigger/reason").asText()).isEqualTo(reason);
    assertThat(read.at("/inputs/name").asText()).isEqualTo(name);
    assertThat(read.at("/operatorActions/0/reason").asText()).isEqualTo(approval);
    assertThat(read.path("steps").findValuesAsText("title")).contains("Say hello");
  }

  @Test
  void incidentsStartedUnderTheOldKeyReplayAndFinishAfterTheNewKeyTakesOver() throws Exception {
    AutoCloseable before = worker(oldKeyOnly);
    String finished = "codec-done-" + UUID.randomUUID();
    runIncidentToTheEnd(finished, oldKeyOnly, "Ada", "drill", "fine");
    String inFlight = "codec-rotate-" + UUID.randomUUID();
    if (!handsWorkflowsToARestartedWorker()) {
      before.close(); // the incident's start request alone is under the old key
    }
    assertThat(
            client(
                    oldKeyOnly,
                    "start",
                    "hello_approval",
                    "-r",
                    RUNBOOK.toString(),
                    "--id",
                    inFlight,
                    "--input",
                    "name=Grace")
                .exitCode())
        .isZero();
    if (handsWorkflowsToARestartedWorker()) {
      awaitStatus(inFlight, oldKeyOnly, out -> out.contains("waiting-approval"));
      before.close();
    }

    worker(rotated);
    awaitStatus(inFlight, rotated, out -> out.contains("waiting-approval"));
    CliRun approved =
        client(rotated, "approve", inFlight, "--reason", "after rotation", "--by", "bob");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    CliRun watched = client(rotated, "watch", inFlight, "--interval", "0.2");
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isZero();
    assertThat(watched.out()).endsWith(inFlight + ": succeeded\n");

    WorkflowExecutionHistory history;
    try (TemporalConnection plain =
        TemporalConnection.open(
            TemporalSettings.plaintext(server.address(), "default", taskQueue))) {
      history = plain.client().fetchHistory(inFlight);
    }
    assertThat(
            payloadEncodings(new ObjectMapper().readTree(history.toJson(false)))
                .get("encryption-key-id"))
        .as("the first half under the old key, the rest under the new")
        .containsExactly(OLD, NEW);
    replay(history, rotated);
    assertThatThrownBy(() -> replay(history, newKeyOnly))
        .hasStackTraceContaining("encrypted with key '" + OLD + "'");

    CliRun withoutOldKey = client(newKeyOnly, "status", finished);
    assertThat(withoutOldKey.exitCode()).as(withoutOldKey.out() + withoutOldKey.err()).isEqualTo(2);
    assertThat(withoutOldKey.err())
        .startsWith(
            "drctl: cannot read the incident's payloads: a payload is encrypted with key '"
                + OLD
                + "', which is not configured (--codec-keys "
                + newKeyOnly
                + " holds "
                + NEW
                + ")")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(client(rotated, "status", finished).out()).contains("outcome   succeeded");
    CliRun reportWithoutOldKey = client(newKeyOnly, "report", finished);
    assertThat(reportWithoutOldKey.exitCode()).isEqualTo(2);
    assertThat(reportWithoutOldKey.err())
        .startsWith(
            "drctl: cannot read the incident's payloads: a payload is encrypted with key '"
                + OLD
                + "'")
        .doesNotContain("\tat ");
  }

  private void runIncidentToTheEnd(
      String id, Path keyFile, String name, String reason, String approval) {
    CliRun started =
        client(
            keyFile,
            "start",
            "hello_approval",
            "-r",
            RUNBOOK.toString(),
            "--id",
            id,
            "--input",
            "name=" + name,
            "--by",
            "alice",
            "--reason",
            reason);
    assertThat(started.exitCode()).as(started.err()).isZero();
    CliRun waiting = awaitStatus(id, keyFile, out -> out.contains("waiting-approval"));
    assertThat(waiting.out())
        .as("the progress query, decrypted")
        .contains("stdout=Hello, " + name + "!");
    CliRun approved = client(keyFile, "approve", id, "--reason", approval, "--by", "bob");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    CliRun watched = client(keyFile, "watch", id, "--interval", "0.2");
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isZero();
    assertThat(watched.out())
        .contains("approve by bob: " + approval)
        .endsWith(id + ": succeeded\n");
  }

  /** Replays with a worker whose client decrypts with the keys in {@code keyFile}. */
  private static void replay(WorkflowExecutionHistory history, Path keyFile) throws Exception {
    DataConverter converter = PayloadEncryption.dataConverter(keys(keyFile));
    try (TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .build())) {
      Worker worker = environment.newWorker("replay");
      worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  private static JsonNode decode(DataConverter converter, Payloads payloads) {
    return converter.fromPayloads(0, Optional.of(payloads), JsonNode.class, JsonNode.class);
  }

  /**
   * The metadata values of every payload in a history's JSON, by metadata key, leaving out search
   * attributes (plain by design, so the server can index them).
   */
  private static Map<String, Set<String>> payloadEncodings(JsonNode history) {
    Map<String, Set<String>> values = new java.util.HashMap<>();
    collect(history, values);
    return values;
  }

  private static void collect(JsonNode node, Map<String, Set<String>> values) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, values));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.path("metadata").isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        values
            .computeIfAbsent(entry.getKey(), key -> new TreeSet<>())
            .add(
                new String(
                    Base64.getDecoder().decode(entry.getValue().asText()), StandardCharsets.UTF_8));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("searchAttributes") && !field.getKey().equals("metadata")) {
        collect(field.getValue(), values);
      }
    }
  }

  private CliRun client(Path keyFile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--address",
            server.address(),
            "--task-queue",
            taskQueue,
            "--codec-keys",
            keyFile.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun awaitStatus(String id, Path keyFile, Predicate<String> condition) {
    return ContractServers.await(
        () -> client(keyFile, "status", id), condition, Duration.ofSeconds(20));
  }
}
