package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.worker.codec.CodecTestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * answers the UI's origin, and an encrypted incident runs through it to the end.
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
    String cli = System.getenv("DRCTL_TEMPORAL_CLI");
    assumeTrue(
        cli != null && Files.isExecutable(Path.of(cli)),
        "the Temporal CLI (bin/setup temporal) is needed");
    Path keys = CodecTestKeys.file(dir, CodecTestKeys.keys("dev-1"), "dev-1");
    int port = FreePorts.any();
    int uiPort = FreePorts.any();
    Path log = dir.resolve("dev.log");
    dev =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
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
                    RUNBOOK.toString(),
                    "--codec-keys",
                    keys.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    CliRun banner =
        ContractServers.await(
            () -> new CliRun(0, read(log), ""),
            out -> out.contains("Web UI ") || !dev.isAlive(),
            Duration.ofSeconds(120));
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

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
