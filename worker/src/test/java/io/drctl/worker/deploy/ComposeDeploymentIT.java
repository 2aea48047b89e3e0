package io.drctl.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.worker.codec.CodecTestKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose test: {@code docker-compose -f deploy/compose.yaml --profile dev-server up} with the
 * images {@code bin/setup deploy} builds (the Temporal dev server, two workers, the receiver and
 * the codec server, all in containers on the host's network), then one incident with two child
 * incidents started by the drctl jar from outside, and one started by an alert posted to the
 * receiver, run to success by the containerised workers with encrypted payloads. The runbook is
 * {@code runbooks/examples/child-runbook.json} with a target and an alert route added. Ports: free
 * loopback ports, or from {@code DRCTL_COMPOSE_TEST_PORT_BASE} (eight from there) on a machine with
 * a fixed range.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ComposeDeploymentIT {
  private static final Path COMPOSE = DeployFiles.DEPLOY.resolve("compose.yaml");
  private static final Pattern IMAGE =
      Pattern.compile("(DRCTL_(?:WORKER|TEMPORAL)_IMAGE)='?([^'\\s]+)'?");
  private static final List<String> SERVICES =
      List.of("temporal", "worker-1", "worker-2", "receiver", "codec-server");

  @TempDir static Path dir;
  private static final String PROJECT =
      "drctl-compose-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final Map<String, String> ENV = new LinkedHashMap<>();
  private static Path keyFile;
  private static Path runbook;
  private static String alertToken;

  @BeforeAll
  static void upTheStack() throws Exception {
    runbook = runbookWithAlertRoute(Files.createDirectories(dir.resolve("runbooks")));
    ENV.putAll(
        images(
            run(
                Duration.ofMinutes(15),
                List.of(DeployFiles.ROOT.resolve("bin/setup").toString(), "deploy"),
                Map.of())));
    List<Integer> ports = ports(8);
    ENV.put("TEMPORAL_PORT", ports.get(0).toString());
    ENV.put("TEMPORAL_UI_PORT", ports.get(1).toString());
    ENV.put("TEMPORAL_HTTP_PORT", ports.get(2).toString());
    ENV.put("TEMPORAL_METRICS_PORT", ports.get(3).toString());
    ENV.put("DRCTL_WORKER_1_METRICS_PORT", ports.get(4).toString());
    ENV.put("DRCTL_WORKER_2_METRICS_PORT", ports.get(5).toString());
    ENV.put("DRCTL_RECEIVER_PORT", ports.get(6).toString());
    ENV.put("DRCTL_CODEC_PORT", ports.get(7).toString());
    ENV.put("TEMPORAL_ADDRESS", "127.0.0.1:" + ports.get(0));
    ENV.put("DRCTL_RUNBOOK_DIR", runbook.getParent().toString());
    ENV.put("DRCTL_RUNBOOK", runbook.getFileName().toString());
    ENV.put("DRCTL_TLS_DIR", Files.createDirectories(dir.resolve("tls")).toString());
    Map<String, String> keys = CodecTestKeys.keys("compose-1");
    keyFile = CodecTestKeys.file(dir, keys, "compose-1");
    Path secrets = dir.resolve("secrets.env");
    alertToken = UUID.randomUUID().toString();
    Files.writeString(
        secrets,
        "ALERT_TOKEN="
            + alertToken
            + "\n"
            + "DRCTL_CODEC_KEYS=compose-1="
            + keys.get("compose-1")
            + "\nDRCTL_CODEC_WRITE_KEY=compose-1\n");
    ENV.put("DRCTL_SECRETS_FILE", secrets.toString());
    compose(Duration.ofMinutes(3), "--profile", "dev-server", "up", "-d");
  }

  @AfterAll
  static void downTheStack() throws Exception {
    if (ENV.containsKey("DRCTL_SECRETS_FILE")) {
      compose(
          Duration.ofMinutes(2), "--profile", "dev-server", "down", "--volumes", "--timeout", "20");
    }
  }

  @Test
  void workersInTheComposeStackRunAnIncidentToSuccess() throws Exception {
    for (String service : SERVICES) {
      assertThat(waitHealthy(service, Duration.ofMinutes(5))).as(service).isEqualTo("healthy");
    }
    String id = "compose-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> keys = List.of("--codec-keys", keyFile.toString());

    String started =
        retry(
            Duration.ofMinutes(3),
            concat(
                List.of(
                    "start",
                    "parent_demo",
                    "--id",
                    id,
                    "--reason",
                    "compose test",
                    "--runbook",
                    runbook.toString()),
                keys));
    String watched =
        drctl(Duration.ofMinutes(3), concat(List.of("watch", id, "--interval", "1"), keys));

    assertThat(started).contains(id);
    assertThat(watched).contains(id + ": succeeded");
    String workerLogs =
        compose(Duration.ofMinutes(1), "logs", "--no-color", "worker-1", "worker-2");
    assertThat(workerLogs).as("the workers log JSON lines").contains("\"level\"");
  }

  @Test
  void anAlertPostedToTheReceiverStartsAnIncidentThatSucceeds() throws Exception {
    assertThat(waitHealthy("receiver", Duration.ofMinutes(5))).isEqualTo("healthy");
    HttpRequest alert =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + ENV.get("DRCTL_RECEIVER_PORT") + "/alerts/generic"))
            .header("Authorization", "Bearer " + alertToken)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"labels\": {\"alertname\": \"ComposeHello\", \"who\": \"Carol\"}}"))
            .build();

    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(alert, HttpResponse.BodyHandlers.ofString());
    String watched =
        drctl(
            Duration.ofMinutes(3),
            List.of(
                "watch", "say_hello/web", "--interval", "1", "--codec-keys", keyFile.toString()));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(watched).contains("say_hello/web: succeeded");
  }

  /**
   * child-runbook.json with the target {@code web} and a route from the alert ComposeHello to
   * say_hello.
   */
  private static Path runbookWithAlertRoute(Path directory) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode document =
        (ObjectNode)
            json.readTree(
                DeployFiles.ROOT.resolve("runbooks/examples/child-runbook.json").toFile());
    document.remove("$schema");
    document.set(
        "targets",
        json.readTree("{\"web\": {\"kind\": \"http\", \"url\": \"http://127.0.0.1:9\"}}"));
    document.set(
        "alerts",
        json.readTree(
            "{\"routes\": [{\"name\": \"hello\", \"match\": [\"alertname=ComposeHello\", \"who=~.+\"],"
                + " \"incident\": \"say_hello\", \"target\": \"web\", \"inputs\": {\"name\": \"${{ labels.who }}\"}}]}"));
    Path file = directory.resolve("compose-runbook.json");
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
    return file;
  }

  /**
   * Runs {@code drctl ARGS} from the built jar against the stack's server; its output, or a failure
   * with it.
   */
  private static String drctl(Duration limit, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar().toString()));
    command.addAll(args);
    return run(limit, command, Map.of("TEMPORAL_ADDRESS", ENV.get("TEMPORAL_ADDRESS")));
  }

  /**
   * {@link #drctl} until it succeeds: the dev server in its container takes a few seconds to
   * answer.
   */
  private static String retry(Duration limit, List<String> args) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        return drctl(Duration.ofMinutes(1), args);
      } catch (AssertionError notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(2000);
      }
    }
  }

  private static String waitHealthy(String service, Duration limit) throws Exception {
    String container = compose(Duration.ofMinutes(1), "ps", "-q", service).strip();
    long deadline = System.nanoTime() + limit.toNanos();
    String status = "";
    while (System.nanoTime() < deadline) {
      status =
          run(
                  Duration.ofSeconds(30),
                  List.of("docker", "inspect", "--format", "{{.State.Health.Status}}", container),
                  Map.of())
              .strip();
      if (status.equals("healthy")) {
        return status;
      }
      Thread.sleep(2000);
    }
    return status;
  }

  private static String compose(Duration limit, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("docker-compose", "--project-name", PROJECT, "--file", COMPOSE.toString()));
    command.addAll(List.of(args));
    return run(limit, command, ENV);
  }

  private static Map<String, String> images(String setupOutput) {
    Map<String, String> images = new LinkedHashMap<>();
    Matcher matcher = IMAGE.matcher(setupOutput);
    while (matcher.find()) {
      images.put(matcher.group(1), matcher.group(2));
    }
    assertThat(images)
        .as("images named by bin/setup deploy:\n%s", setupOutput)
        .containsKeys("DRCTL_WORKER_IMAGE", "DRCTL_TEMPORAL_IMAGE");
    return images;
  }

  /**
   * Runs a program to its end within {@code limit}; its output, or an AssertionError that shows it.
   */
  private static String run(Duration limit, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Path output = Files.createTempFile(dir, "out", ".txt");
    Process process = builder.redirectOutput(output.toFile()).start();
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          String.join(" ", command)
              + " did not finish in "
              + limit
              + ":\n"
              + Files.readString(output));
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited " + process.exitValue() + ":\n" + text);
    }
    return text;
  }

  private static Path jar() {
    return Path.of(System.getProperty("drctl.jar", "target/drctl.jar")).toAbsolutePath();
  }

  private static List<Integer> ports(int count) throws IOException {
    String base = System.getenv("DRCTL_COMPOSE_TEST_PORT_BASE");
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (base != null) {
        ports.add(Integer.parseInt(base) + i);
      } else {
        try (ServerSocket socket = new ServerSocket(0)) {
          ports.add(socket.getLocalPort());
        }
      }
    }
    return ports;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
