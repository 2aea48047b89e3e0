package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drctl.activities.notify.NotifyOptions;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A test incident's lifecycle notifications, from a real Temporal server (the Temporal CLI's dev
 * server when bin/setup installed it, else the Java test server) and a drctl worker to a loopback
 * HTTP receiver that stands in for PagerDuty, Slack and a generic webhook: every event arrives with
 * its payload, and PagerDuty's trigger, acknowledge and resolve share one dedup key.
 *
 * <p>It runs concurrently with the module's other test classes (which run one after another): most
 * of its minute is the wait for the incident's first status event ({@code statusEvery} is at least
 * one minute), which costs no CPU. Its worker's log lines may land in another test's capture of
 * System.err meanwhile; every such test tolerates lines of others.
 */
@Execution(ExecutionMode.CONCURRENT)
class LifecycleNotificationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TEMPLATE =
      Path.of("src", "test", "resources", "lifecycle-notifications.json");
  private static final String UI = "http://127.0.0.1:8233";
  private static final String ROUTING_KEY = "R0UT1NG-" + UUID.randomUUID();
  private static final String SLACK_TOKEN = "xoxb-" + UUID.randomUUID();

  /** One request the receiver got. */
  record Received(String path, String authorization, JsonNode body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final String taskQueue =
      "drctl-lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
  private HttpServer receiver;
  private Path files;
  private ServerWithWorker running;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/", this::receive);
    receiver.start();
    files = Files.createTempDirectory("drctl-lifecycle-");
    Files.writeString(files.resolve("routing-key"), ROUTING_KEY);
    Files.writeString(files.resolve("slack-token"), SLACK_TOKEN);
    Path runbook = files.resolve("runbook.json");
    Files.writeString(
        runbook,
        Files.readString(TEMPLATE)
            .replace("RECEIVER", "http://127.0.0.1:" + receiver.getAddress().getPort())
            .replace("SECRETS", files.toAbsolutePath().toString()));
    Function<DevServerOptions, DevServer> server =
        System.getenv("DRCTL_TEMPORAL_CLI") != null
            ? ContractServers::temporalCli
            : ContractServers::javaTestServer;
    running =
        ServerWithWorker.start(server, runbook, taskQueue, NotifyOptions.linkingTo(URI.create(UI)));
    new SearchAttributeRegistration(running.connection().operator(), "default").ensure();
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
    ContractServers.deleteTree(files);
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(
          new Received(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              JSON.readTree(body)));
      boolean pagerDuty = exchange.getRequestURI().getPath().startsWith("/pagerduty");
      byte[] answer =
          (pagerDuty ? "{\"status\": \"success\", \"message\": \"Event processed\"}" : "ok")
              .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(pagerDuty ? 202 : 200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Test
  void
      everyLifecycleEventReachesTheReceiverAndPagerDutyIsTriggeredAcknowledgedAndResolvedOnOneKey() {
    String id = "lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
    CliRun started =
        client(
            "start",
            "lifecycle_drill",
            "-r",
            files.resolve("runbook.json").toString(),
            "--id",
            id,
            "--reason",
            "drill",
            "--by",
            "alice");
    assertThat(started.exitCode()).as(started.err()).isZero();

    await(
        r -> event(r).equals("approvalRequested") && r.path().equals("/webhook"),
        Duration.ofSeconds(30));
    await(
        r -> event(r).equals("started") && r.path().startsWith("/pagerduty"),
        Duration.ofSeconds(30));
    CliRun approved = client("approve", id, "--step", "gate", "--reason", "go", "--by", "bob");
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    await(
        r -> event(r).equals("escalation") && r.path().equals("/webhook"), Duration.ofSeconds(30));
    CliRun skipped =
        client("skip", id, "--step", "probe", "--reason", "known to fail", "--by", "bob");
    assertThat(skipped.exitCode()).as(skipped.err()).isZero();
    await(
        r -> event(r).equals("resolved") && r.path().startsWith("/pagerduty"),
        Duration.ofSeconds(120));
    await(r -> event(r).equals("resolved") && r.path().equals("/slack"), Duration.ofSeconds(10));
    await(r -> event(r).equals("resolved") && r.path().equals("/webhook"), Duration.ofSeconds(10));

    List<Received> webhook = at("/webhook");
    // Notifications decided together are delivered concurrently: their order at the receiver is
    // free.
    assertThat(webhook)
        .extracting(LifecycleNotificationsTest::event)
        .containsExactlyInAnyOrder(
            "started",
            "approvalRequested",
            "acknowledged",
            "stepFailed",
            "escalation",
            "rtoWarning",
            "status",
            "resolved");
    String link = UI + "/namespaces/default/workflows/" + id;
    assertThat(webhook)
        .allSatisfy(
            r -> {
              assertThat(r.body().path("incident").asText()).isEqualTo(id);
              assertThat(r.body().path("link").asText()).isEqualTo(link);
              assertThat(r.body().path("title").asText()).isEqualTo("Lifecycle drill");
            });
    assertThat(message(webhook, "started"))
        .startsWith("Incident " + id + " started by alice (drill).");
    assertThat(message(webhook, "approvalRequested"))
        .contains("Go ahead with the drill?")
        .contains("drctl approve " + id + " --step gate --reason \"...\"");
    assertThat(message(webhook, "acknowledged")).isEqualTo("Acknowledged: approve by bob.");
    assertThat(message(webhook, "stepFailed"))
        .startsWith("Step 'probe' (A probe that fails) needs an operator");
    assertThat(message(webhook, "escalation"))
        .startsWith("Escalation: step 'probe' failed and waits for an operator");
    assertThat(message(webhook, "rtoWarning")).startsWith("10% of the RTO (3m) is used");
    assertThat(message(webhook, "status")).startsWith("Status: running for 1m");
    assertThat(message(webhook, "resolved")).startsWith("Resolved: the incident succeeded");
    assertThat(webhook.get(webhook.size() - 1).body().path("event").asText()).isEqualTo("resolved");

    List<Received> pagerDuty = at("/pagerduty/v2/enqueue");
    assertThat(pagerDuty)
        .extracting(r -> r.body().path("event_action").asText())
        .containsExactly("trigger", "acknowledge", "resolve");
    assertThat(pagerDuty).extracting(r -> r.body().path("dedup_key").asText()).containsOnly(id);
    assertThat(pagerDuty)
        .extracting(r -> r.body().path("routing_key").asText())
        .containsOnly(ROUTING_KEY);
    assertThat(pagerDuty.get(0).body().path("links").get(0).path("href").asText()).isEqualTo(link);
    assertThat(pagerDuty.get(0).body().path("payload").path("severity").asText())
        .isEqualTo("error");

    List<Received> slack = at("/slack");
    assertThat(slack)
        .extracting(LifecycleNotificationsTest::event)
        .containsExactlyInAnyOrder(
            "started", "approvalRequested", "escalation", "rtoWarning", "resolved");
    assertThat(slack)
        .allSatisfy(
            r -> {
              assertThat(r.authorization()).isEqualTo(SLACK_TOKEN);
              assertThat(r.body().path("blocks").toString())
                  .contains("<" + link + "|Open the incident in the Temporal UI>");
            });

    CliRun status = client("status", id);
    assertThat(status.out())
        .contains("succeeded")
        .doesNotContain(ROUTING_KEY)
        .doesNotContain(SLACK_TOKEN);
    String history = running.connection().client().fetchHistory(id).getEvents().toString();
    assertThat(history)
        .contains("lifecycle-notifications")
        .contains("file:" + files.toAbsolutePath().resolve("routing-key"))
        .doesNotContain(ROUTING_KEY)
        .doesNotContain(SLACK_TOKEN);
  }

  /** The lifecycle event a request reports, whatever its format. */
  private static String event(Received r) {
    JsonNode body = r.body();
    if (body.has("event")) {
      return body.path("event").asText();
    }
    if (body.has("blocks")) {
      String context = body.path("blocks").toString();
      int at = context.indexOf("event `");
      return at < 0 ? "" : context.substring(at + 7, context.indexOf('`', at + 7));
    }
    if (body.path("event_action").asText().equals("acknowledge")) {
      return "acknowledged";
    }
    if (body.path("event_action").asText().equals("resolve")) {
      return "resolved";
    }
    return body.path("payload").path("custom_details").path("event").asText();
  }

  private static String message(List<Received> requests, String event) {
    return requests.stream()
        .filter(r -> event(r).equals(event))
        .findFirst()
        .orElseThrow()
        .body()
        .path("message")
        .asText();
  }

  private List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void await(Predicate<Received> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.stream().noneMatch(condition) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    assertThat(received).as("requests so far").anyMatch(condition);
  }

  private CliRun client(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--address", running.server().address(), "--task-queue", taskQueue));
    return CliRun.of(all.toArray(String[]::new));
  }
}
