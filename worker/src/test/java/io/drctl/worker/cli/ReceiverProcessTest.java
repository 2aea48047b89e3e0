package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.temporal.client.WorkflowStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code drctl receiver} as an operator runs it: its own process, the token from the environment,
 * started against a real Temporal server. It says where it listens, an Alertmanager post starts the
 * routed incident, and SIGTERM stops it.
 */
class ReceiverProcessTest {
  private static final Path RUNBOOK = Path.of("src", "test", "resources", "alert-drill.json");
  private static final String TOKEN = "process-token-" + UUID.randomUUID();

  private final String taskQueue =
      "drctl-receiver-process-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> output = new ArrayList<>();
  private ServerWithWorker running;
  private Process receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.destroyForcibly();
    }
    if (running != null) {
      running.close();
    }
  }

  @Test
  void startsSaysWhereItListensStartsTheRoutedIncidentAndStopsCleanlyOnSigterm() throws Exception {
    running = ServerWithWorker.start(ContractServers::javaTestServer, RUNBOOK, taskQueue);
    int port = FreePorts.any();
    ProcessBuilder builder =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    "receiver",
                    "-r",
                    RUNBOOK.toString(),
                    "--address",
                    running.server().address(),
                    "--task-queue",
                    taskQueue,
                    "--receiver-host",
                    "127.0.0.1",
                    "--receiver-port",
                    String.valueOf(port),
                    "--receiver-token",
                    "env:DRCTL_TEST_RECEIVER_TOKEN"))
            .redirectErrorStream(true);
    builder.environment().put("DRCTL_TEST_RECEIVER_TOKEN", TOKEN);
    receiver = builder.start();
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));

    String banner =
        CompletableFuture.supplyAsync(() -> readUntil(lines, "drctl receiver on "))
            .get(60, TimeUnit.SECONDS);
    CompletableFuture.runAsync(() -> readUntil(lines, "\u0000"));

    assertThat(banner)
        .as(String.join("\n", output))
        .contains("drctl receiver on http://127.0.0.1:" + port)
        .contains("3 routes")
        .contains("task queue '" + taskQueue + "'")
        .doesNotContain(TOKEN);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = alertmanager("ServiceDown", "api");
    HttpResponse<String> unauthenticated =
        http.send(post(port, body, "Bearer wrong"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> accepted =
        http.send(post(port, body, "Bearer " + TOKEN), HttpResponse.BodyHandlers.ofString());

    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(accepted.body()).contains("service_down/api");
    WorkflowStub incident =
        running.connection().client().newUntypedWorkflowStub("service_down/api");
    assertThat(incident.describe().getWorkflowType()).isEqualTo("service_down");

    receiver.destroy();
    assertThat(receiver.waitFor(30, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
    // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran to the end on a SIGTERM.
    assertThat(receiver.exitValue()).as(String.join("\n", output)).isIn(0, 143);
    assertThat(String.join("\n", output)).doesNotContain(TOKEN);
  }

  private String readUntil(BufferedReader lines, String marker) {
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        if (line.contains(marker)) {
          return line;
        }
      }
      return "(the receiver's output ended)";
    } catch (IOException e) {
      return "(the receiver's output broke: " + e.getMessage() + ")";
    }
  }

  private static HttpRequest post(int port, String body, String authorization) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts/alertmanager"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String alertmanager(String alertname, String service) {
    var root = io.drctl.plan.PlanJson.mapper().createObjectNode();
    root.put("version", "4")
        .put("groupKey", "{}:{alertname=\"" + alertname + "\"}")
        .put("status", "firing")
        .put("receiver", "drctl");
    var alert = root.putArray("alerts").addObject();
    alert.put("status", "firing");
    alert.putObject("labels").put("alertname", alertname).put("service", service);
    alert.putObject("annotations").put("summary", "it is down");
    alert
        .put("startsAt", "2026-12-06T10:00:00Z")
        .put("fingerprint", "f" + UUID.randomUUID().toString().substring(0, 8));
    return root.toString();
  }
}
