package io.drctl.worker.alerts;

import io.drctl.activities.secrets.Secret;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.store.local.LocalDirectories;
import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.IncidentWorker;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the receiver tests run on: a real Temporal server on free loopback ports (the Temporal CLI's
 * dev server when {@code DRCTL_TEMPORAL_CLI} is set, else the Java test server), a worker serving
 * {@code alert-drill.json} on a task queue of its own, and the receiver in front of them with a
 * bearer token and an HMAC key. {@link #stopServer} and {@link #startServer} take the server away
 * and bring it back on the same port and state.
 *
 * <p>The server's port comes from a block of its own below the kernel's ephemeral range, so that
 * nothing takes it while the server is down, not even a test class that runs meanwhile.
 */
final class ReceiverTestBed implements AutoCloseable {
  /** The first of the block of 50 ports the servers of this test bed take theirs from. */
  private static final int SERVER_PORTS = 30500;

  static final Path RUNBOOK = Path.of("src", "test", "resources", "alert-drill.json");
  static final String TOKEN = "test-token-" + UUID.randomUUID();
  static final String SIGNING_KEY = "test-key-" + UUID.randomUUID();

  private final Path state;
  private final String taskQueue = "drctl-alerts-" + UUID.randomUUID().toString().substring(0, 8);
  private final DevServer.Choice choice;
  private final CompiledRunbook runbook;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int port;
  private DevServer server;
  private TemporalConnection workerConnection;
  private TemporalConnection receiverConnection;
  private IncidentWorker worker;
  private AlertReceiver receiver;

  private ReceiverTestBed() throws IOException {
    state = Files.createTempDirectory("drctl-receiver-");
    choice =
        DevServer.choose(
            DevServer.Kind.auto, System::getenv, Path.of(System.getProperty("user.home")));
    runbook =
        RunbookCompiler.standard()
            .compile(
                new RunbookCompiler.Source(RUNBOOK.toString(), Files.readString(RUNBOOK)), null)
            .runbook();
  }

  static ReceiverTestBed start(int maxBodyBytes) throws Exception {
    ReceiverTestBed bed = new ReceiverTestBed();
    try {
      bed.server =
          FreePorts.retryingWhenTaken(
              () -> {
                bed.port = FreePorts.inRange(SERVER_PORTS, SERVER_PORTS + 50);
                return bed.launchServer();
              });
      TemporalSettings settings =
          TemporalSettings.plaintext(bed.server.address(), "default", bed.taskQueue);
      bed.workerConnection = TemporalConnection.open(settings);
      new SearchAttributeRegistration(bed.workerConnection.operator(), "default").ensure();
      bed.worker =
          IncidentWorker.start(bed.workerConnection, bed.runbook, new IncidentWorker.Tuning(4, 4));
      bed.receiverConnection =
          TemporalConnection.open(
              settings, null, TemporalConnection.CONNECT_TIMEOUT, Duration.ofSeconds(5));
      SecretResolver secrets = new SecretResolver(Map.of("TOKEN", TOKEN, "KEY", SIGNING_KEY));
      Secret token = secrets.resolve("env:TOKEN");
      Secret key = secrets.resolve("env:KEY");
      bed.receiver =
          AlertReceiver.start(
              new ReceiverSettings(
                  "127.0.0.1", 0, maxBodyBytes, 16, new RequestAuthentication(token, key)),
              new AlertDispatcher(
                  bed.receiverConnection.client(), bed.taskQueue, bed.runbook, Clock.systemUTC()),
              Clock.systemUTC());
      return bed;
    } catch (Exception | Error e) {
      bed.close();
      throw e;
    }
  }

  private DevServer launchServer() {
    return DevServer.start(
        choice,
        new DevServerOptions(
            "127.0.0.1", port, FreePorts.any(), state, "default", Duration.ofSeconds(60)),
        launched -> {});
  }

  /** The incidents' client (the worker's connection, which retries as the SDK does). */
  WorkflowClient client() {
    return workerConnection.client();
  }

  void stopServer() {
    server.close();
  }

  /**
   * The server again, on the same port (and, for the CLI's, the same SQLite state; the Java test
   * server comes back empty, so drctl's search attributes are registered again, as a worker does).
   */
  void startServer() {
    server = launchServer();
    try (TemporalConnection fresh = TemporalConnection.open(workerConnection.settings())) {
      new SearchAttributeRegistration(fresh.operator(), "default").ensure();
    }
  }

  /** POSTs {@code body} to /alerts/FORMAT with the given headers (name, value, name, value...). */
  HttpResponse<String> post(AlertFormat format, String body, String... headers)
      throws IOException, InterruptedException {
    return http.send(request(format, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest request(AlertFormat format, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + format.path()))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request.build();
  }

  HttpClient http() {
    return http;
  }

  /** The events of the current run of workflow {@code id}. */
  List<HistoryEvent> history(String id) {
    return client().fetchHistory(id).getEvents();
  }

  static long alertSignals(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .filter(
            e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName().equals("alert"))
        .count();
  }

  /** An Alertmanager version 4 payload of one alert. */
  static String alertmanager(String status, Map<String, String> labels, String fingerprint) {
    var root = io.drctl.plan.PlanJson.mapper().createObjectNode();
    root.put("version", "4")
        .put("groupKey", "{}:{alertname=\"" + labels.get("alertname") + "\"}")
        .put("status", status)
        .put("receiver", "drctl")
        .put("truncatedAlerts", 0);
    var alert = root.putArray("alerts").addObject();
    alert.put("status", status);
    alert.set("labels", io.drctl.plan.PlanJson.mapper().valueToTree(labels));
    alert.putObject("annotations").put("summary", "it is down");
    alert
        .put("startsAt", "2026-12-06T10:00:00Z")
        .put("endsAt", "0001-01-01T00:00:00Z")
        .put("generatorURL", "http://prometheus/graph")
        .put("fingerprint", fingerprint);
    return root.toString();
  }

  static String[] bearer() {
    return new String[] {"Authorization", "Bearer " + TOKEN};
  }

  @Override
  public void close() throws IOException {
    if (receiver != null) {
      receiver.close();
    }
    if (worker != null) {
      worker.shutdown(Duration.ofSeconds(2));
    }
    if (receiverConnection != null) {
      receiverConnection.close();
    }
    if (workerConnection != null) {
      workerConnection.close();
    }
    if (server != null) {
      server.close();
    }
    LocalDirectories.deleteRecursively(state);
  }
}
