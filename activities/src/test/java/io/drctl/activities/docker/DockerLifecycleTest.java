package io.drctl.activities.docker;

import static io.drctl.activities.docker.DockerTestEngine.containerTarget;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.testing.FreePorts;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * restart, start, stop, inspect and waitHealthy against the real engine, through Temporal's
 * activity test environment.
 */
class DockerLifecycleTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();

  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setHeartbeatTimeout(Duration.ofSeconds(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;
  private final List<DockerProgress> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation = new DockerActivitiesImpl(new SecretResolver(Map.of()), docker.options());
    environment.registerActivitiesImplementations(implementation);
    environment.setActivityHeartbeatListener(DockerProgress.class, heartbeats::add);
    activities = environment.newActivityStub(DockerActivities.class, OPTIONS);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  @Test
  void restartOfAServiceWithoutHealthCheckIsHealthyOnceItStaysUp() {
    String container = docker.run("svc", create -> {});
    String startedBefore = inspect(container).getState().getStartedAt();

    DockerRestartResult result =
        activities.restart(DockerRestartInput.of("svc", containerTarget("svc", container, null)));

    assertThat(result.healthy()).isTrue();
    assertThat(result.health()).isEqualTo("running");
    assertThat(result.restarts()).isEqualTo(1);
    assertThat(result.containerId()).isEqualTo(inspect(container).getId());
    assertThat(result.startedAt())
        .isNotEqualTo(startedBefore)
        .isEqualTo(inspect(container).getState().getStartedAt());
    assertThat(result.durationSeconds()).isGreaterThanOrEqualTo(0.5);
    assertThat(heartbeats).first().extracting(DockerProgress::phase).isEqualTo("stopping");
  }

  @Test
  void restartWaitsForTheContainersOwnHealthCheck() {
    String container =
        docker.run(
            "checked",
            create ->
                create
                    .withHealthcheck(readyCheck())
                    .withCmd(
                        "sh",
                        "-c",
                        "trap 'exit 0' TERM; rm -f /tmp/ready; (sleep 1; touch /tmp/ready) & while true; do sleep 0.1; done"));

    DockerRestartResult result =
        activities.restart(DockerRestartInput.of("db", containerTarget("db", container, null)));

    assertThat(result.healthy()).isTrue();
    assertThat(result.health()).isEqualTo("healthy");
    // Ready by its own check run by the restart; Docker's next look may still be to come.
    assertThat(inspect(container).getState().getHealth().getStatus()).isIn("starting", "healthy");
    assertThat(result.durationSeconds()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void restartRunsTheHealthCommandItselfInsteadOfWaitingForDockersFirstCheck() {
    // Docker runs the first check one interval after the start: 5 minutes here.
    HealthCheck seldom =
        new HealthCheck()
            .withTest(List.of("CMD-SHELL", "test -f /tmp/ready && test \"$ROLE\" = cache"))
            .withInterval(Duration.ofMinutes(5).toNanos())
            .withRetries(1)
            .withTimeout(millis(2000));
    String ready =
        docker.run(
            "seldom",
            create ->
                create
                    .withHealthcheck(seldom)
                    .withEnv("ROLE=cache")
                    .withCmd(
                        "sh",
                        "-c",
                        "trap 'exit 0' TERM; rm -f /tmp/ready; (sleep 1; touch /tmp/ready) & while true; do sleep 0.1; done"));
    String never =
        docker.run("never", create -> create.withHealthcheck(seldom).withEnv("ROLE=cache"));

    DockerRestartResult result =
        activities.restart(
            DockerRestartInput.of("db", containerTarget("db", ready, null))
                .withHealth(true, "30s", null)
                .withMaxAttempts(1));
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.restart(
                    DockerRestartInput.of("db", containerTarget("db", never, null))
                        .withHealth(true, "3s", null)
                        .withMaxAttempts(1)));

    assertThat(result.healthy()).isTrue();
    assertThat(result.health()).isEqualTo("healthy");
    assertThat(result.durationSeconds()).isGreaterThanOrEqualTo(1.0);
    assertThat(inspect(ready).getState().getHealth().getStatus()).isEqualTo("starting");
    assertThat(failure.getType()).isEqualTo(DockerFailures.UNHEALTHY);
    assertThat(failure.getOriginalMessage()).contains("last health: starting");
  }

  @Test
  void restartUsesTheTargetsHealthUrlWhenTheContainerHasNoHealthCheck() {
    int port = FreePorts.any();
    String container = docker.run("web", create -> httpd(create, port));
    String url = "http://127.0.0.1:" + port + "/health";

    DockerRestartResult result =
        activities.restart(DockerRestartInput.of("web", containerTarget("web", container, url)));
    ApplicationFailure wrongUrl =
        applicationFailure(
            () ->
                activities.restart(
                    DockerRestartInput.of("web", containerTarget("web", container, url))
                        .withHealth(true, "1s", "http://127.0.0.1:" + port + "/missing")
                        .withMaxAttempts(1)));

    assertThat(result.healthy()).isTrue();
    assertThat(result.health()).isEqualTo("healthy");
    assertThat(wrongUrl.getType()).isEqualTo(DockerFailures.UNHEALTHY);
    assertThat(wrongUrl.getOriginalMessage()).contains("last health: unhealthy");
  }

  @Test
  void restartOfACommandThatKeepsCrashingGivesUpAfterThreeAttemptsAsUnhealthy() {
    String container =
        docker.run(
            "crash",
            create -> create.withCmd("sh", "-c", "echo 'fatal: config missing' >&2; exit 3"));

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.restart(
                    DockerRestartInput.of("app", containerTarget("app", container, null))));

    assertThat(failure.getType()).isEqualTo(DockerFailures.UNHEALTHY);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("was not healthy after 3 restarts")
        .contains("last health: exited")
        .contains("fatal: config missing");
    DockerRestartResult details = failure.getDetails().get(DockerRestartResult.class);
    assertThat(details.restarts()).isEqualTo(3);
    assertThat(details.healthy()).isFalse();
  }

  @Test
  void restartOfAMissingContainerFailsNonRetryablyWithNoSuchContainer() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.restart(
                    DockerRestartInput.of(
                        "app", containerTarget("app", docker.name("absent"), null))));

    assertThat(failure.getType()).isEqualTo(DockerFailures.NO_SUCH_CONTAINER);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void stopReportsTheExitAndIsANoOpTheSecondTime() {
    String container = docker.run("svc", create -> {});

    DockerStopResult first =
        activities.stop(DockerStopInput.of("svc", containerTarget("svc", container, null)));
    DockerStopResult second =
        activities.stop(DockerStopInput.of("svc", containerTarget("svc", container, null)));

    assertThat(first.wasRunning()).isTrue();
    assertThat(first.exitCode()).isZero();
    assertThat(first.stoppedAt()).startsWith("20");
    assertThat(second.wasRunning()).isFalse();
    assertThat(inspect(container).getState().getRunning()).isFalse();
  }

  @Test
  void stopKillsAServiceThatIgnoresSigtermAfterTheGracePeriod() {
    String container =
        docker.run(
            "stubborn",
            create -> create.withCmd("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"));
    long started = System.nanoTime();

    DockerStopResult result =
        activities.stop(
            DockerStopInput.of("svc", containerTarget("svc", container, null))
                .withStopTimeout("1s"));

    assertThat(result.exitCode()).isEqualTo(137);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
  }

  @Test
  void startStartsAStoppedContainerAndOnlyWaitsForARunningOne() {
    String container = docker.create("svc", create -> {});
    Map<String, JsonNode> targets = containerTarget("svc", container, null);

    DockerStartResult first = activities.start(DockerStartInput.of("svc", targets));
    DockerStartResult second = activities.start(DockerStartInput.of("svc", targets));

    assertThat(first.wasRunning()).isFalse();
    assertThat(first.healthy()).isTrue();
    assertThat(second.wasRunning()).isTrue();
    assertThat(second.startedAt()).isEqualTo(first.startedAt());
  }

  @Test
  void inspectReportsStateMountsAndAMissingContainerWithoutFailing() {
    String volume = docker.volume("data");
    String container =
        docker.run("db", create -> create.getHostConfig().withBinds(Bind.parse(volume + ":/data")));

    DockerInspectResult present =
        activities.inspect(DockerInspectInput.of("db", containerTarget("db", container, null)));
    DockerInspectResult missing =
        activities.inspect(
            DockerInspectInput.of("db", containerTarget("db", docker.name("absent"), null)));

    assertThat(present.exists()).isTrue();
    assertThat(present.running()).isTrue();
    assertThat(present.status()).isEqualTo("running");
    assertThat(present.health()).isEqualTo("none");
    assertThat(present.image()).isEqualTo(docker.image());
    assertThat(present.mounts())
        .containsExactly(
            new DockerInspectResult.Mount(
                "volume", volume, present.mounts().get(0).source(), "/data"));
    assertThat(missing).isEqualTo(DockerInspectResult.missing());
  }

  @Test
  void waitHealthyHeartbeatsEachProbeUntilTheHealthCheckTurnsGreen() {
    String container = docker.run("late", create -> create.withHealthcheck(readyCheck()));
    docker.shell(container, "(sleep 1; touch /tmp/ready) >/dev/null 2>&1 &");

    DockerWaitHealthyResult result =
        activities.waitHealthy(
            DockerWaitHealthyInput.of("db", containerTarget("db", container, null))
                .withTiming("200ms", "20s"));

    assertThat(result.healthy()).isTrue();
    assertThat(result.health()).isEqualTo("healthy");
    assertThat(result.probes()).isGreaterThan(2);
    // The SDK sends at most one heartbeat per 0.8 heartbeat timeouts; each one carries the probe
    // count.
    assertThat(heartbeats)
        .isNotEmpty()
        .allSatisfy(
            beat -> {
              assertThat(beat.phase()).isEqualTo("waiting for health");
              assertThat(beat.probes()).isBetween(1, result.probes());
            });
  }

  @Test
  void waitHealthyTimesOutAsUnhealthyWhenTheHealthCheckNeverTurnsGreen() {
    String container =
        docker.run(
            "sick",
            create ->
                create.withHealthcheck(
                    new HealthCheck()
                        .withTest(List.of("CMD", "false"))
                        .withInterval(millis(200))
                        .withRetries(1)));

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.waitHealthy(
                    DockerWaitHealthyInput.of("db", containerTarget("db", container, null))
                        .withTiming("250ms", "2s")));

    assertThat(failure.getType()).isEqualTo(DockerFailures.UNHEALTHY);
    assertThat(failure.isNonRetryable()).isFalse();
    DockerWaitHealthyResult details = failure.getDetails().get(DockerWaitHealthyResult.class);
    assertThat(details.healthy()).isFalse();
    assertThat(details.health()).isIn("starting", "unhealthy");
    assertThat(details.waitedSeconds()).isBetween(2.0, 6.0);
    assertThat(details.probes()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void waitHealthyProbesAnHttpUrlForTheExpectedStatus() {
    int port = FreePorts.any();
    String container = docker.run("web", create -> httpd(create, port));
    Map<String, JsonNode> targets =
        containerTarget("web", container, "http://127.0.0.1:" + port + "/health");

    DockerWaitHealthyResult ok =
        activities.waitHealthy(
            DockerWaitHealthyInput.of("web", targets)
                .withHttpProbe(null, 200)
                .withTiming("100ms", "10s"));
    ApplicationFailure notFound =
        applicationFailure(
            () ->
                activities.waitHealthy(
                    DockerWaitHealthyInput.of("web", targets)
                        .withHttpProbe("http://127.0.0.1:" + port + "/nope", 200)
                        .withTiming("100ms", "500ms")));

    assertThat(ok.healthy()).isTrue();
    assertThat(notFound.getType()).isEqualTo(DockerFailures.UNHEALTHY);
    assertThat(notFound.getDetails().get(DockerWaitHealthyResult.class).health())
        .isEqualTo("status 404");
  }

  @Test
  void cancellingWaitHealthyEndsTheWaitAtTheNextHeartbeat() throws Exception {
    String container =
        docker.run(
            "sick",
            create ->
                create.withHealthcheck(
                    new HealthCheck()
                        .withTest(List.of("CMD", "false"))
                        .withInterval(millis(200))
                        .withRetries(1)));
    Thread canceller =
        new Thread(
            () -> {
              try {
                Thread.sleep(1000);
              } catch (InterruptedException e) {
                return;
              }
              environment.requestCancelActivity();
            });
    canceller.start();
    long started = System.nanoTime();

    Throwable thrown =
        catchThrowable(
            () ->
                activities.waitHealthy(
                    DockerWaitHealthyInput.of("db", containerTarget("db", container, null))
                        .withTiming("100ms", "60s")));
    canceller.join();

    assertThat(thrown)
        .satisfiesAnyOf(
            error -> assertThat(error).isInstanceOf(CanceledFailure.class),
            error -> assertThat(error).hasCauseInstanceOf(CanceledFailure.class));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void targetOfAnotherKindFailsAsInvalidInputBeforeTouchingTheEngine() {
    Map<String, JsonNode> http =
        Map.of(
            "api",
            JsonNodeFactory.instance
                .objectNode()
                .put("kind", "http")
                .put("url", "http://127.0.0.1:1"));

    ApplicationFailure failure =
        applicationFailure(() -> activities.inspect(DockerInspectInput.of("api", http)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "target 'api' is a http target; target needs a container, postgres, redis target");
  }

  private InspectContainerResponse inspect(String container) {
    return docker.client().inspectContainerCmd(container).exec();
  }

  /** busybox httpd on a loopback port, under docker's init so that SIGTERM stops it. */
  static void httpd(CreateContainerCmd create, int port) {
    create.withCmd("httpd", "-f", "-p", "127.0.0.1:" + port, "-h", "/www");
    create.getHostConfig().withInit(true);
  }

  static HealthCheck readyCheck() {
    return new HealthCheck()
        .withTest(List.of("CMD", "test", "-f", "/tmp/ready"))
        .withInterval(millis(200))
        .withRetries(1)
        .withTimeout(millis(1000));
  }

  static long millis(long value) {
    return Duration.ofMillis(value).toNanos();
  }
}
