package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.codec.CodecTestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl dev} as a newcomer runs it, in its own process on the Temporal CLI's dev server:
 * with {@code --codec-keys} it serves a codec server of its own for the dev server's Web UI, which
 * answers the UI's origin, and an encrypted incident runs through it to the end. When its server
 * dies, it stops and says why.
 */
class DevCommandTest {
  private static final Path RUNBOOK = Path.of("src", "test", "resources", "approval-drill.json");
  private static final Pattern CODEC =
      Pattern.compile("through drctl's codec server at (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;
  private Process dev;

  @AfterEach
  void stop() throws InterruptedException {
    if (dev != null) {
      dev.destroy();
      if (!dev.waitFor(30, TimeUnit.SECONDS)) {
        dev.destroyForcibly();
      }
    }
  }

  @Test
  void withCodecKeysTheWebUiGetsACodecServerAndAnEncryptedIncidentRuns() throws Exception {
    assumeCli();
    Path keys = CodecTestKeys.file(dir, CodecTestKeys.keys("dev-1"), "dev-1");
    int port = FreePorts.any();
    int uiPort = FreePorts.any();
    CliRun banner = startDev(port, uiPort, "--codec-keys", keys.toString());
    Matcher codec = CODEC.matcher(banner.out());
    assertThat(codec.find()).as(banner.out()).isTrue();

    String uiOrigin = "http://127.0.0.1:" + uiPort;
    HttpResponse<String> preflight =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(codec.group(1) + "/decode"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", uiOrigin)
                    .header("Access-Control-Request-Method", "POST")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .as(preflight.toString())
        .hasValue(uiOrigin);

    String id = "dev-drill-" + UUID.randomUUID().toString().substring(0, 8);
    String address = "127.0.0.1:" + port;
    CliRun started =
        CliRun.of(
            "start",
            "approval_drill",
            "-r",
            RUNBOOK.toString(),
            "--address",
            address,
            "--codec-keys",
            keys.toString(),
            "--id",
            id,
            "--input",
            "ticket=OPS-42",
            "--by",
            "alice");
    assertThat(started.exitCode()).as(started.err()).isZero();
    CliRun waiting =
        ContractServers.await(
            () -> CliRun.of("status", id, "--address", address, "--codec-keys", keys.toString()),
            out -> out.contains("waiting-approval"),
            Duration.ofSeconds(60));
    assertThat(waiting.out()).contains("Drill for OPS-42");
    CliRun approved =
        CliRun.of(
            "approve",
            id,
            "--address",
            address,
            "--codec-keys",
            keys.toString(),
            "--by",
            "bob",
            "--reason",
            "drill");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    ContractServers.await(
        () -> CliRun.of("status", id, "--address", address, "--codec-keys", keys.toString()),
        out -> out.contains("outcome   succeeded"),
        Duration.ofSeconds(60));
  }

  @Test
  void whenItsTemporalServerDiesDrctlDevStopsTheWorkerAndSaysWhy() throws Exception {
    assumeCli();
    CliRun banner = startDev(FreePorts.any(), FreePorts.any());
    assertThat(banner.out()).contains("Web UI ");
    ProcessHandle server =
        dev.descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("/temporal")).orElse(false))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no temporal process under drctl dev"));

    server.destroyForcibly(); // SIGKILL, as the OOM killer would

    assertThat(dev.waitFor(30, TimeUnit.SECONDS)).as("drctl dev ended").isTrue();
    String out = read(dir.resolve("dev.log"));
    // Before, drctl dev went on running a worker that polled a server that was gone.
    assertThat(dev.exitValue()).as(out).isEqualTo(TemporalSetupException.UNAVAILABLE);
    assertThat(out)
        .contains("the Temporal dev server exited with status 137 after it started")
        .contains("drctl dev: stopping the worker; start drctl dev again to go on");
  }

  private static void assumeCli() {
    String cli = System.getenv("DRCTL_TEMPORAL_CLI");
    assumeTrue(
        cli != null && Files.isExecutable(Path.of(cli)),
        "the Temporal CLI (bin/setup temporal) is needed");
  }

  /**
   * Starts {@code drctl dev} on the CLI's dev server with the approval drill and {@code more}
   * options, and returns once it has printed its banner (or ended).
   */
  private CliRun startDev(int port, int uiPort, String... more) throws Exception {
    Path log = dir.resolve("dev.log");
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "dev",
                "--server",
                "cli",
                "--port",
                String.valueOf(port),
                "--ui-port",
                String.valueOf(uiPort),
                "--state-dir",
                dir.resolve("state").toString(),
                "--runbook",
                RUNBOOK.toString()));
    arguments.addAll(List.of(more));
    dev =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    arguments.toArray(String[]::new)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return ContractServers.await(
        () -> new CliRun(0, read(log), ""),
        out -> out.contains("Web UI ") || !dev.isAlive(),
        Duration.ofSeconds(120));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
