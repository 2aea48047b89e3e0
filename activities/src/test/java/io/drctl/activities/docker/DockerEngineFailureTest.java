package io.drctl.activities.docker;

import static io.drctl.activities.docker.DockerTestEngine.containerTarget;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.testing.FreePorts;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a step sees when its engine cannot be reached, or goes away in the middle of the step. */
class DockerEngineFailureTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();

  @TempDir Path sockets;
  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation = new DockerActivitiesImpl(new SecretResolver(Map.of()), docker.options());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(DockerActivities.class, DockerLifecycleTest.OPTIONS);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  @Test
  void engineSocketThatDoesNotExistFailsRetryablyWithEngineUnavailable() {
    Map<String, JsonNode> targets =
        onEngine("unix://" + sockets.resolve("no-engine.sock"), "anything");

    ApplicationFailure failure =
        applicationFailure(() -> activities.inspect(DockerInspectInput.of("app", targets)));

    assertThat(failure.getType()).isEqualTo(DockerFailures.ENGINE_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith(
            "the docker engine unix://"
                + sockets.resolve("no-engine.sock")
                + " did not answer while");
  }

  @Test
  void tcpEngineThatRefusesConnectionsFailsRetryablyWithEngineUnavailable() {
    Map<String, JsonNode> targets = onEngine("tcp://127.0.0.1:" + FreePorts.any(), "anything");

    ApplicationFailure failure =
        applicationFailure(() -> activities.stop(DockerStopInput.of("app", targets)));

    assertThat(failure.getType()).isEqualTo(DockerFailures.ENGINE_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void dockerHostOfAnUnsupportedKindFailsAsInvalidInput() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.inspect(
                    DockerInspectInput.of("app", onEngine("ssh://ops@db1", "anything"))));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "target 'app' dockerHost 'ssh://ops@db1' must be unix:///absolute/path or tcp://host:port");
  }

  @Test
  void engineRestartedInTheMiddleOfAStepFailsTheAttemptRetryablyAndTheRetryFinishesTheStep()
      throws Exception {
    String container =
        docker.run("late", create -> create.withHealthcheck(DockerLifecycleTest.readyCheck()));
    try (UnixSocketProxy engine =
        new UnixSocketProxy(
            sockets.resolve("proxy.sock"), Path.of(URI.create(docker.host()).getPath()))) {
      engine.start();
      Map<String, JsonNode> targets = onEngine(engine.host(), container);
      DockerWaitHealthyInput wait =
          DockerWaitHealthyInput.of("app", targets).withTiming("100ms", "30s");
      Thread restart =
          new Thread(
              () -> {
                sleep(Duration.ofSeconds(1));
                engine.stop();
              });
      restart.start();
      long started = System.nanoTime();

      ApplicationFailure firstAttempt = applicationFailure(() -> activities.waitHealthy(wait));
      restart.join();
      engine.start();
      docker.shell(container, "touch /tmp/ready");
      DockerWaitHealthyResult retry = activities.waitHealthy(wait);

      assertThat(firstAttempt.getType()).isEqualTo(DockerFailures.ENGINE_UNAVAILABLE);
      assertThat(firstAttempt.isNonRetryable()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThat(retry.healthy()).isTrue();
    }
  }

  private static Map<String, JsonNode> onEngine(String host, String container) {
    Map<String, JsonNode> targets = containerTarget("app", container, null);
    ((ObjectNode) targets.get("app")).put("dockerHost", host);
    return targets;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
