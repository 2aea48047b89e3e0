package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client and worker commands check before they talk to any server. */
class ClientCommandsTest {
  private static final String RUNBOOK = ServerContract.RUNBOOK.toString();

  @TempDir Path dir;

  /**
   * An address where nothing listens: a command that reached the network would fail with exit 3.
   */
  private static String deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void startChecksInputsAgainstTheRunbookBeforeConnecting() throws Exception {
    CliRun run =
        CliRun.of(
            "start",
            "approval_drill",
            "-r",
            RUNBOOK,
            "--input",
            "ticket=not-a-ticket",
            "--input",
            "colour=blue",
            "--address",
            deadAddress());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("cannot start approval_drill:")
        .contains("unknown input 'colour'; inputs: ticket")
        .contains("input 'ticket': 'not-a-ticket' does not match the pattern [A-Z]+-[0-9]+");
  }

  @Test
  void startNamesTheIncidentTypesOfTheRunbook() throws Exception {
    CliRun run = CliRun.of("start", "aproval_drill", "-r", RUNBOOK, "--address", deadAddress());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("has no incident 'aproval_drill'; did you mean 'approval_drill'?");
  }

  @Test
  void startReadsAnInputFileAndRefusesOneThatIsNotAnObject() throws Exception {
    Path inputs = Files.writeString(dir.resolve("inputs.json"), "[1, 2]");
    CliRun run =
        CliRun.of(
            "start",
            "approval_drill",
            "-r",
            RUNBOOK,
            "--input-file",
            inputs.toString(),
            "--address",
            deadAddress());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--input-file " + inputs + ": must hold a JSON object of name: value");
  }

  @Test
  void theWorkerPrintsDiagnosticsOfAnInvalidRunbookAndExitsTwo() throws Exception {
    Path broken =
        Files.writeString(
            dir.resolve("broken.json"),
            Files.readString(Path.of(RUNBOOK))
                .replace("\"action\": \"sleep\"", "\"action\": \"slep\""));
    CliRun run = CliRun.of("worker", "-r", broken.toString(), "--address", deadAddress());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("slep").contains(broken + " is not valid");
  }

  @Test
  void theWorkerRefusesAUiUrlItCannotLinkToWithoutEchoingCredentials() throws Exception {
    CliRun ftp =
        CliRun.of(
            "worker", "-r", RUNBOOK, "--ui-url", "ftp://ui.example", "--address", deadAddress());
    assertThat(ftp.exitCode()).isEqualTo(2);
    assertThat(ftp.err())
        .contains("--ui-url: the Temporal UI URL must be http(s)://HOST[:PORT][/PATH]");
    CliRun credentials =
        CliRun.of(
            "worker",
            "-r",
            RUNBOOK,
            "--ui-url",
            "https://admin:hunter2@ui.example",
            "--address",
            deadAddress());
    assertThat(credentials.exitCode()).isEqualTo(2);
    assertThat(credentials.err()).contains("without credentials").doesNotContain("hunter2");
    // drctl start checks it before it connects or starts anything.
    CliRun start =
        CliRun.of(
            "start",
            "approval_drill",
            "-r",
            "src/test/resources/approval-drill.json",
            "--input",
            "ticket=OPS-1",
            "--ui-url",
            "ftp://ui.example",
            "--address",
            deadAddress());
    assertThat(start.exitCode()).isEqualTo(2);
    assertThat(start.err())
        .contains("--ui-url: the Temporal UI URL must be http(s)://HOST[:PORT][/PATH]");
  }

  @Test
  void badConnectionOptionsAreOneLineWithExitTwo() {
    CliRun run = CliRun.of("list", "--address", "temporal.example.com");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "drctl: --address 'temporal.example.com': the port is missing, e.g. temporal.example.com:7233\n");
    CliRun tls = CliRun.of("status", "x", "--address", "localhost:7233", "--tls-key", RUNBOOK);
    assertThat(tls.exitCode()).isEqualTo(2);
    assertThat(tls.err()).contains("--tls-key-path " + RUNBOOK + " needs --tls-cert-path");
  }

  @Test
  void operatorCommandsNeedAReason() {
    CliRun run = CliRun.of("approve", "some-incident", "--address", "localhost:7233");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--reason=TEXT'");
  }

  @Test
  void devKeepsItsStateUnderTheRepositoryUnlessDrctlStateSaysOtherwise() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve("runbooks"));
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Path worker = Files.createDirectories(repo.resolve("worker"));
    assertThat(DevCommand.defaultStateDir(null, worker)).isEqualTo(repo.resolve(".state"));
    assertThat(DevCommand.defaultStateDir("/var/lib/drctl", worker))
        .isEqualTo(Path.of("/var/lib/drctl"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    assertThat(DevCommand.defaultStateDir("", elsewhere)).isEqualTo(elsewhere.resolve(".state"));
  }
}
