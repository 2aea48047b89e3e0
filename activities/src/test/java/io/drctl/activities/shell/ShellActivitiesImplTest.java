package io.drctl.activities.shell;

import static io.drctl.activities.shell.ShellTestSupport.PARENT_WITH_CHILD;
import static io.drctl.activities.shell.ShellTestSupport.TOKEN;
import static io.drctl.activities.shell.ShellTestSupport.allGone;
import static io.drctl.activities.shell.ShellTestSupport.applicationFailure;
import static io.drctl.activities.shell.ShellTestSupport.awaitPids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shell.exec} against real processes, through Temporal's activity test environment. */
class ShellActivitiesImplTest {
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setHeartbeatTimeout(Duration.ofSeconds(1))
          .build();

  @TempDir Path directory;

  private TestActivityEnvironment environment;
  private ShellActivities shell;
  private final List<ShellExecProgress> heartbeats = new CopyOnWriteArrayList<>();
  private final List<Long> spawned = new ArrayList<>();

  @BeforeEach
  void startEnvironment() throws Exception {
    Path keyFile = Files.writeString(directory.resolve("key"), "file-secret-42\n");
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new ShellActivitiesImpl(
            new SecretResolver(Map.of("DRCTL_TEST_TOKEN", TOKEN)), ShellTestSupport.options()));
    environment.setActivityHeartbeatListener(ShellExecProgress.class, heartbeats::add);
    shell = environment.newActivityStub(ShellActivities.class, OPTIONS);
    assertThat(keyFile).exists();
  }

  @AfterEach
  void stopEnvironment() {
    // A failed test must not leave its sleep 300 behind.
    spawned.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    environment.close();
  }

  @Test
  void echoReturnsItsOutputAndExitCodeZero() {
    ShellExecResult result = shell.exec(ShellExecInput.of("echo", "hello", "world"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("hello world\n");
    assertThat(result.stderr()).isEmpty();
    assertThat(result.truncated()).isFalse();
    assertThat(result.durationMillis()).isBetween(0L, 10_000L);
  }

  @Test
  void argumentsReachTheProgramVerbatimWithoutShellExpansion() {
    ShellExecResult result =
        shell.exec(ShellExecInput.of("printf", "%s|", "$HOME", "a b", "*", "; rm -rf /"));

    assertThat(result.stdout()).isEqualTo("$HOME|a b|*|; rm -rf /|");
  }

  @Test
  void stdinIsWrittenToTheProgram() {
    ShellExecResult result = shell.exec(ShellExecInput.of("cat").withStdin("line one\nline two\n"));

    assertThat(result.stdout()).isEqualTo("line one\nline two\n");
  }

  @Test
  void withoutStdinTheProgramReadsEndOfFileAtOnce() {
    ShellExecResult result = shell.exec(ShellExecInput.of("cat"));

    assertThat(result.stdout()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void exitCodeEqualToTheExpectedOneSucceeds() {
    ShellExecResult result =
        shell.exec(ShellExecInput.of("sh", "-c", "exit 3").withExpectedExitCode(3));

    assertThat(result.exitCode()).isEqualTo(3);
  }

  @Test
  void unexpectedExitCodeFailsRetryablyWithTheCodeAndTheLastLinesOfStderr() {
    String script = "for i in $(seq 1 15); do echo \"problem $i\" >&2; done; echo partial; exit 4";

    ApplicationFailure failure =
        applicationFailure(() -> shell.exec(ShellExecInput.of("sh", "-c", script)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.UNEXPECTED_EXIT_CODE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("exited with code 4, expected 0")
        .contains("problem 6\n")
        .endsWith("problem 15")
        .doesNotContain("problem 5\n");
    ShellExecResult details = failure.getDetails().get(ShellExecResult.class);
    assertThat(details.exitCode()).isEqualTo(4);
    assertThat(details.stdout()).isEqualTo("partial\n");
  }

  @Test
  void missingProgramFailsNonRetryablyWithCommandNotFound() {
    ApplicationFailure failure =
        applicationFailure(() -> shell.exec(ShellExecInput.of("drctl-no-such-program", "x")));

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("drctl-no-such-program");
  }

  @Test
  void missingProgramPathFailsNonRetryablyWithCommandNotFound() {
    ApplicationFailure failure =
        applicationFailure(() -> shell.exec(ShellExecInput.of("/nonexistent/bin/tool")));

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void fileWithoutExecutePermissionFailsNonRetryablyWithCommandNotExecutable() throws Exception {
    Path script = Files.writeString(directory.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

    ApplicationFailure failure =
        applicationFailure(
            () ->
                shell.exec(
                    ShellExecInput.of("./script.sh").withWorkingDirectory(directory.toString())));

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_NOT_EXECUTABLE);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void programIsLookedUpInThePathTheStepGives() throws Exception {
    Path bin = Files.createDirectory(directory.resolve("bin"));
    Path tool =
        Files.writeString(bin.resolve("drctl-test-tool"), "#!/bin/sh\necho from step path\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    ShellExecResult result =
        shell.exec(
            ShellExecInput.of("drctl-test-tool")
                .withEnv(Map.of("PATH", bin + ":" + System.getenv("PATH"))));

    assertThat(result.stdout()).isEqualTo("from step path\n");
  }

  @Test
  void secretReferencesInEnvAreResolvedAndRedactedFromTheOutput() {
    String script =
        "echo \"token=$TOKEN\"; echo \"key=$KEY\" >&2; printf %s \"$TOKEN$KEY\" | wc -c";

    ShellExecResult result =
        shell.exec(
            ShellExecInput.of("sh", "-c", script)
                .withEnv(
                    Map.of(
                        "TOKEN",
                        "env:DRCTL_TEST_TOKEN",
                        "KEY",
                        "file:" + directory.resolve("key"))));

    // The program saw both values (12 + 14 characters); the output shows neither.
    assertThat(result.stdout()).isEqualTo("token=****\n26\n");
    assertThat(result.stderr()).isEqualTo("key=****\n");
  }

  @Test
  void secretValuesDoNotReachTheFailureMessage() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                shell.exec(
                    ShellExecInput.of("sh", "-c", "echo \"bad token $TOKEN\" >&2; exit 1")
                        .withEnv(Map.of("TOKEN", "env:DRCTL_TEST_TOKEN"))));

    assertThat(failure.getOriginalMessage()).contains("bad token ****").doesNotContain(TOKEN);
    assertThat(failure.getDetails().get(ShellExecResult.class).stderr()).doesNotContain(TOKEN);
  }

  @Test
  void aSecretCutByTruncationLeavesNoFragmentInTheOutput() {
    String script = "i=0; while [ $i -lt 1000 ]; do printf %s \"$TOKEN\"; i=$((i+1)); done";

    ShellExecResult result =
        shell.exec(
            ShellExecInput.of("sh", "-c", script)
                .withEnv(Map.of("TOKEN", "env:DRCTL_TEST_TOKEN"))
                .withMaxOutputBytes(4096));

    assertThat(result.stdout()).matches("(\\*\\*\\*\\*)+");
    assertThat(result.truncated()).isTrue();
  }

  @Test
  void onlyPathHomeLangAndTheStepEnvReachTheProgram() {
    ShellExecResult result =
        shell.exec(ShellExecInput.of("env").withEnv(Map.of("GREETING", "env-is-not-a-ref=1")));

    List<String> names =
        result.stdout().lines().map(line -> line.substring(0, line.indexOf('='))).toList();
    assertThat(names).contains("PATH", "GREETING").doesNotContain("DRCTL_WORKER_ONLY");
    assertThat(names).isSubsetOf("PATH", "HOME", "LANG", "GREETING", "PWD");
    assertThat(result.stdout()).contains("GREETING=env-is-not-a-ref=1\n");
  }

  @Test
  void unavailableSecretFailsNonRetryablyBeforeAnythingRuns() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                shell.exec(
                    ShellExecInput.of("touch", "ran")
                        .withWorkingDirectory(directory.toString())
                        .withEnv(Map.of("TOKEN", "env:DRCTL_NOT_SET"))));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env:DRCTL_NOT_SET");
    assertThat(directory.resolve("ran")).doesNotExist();
  }

  @Test
  void malformedSecretReferenceFailsNonRetryablyAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () -> shell.exec(ShellExecInput.of("true").withEnv(Map.of("TOKEN", "env:"))));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env.TOKEN");
  }

  @Test
  void outputBeyondMaxOutputBytesKeepsTheTailAndSaysItWasTruncated() {
    ShellExecResult result =
        shell.exec(ShellExecInput.of("seq", "1", "100000").withMaxOutputBytes(100));

    assertThat(result.stdout()).hasSizeLessThanOrEqualTo(100).endsWith("99999\n100000\n");
    assertThat(result.truncated()).isTrue();
  }

  @Test
  void zeroMaxOutputBytesKeepsNothing() {
    ShellExecResult result = shell.exec(ShellExecInput.of("echo", "hi").withMaxOutputBytes(0));

    assertThat(result.stdout()).isEmpty();
    assertThat(result.truncated()).isTrue();
  }

  @Test
  void programRunsInTheGivenWorkingDirectory() throws Exception {
    ShellExecResult result =
        shell.exec(ShellExecInput.of("pwd").withWorkingDirectory(directory.toString()));

    assertThat(result.stdout().strip()).isEqualTo(directory.toRealPath().toString());
  }

  @Test
  void relativeProgramPathIsResolvedInTheWorkingDirectory() throws Exception {
    Path script =
        Files.writeString(directory.resolve("hello.sh"), "#!/bin/sh\necho hello from $0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    ShellExecResult result =
        shell.exec(ShellExecInput.of("./hello.sh").withWorkingDirectory(directory.toString()));

    assertThat(result.stdout()).startsWith("hello from ").endsWith("hello.sh\n");
  }

  @Test
  void withoutWorkingDirectoryTheProgramRunsInAFreshTemporaryDirectoryRemovedAfterwards() {
    ShellExecResult result = shell.exec(ShellExecInput.of("sh", "-c", "pwd; ls -A; touch left"));

    String[] lines = result.stdout().split("\n");
    assertThat(lines).hasSize(1);
    Path temporary = Path.of(lines[0]);
    assertThat(temporary.getParent().getFileName().toString()).startsWith("drctl-shell-");
    assertThat(temporary.getParent()).doesNotExist();
  }

  @Test
  void theScratchDirectoryOfAWorkerKilledDuringAStepIsSweptByTheNextStepThatMakesOne()
      throws Exception {
    // What a worker killed with SIGKILL during a step leaves: its scratch directory, naming an
    // owner process that is gone, with the step's files in it.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path abandoned =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "drctl-shell-");
    Files.writeString(abandoned.resolve(OwnedTempDirectory.OWNER_FILE), gone.pid() + " 1\n");
    Files.writeString(Files.createDirectory(abandoned.resolve("work")).resolve("partial"), "x");

    ShellExecResult result = shell.exec(ShellExecInput.of("true"));

    assertThat(result.exitCode()).isZero();
    // Before, it stayed in the temporary directory for good.
    assertThat(abandoned).doesNotExist();
  }

  @Test
  void missingWorkingDirectoryFailsNonRetryablyAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                shell.exec(
                    ShellExecInput.of("true")
                        .withWorkingDirectory(directory.resolve("absent").toString())));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void emptyArgvFailsNonRetryablyAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () -> shell.exec(new ShellExecInput(List.of(), null, null, null, null, null)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void heartbeatsReportElapsedSecondsOutputBytesAndTheRedactedLastLine() {
    shell.exec(
        ShellExecInput.of("sh", "-c", "echo first; echo \"using $TOKEN\"; sleep 3")
            .withEnv(Map.of("TOKEN", "env:DRCTL_TEST_TOKEN")));

    assertThat(heartbeats).isNotEmpty();
    assertThat(heartbeats)
        .anySatisfy(
            progress -> {
              assertThat(progress.lastLine()).isEqualTo("using ****");
              assertThat(progress.stdoutBytes()).isEqualTo("first\nusing s3cr3t-token\n".length());
              assertThat(progress.stderrBytes()).isZero();
            });
    assertThat(heartbeats.get(heartbeats.size() - 1).elapsedSeconds()).isGreaterThanOrEqualTo(1);
    assertThat(heartbeats)
        .allSatisfy(progress -> assertThat(progress.lastLine()).doesNotContain(TOKEN));
  }

  @Test
  void cancellationKillsTheProgramAndItsChildren() throws Exception {
    CompletableFuture<ShellExecResult> call =
        CompletableFuture.supplyAsync(
            () ->
                shell.exec(
                    new ShellExecInput(
                        PARENT_WITH_CHILD, null, directory.toString(), null, null, null)));
    List<Long> pids = awaitPids(directory);
    spawned.addAll(pids);
    assertThat(pids).allMatch(ShellTestSupport::running);

    environment.requestCancelActivity();

    Throwable thrown = catchThrowable(() -> call.get(20, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(allGone(pids))
        .as("shell %s and its sleep %s are gone", pids.get(0), pids.get(1))
        .isTrue();
  }

  @Test
  void startToCloseTimeoutKillsTheProgramAndItsChildrenWithCommandTimedOut() throws Exception {
    ShellActivities shortShell =
        environment.newActivityStub(
            ShellActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(2))
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .build());
    CompletableFuture<ApplicationFailure> call =
        CompletableFuture.supplyAsync(
            () ->
                applicationFailure(
                    () ->
                        shortShell.exec(
                            new ShellExecInput(
                                PARENT_WITH_CHILD, null, directory.toString(), null, null, null))));
    List<Long> pids = awaitPids(directory);
    spawned.addAll(pids);

    ApplicationFailure failure = call.get(20, TimeUnit.SECONDS);

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_TIMED_OUT);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("start-to-close timeout of 2.0 s");
    assertThat(allGone(pids)).isTrue();
  }
}
