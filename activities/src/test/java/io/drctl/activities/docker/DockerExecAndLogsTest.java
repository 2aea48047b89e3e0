package io.drctl.activities.docker;

import static io.drctl.activities.docker.DockerTestEngine.containerTarget;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.InjectionPayloads;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** exec and logs against the real engine. */
class DockerExecAndLogsTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();
  private static final String TOKEN = "s3cr3t-t0ken-value";

  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;
  private String container;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation =
        new DockerActivitiesImpl(new SecretResolver(Map.of("APP_TOKEN", TOKEN)), docker.options());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(DockerActivities.class, DockerLifecycleTest.OPTIONS);
    container =
        docker.run(
            "app",
            create ->
                create.withCmd(
                    "sh",
                    "-c",
                    // The engine copies stdout and stderr concurrently: pauses keep the log's order
                    // certain.
                    "trap 'exit 0' TERM; for i in $(seq 1 50); do echo out-$i; done; sleep 0.3;"
                        + " for i in $(seq 1 50); do echo err-$i >&2; done; sleep 0.3; echo ready;"
                        + " while true; do sleep 0.1; done"));
    targets = containerTarget("app", container, null);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  private DockerExecInput exec(String... argv) {
    return DockerExecInput.of("app", targets, argv);
  }

  @Test
  void execCapturesStdoutStderrAndTheExitCode() {
    DockerExecResult result = activities.exec(exec("sh", "-c", "echo out; echo err >&2"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.truncated()).isFalse();
    assertThat(result.durationMillis()).isBetween(0L, 10_000L);
  }

  @Test
  void execWritesStdinAndClosesItSoTheCommandSeesItsEnd() {
    String big = "x".repeat(1 << 20);

    DockerExecResult echoed = activities.exec(exec("cat").withStdin("hello\nworld"));
    DockerExecResult counted = activities.exec(exec("wc", "-c").withStdin(big));

    assertThat(echoed.stdout()).isEqualTo("hello\nworld");
    assertThat(counted.stdout().strip()).isEqualTo(String.valueOf(big.length()));
  }

  @Test
  void execWithAnotherExitCodeFailsRetryablyWithUnexpectedExitCodeAndTheOutputAsDetails() {
    ApplicationFailure failure =
        applicationFailure(
            () -> activities.exec(exec("sh", "-c", "echo partial; echo 'disk full' >&2; exit 4")));
    DockerExecResult expected = activities.exec(exec("sh", "-c", "exit 4").withExpectedExitCode(4));

    assertThat(failure.getType()).isEqualTo(ActionFailures.UNEXPECTED_EXIT_CODE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith(
            "sh exited with code 4 in container '" + container + "' (target app), expected 0")
        .endsWith("last lines of stderr:\ndisk full");
    DockerExecResult details = failure.getDetails().get(DockerExecResult.class);
    assertThat(details.exitCode()).isEqualTo(4);
    assertThat(details.stdout()).isEqualTo("partial\n");
    assertThat(expected.exitCode()).isEqualTo(4);
  }

  @Test
  void execOfAProgramTheContainerDoesNotHaveFailsWithTheEnginesExitCode() {
    ApplicationFailure failure = applicationFailure(() -> activities.exec(exec("no-such-program")));

    assertThat(failure.getType()).isEqualTo(ActionFailures.UNEXPECTED_EXIT_CODE);
    assertThat(failure.getDetails().get(DockerExecResult.class).exitCode()).isIn(126, 127);
  }

  @Test
  void execResolvesSecretReferencesInEnvAndMasksTheirValuesInTheOutput() {
    DockerExecResult result =
        activities.exec(
            exec("sh", "-c", "echo token=$APP_TOKEN; echo $PLAIN >&2")
                .withEnv(Map.of("APP_TOKEN", "env:APP_TOKEN", "PLAIN", "visible")));
    ApplicationFailure unresolvable =
        applicationFailure(
            () -> activities.exec(exec("true").withEnv(Map.of("X", "env:DRCTL_NOT_SET"))));

    assertThat(result.stdout()).isEqualTo("token=****\n");
    assertThat(result.stderr()).isEqualTo("visible\n");
    assertThat(unresolvable.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(unresolvable.isNonRetryable()).isTrue();
  }

  @Test
  void execKeepsTheTailOfOutputBeyondMaxOutputBytes() {
    DockerExecResult result = activities.exec(exec("seq", "1", "20000").withMaxOutputBytes(100));

    assertThat(result.truncated()).isTrue();
    assertThat(result.stdout()).hasSizeLessThanOrEqualTo(100).endsWith("19999\n20000\n");
  }

  @Test
  void execRunsAsTheGivenUserInTheGivenDirectory() {
    DockerExecResult result =
        activities.exec(
            exec("sh", "-c", "id -u; pwd").withUser("nobody").withWorkingDirectory("/www"));

    assertThat(result.stdout()).isEqualTo("65534\n/www\n");
  }

  @Test
  void execInAStoppedContainerFailsRetryablyWithContainerNotRunning() {
    String stopped = docker.create("stopped", create -> {});

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.exec(
                    DockerExecInput.of("app", containerTarget("app", stopped, null), "true")));

    assertThat(failure.getType()).isEqualTo(DockerFailures.CONTAINER_NOT_RUNNING);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void logsReturnsTheLastLinesOfStdoutAndStderr() {
    awaitLog("ready");

    DockerLogsResult result =
        activities.logs(DockerLogsInput.of("app", targets).withTail(5).withSince("1h"));

    assertThat(result.lines()).isEqualTo(5);
    assertThat(result.matches()).isEqualTo(5);
    assertThat(result.text()).isEqualTo("err-47\nerr-48\nerr-49\nerr-50\nready\n");
  }

  @Test
  void logsGrepCountsEveryMatchButKeepsOnlyWhatFitsInMaxOutputBytes() {
    awaitLog("ready");

    DockerLogsResult all =
        activities.logs(DockerLogsInput.of("app", targets).withGrep("^err-4\\d$"));
    DockerLogsResult bounded =
        activities.logs(
            DockerLogsInput.of("app", targets).withGrep("^err-4\\d$").withMaxOutputBytes(14));

    assertThat(all.matches()).isEqualTo(10);
    assertThat(all.lines()).isEqualTo(10);
    assertThat(all.text()).startsWith("err-40\n").endsWith("err-49\n");
    assertThat(bounded.matches()).isEqualTo(10);
    assertThat(bounded.text()).isEqualTo("err-48\nerr-49\n");
    assertThat(bounded.lines()).isEqualTo(2);
  }

  @Test
  void logsSinceDropsEveryLineFromBeforeThatInstantNotJustThoseOfEarlierWholeSeconds()
      throws Exception {
    // Every 20 ms the container logs what /tmp/phase says.
    String ticker =
        docker.run(
            "ticker",
            create ->
                create.withCmd(
                    "sh",
                    "-c",
                    "trap 'exit 0' TERM; echo old > /tmp/phase; while true; do cat /tmp/phase; sleep 0.02; done"));
    Map<String, JsonNode> tickerTargets = containerTarget("ticker", ticker, null);
    Thread.sleep(1200);
    // Well into a second: the engine's whole-second filter would bring 400 ms or more of "old".
    while (Instant.now().getNano() < 400_000_000) {
      Thread.sleep(5);
    }
    activities.exec(
        DockerExecInput.of("ticker", tickerTargets, "sh", "-c", "echo new > /tmp/phase"));
    // A line read just before the write may be stamped just after it: 50 ms of slack.
    Instant boundary = Instant.now().plusMillis(50);
    Thread.sleep(300);

    long since = Duration.between(boundary, Instant.now()).toMillis();
    DockerLogsResult result =
        activities.logs(DockerLogsInput.of("ticker", tickerTargets).withSince(since + "ms"));

    assertThat(result.text().lines().toList()).isNotEmpty().containsOnly("new");
    assertThat(activities.logs(DockerLogsInput.of("ticker", tickerTargets).withSince("1m")).text())
        .contains("old\n");
  }

  @Test
  void logsOfAMissingContainerFailsNonRetryablyAndABadPatternAsInvalidInput() {
    ApplicationFailure missing =
        applicationFailure(
            () ->
                activities.logs(
                    DockerLogsInput.of(
                        "app", containerTarget("app", docker.name("absent"), null))));
    ApplicationFailure pattern =
        applicationFailure(
            () -> activities.logs(DockerLogsInput.of("app", targets).withGrep("(unclosed")));

    assertThat(missing.getType()).isEqualTo(DockerFailures.NO_SUCH_CONTAINER);
    assertThat(missing.isNonRetryable()).isTrue();
    assertThat(pattern.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
  }

  private void awaitLog(String line) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (activities
          .logs(DockerLogsInput.of("app", targets).withTail(1))
          .text()
          .equals(line + "\n")) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("the container did not log " + line + " within 10 s");
  }

  static List<String> payloads() {
    return InjectionPayloads.all();
  }

  /** Issue 14's injection check: no shell reads a payload, and x planted in /w stays. */
  @ParameterizedTest
  @MethodSource("payloads")
  void aPayloadIsOneArgumentOneVariableOrInputBytesInTheContainer(String payload) {
    docker.shell(container, "mkdir -p /w/x && echo kept > /w/x/kept");
    DockerExecInput direct =
        DockerExecInput.of("app", targets, "printf", "%s", payload).withWorkingDirectory("/w");
    DockerExecInput script =
        DockerExecInput.of("app", targets, "sh", "-c", "printf '%s|' \"$#\" \"$1\"", "sh", payload)
            .withWorkingDirectory("/w");
    DockerExecInput env =
        DockerExecInput.of("app", targets, "sh", "-c", "printf %s \"$PAYLOAD\"")
            .withEnv(Map.of("PAYLOAD", payload))
            .withWorkingDirectory("/w");
    DockerExecInput stdin =
        DockerExecInput.of("app", targets, "cat").withStdin(payload).withWorkingDirectory("/w");

    if (payload.indexOf('\0') >= 0) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.exec(direct)), "argv[2]");
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.exec(script)), "argv[4]");
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.exec(env)), "env.PAYLOAD");
    } else {
      assertThat(activities.exec(direct).stdout()).isEqualTo(payload);
      assertThat(activities.exec(script).stdout()).isEqualTo("1|" + payload + "|");
      assertThat(activities.exec(env).stdout()).isEqualTo(payload);
    }
    assertThat(activities.exec(stdin).stdout()).isEqualTo(payload);
    assertThat(docker.shell(container, "ls -A /w; cat /w/x/kept")).isEqualTo("x\nkept\n");
  }
}
