package io.drctl.activities.docker;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityInterface;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One-off sibling containers ({@link DockerActivitiesImpl#runOneOff}) on the real engine. */
class DockerOneOffContainerTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();
  private static final String TOKEN = "0neoff-s3cr3t-value";

  /**
   * A test activity around {@link DockerActivitiesImpl#runOneOff}, so it runs in an activity
   * context.
   */
  @ActivityInterface(namePrefix = "test.")
  public interface OneOffActivities {
    DockerExecResult run(
        String key,
        List<String> argv,
        int expectedExitCode,
        long timeoutMillis,
        Map<String, JsonNode> targets);
  }

  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private OneOffActivities activities;
  private String container;
  private Map<String, JsonNode> targets;
  private final String key = "workflow-" + UUID.randomUUID() + "/1";

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation =
        new DockerActivitiesImpl(
            new SecretResolver(Map.of("DB_PASSWORD", TOKEN)), docker.options());
    environment.registerActivitiesImplementations(
        (OneOffActivities)
            (runKey, argv, expected, timeout, runTargets) ->
                implementation.runOneOff(
                    new OneOffRun(
                        "app",
                        runKey,
                        argv,
                        Map.of("PGPASSWORD", "env:DB_PASSWORD"),
                        "1234:5678",
                        expected,
                        65_536,
                        Duration.ofMillis(timeout),
                        runTargets)));
    activities = environment.newActivityStub(OneOffActivities.class, DockerLifecycleTest.OPTIONS);
    String volume = docker.volume("data");
    container =
        docker.run(
            "app",
            create ->
                create.withHostConfig(
                    HostConfig.newHostConfig()
                        .withNetworkMode("host")
                        .withBinds(new Bind(volume, new Volume("/data")))));
    docker.shell(container, "echo written-by-the-server > /data/file");
    targets = DockerTestEngine.containerTarget("app", container, null);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  @Test
  void aOneOffRunsOnTheTargetsVolumesAsTheGivenUserWithHostNetworkingAndIsRemoved() {
    DockerExecResult result =
        activities.run(
            key,
            List.of(
                "sh",
                "-c",
                "cat /data/file; id -u; id -g; [ -n \"$PGPASSWORD\" ] && echo has-password"),
            0,
            30_000,
            targets);

    assertThat(result.stdout()).isEqualTo("written-by-the-server\n1234\n5678\nhas-password\n");
    assertThat(result.exitCode()).isZero();
    assertThat(oneOffs()).isEmpty();
  }

  @Test
  void aNonZeroExitIsUnexpectedExitCodeWithTheSecretMaskedAndTheSiblingRemoved() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.run(
                    key,
                    List.of("sh", "-c", "echo \"password is $PGPASSWORD\" >&2; exit 3"),
                    0,
                    30_000,
                    targets));

    assertThat(failure.getType()).isEqualTo(ActionFailures.UNEXPECTED_EXIT_CODE);
    assertThat(failure.getOriginalMessage())
        .contains("exited with code 3")
        .contains("password is ****")
        .doesNotContain(TOKEN);
    assertThat(oneOffs()).isEmpty();
  }

  @Test
  void theSecretIsInTheSiblingsEnvironmentOnlyNeverInItsCommand() throws Exception {
    CompletableFuture<InspectContainerResponse> seen =
        CompletableFuture.supplyAsync(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
              while (System.nanoTime() < deadline) {
                List<Container> running = oneOffs();
                if (!running.isEmpty()) {
                  try {
                    return docker.client().inspectContainerCmd(running.get(0).getId()).exec();
                  } catch (NotFoundException removedMeanwhile) {
                    // listed just before the activity removed it (a slow list on a busy engine):
                    // the loop looks again, and fails the test below if it never catches one
                  }
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return null;
                }
              }
              return null;
            });

    activities.run(key, List.of("sh", "-c", "sleep 5"), 0, 30_000, targets);

    InspectContainerResponse sibling = seen.get(30, TimeUnit.SECONDS);
    assertThat(sibling).as("the sibling seen while it ran").isNotNull();
    List<String> command = new ArrayList<>();
    command.addAll(Arrays.asList(sibling.getConfig().getEntrypoint()));
    command.addAll(Arrays.asList(sibling.getConfig().getCmd()));
    command.addAll(Arrays.asList(sibling.getArgs()));
    assertThat(String.join(" ", command)).doesNotContain(TOKEN).contains("sleep 5");
    assertThat(sibling.getConfig().getEnv()).contains("PGPASSWORD=" + TOKEN);
    assertThat(sibling.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(sibling.getConfig().getLabels()).containsEntry(OneOffContainer.LABEL, key);
    assertThat(oneOffs()).isEmpty();
  }

  @Test
  void aLeftoverOfACrashedAttemptWithTheSameKeyIsRemovedBeforeTheRun() {
    String leftover =
        docker.run(
            "leftover",
            create ->
                create.withLabels(
                    Map.of(DockerTestEngine.LABEL, "leftover", OneOffContainer.LABEL, key)));
    String unrelated =
        docker.run(
            "other",
            create ->
                create.withLabels(
                    Map.of(
                        DockerTestEngine.LABEL, "other", OneOffContainer.LABEL, key + "-other")));

    activities.run(key, List.of("true"), 0, 30_000, targets);

    assertThat(docker.client().listContainersCmd().withShowAll(true).exec())
        .extracting(c -> c.getNames()[0].substring(1))
        .doesNotContain(leftover)
        .contains(unrelated);
    docker.client().removeContainerCmd(unrelated).withForce(true).exec();
  }

  @Test
  void aRunPastItsTimeoutIsKilledRemovedAndCommandTimedOut() {
    long started = System.nanoTime();
    ApplicationFailure failure =
        applicationFailure(() -> activities.run(key, List.of("sleep", "60"), 0, 1_000, targets));

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_TIMED_OUT);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
    assertThat(oneOffs()).isEmpty();
  }

  @Test
  void aCancelledActivityRemovesItsSiblingAtItsNextHeartbeat() throws Exception {
    CompletableFuture<RuntimeException> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                activities.run(key, List.of("sleep", "60"), 0, 60_000, targets);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (oneOffs().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(oneOffs()).as("the running sibling").hasSize(1);

    environment.requestCancelActivity();

    assertThat(outcome.get(30, TimeUnit.SECONDS)).as("the cancelled call's failure").isNotNull();
    assertThat(oneOffs()).isEmpty();
  }

  @Test
  void aProgramTheImageLacksIsCommandNotFoundAndTheSiblingRemoved() {
    ApplicationFailure failure =
        applicationFailure(
            () -> activities.run(key, List.of("pg_waldump", "--version"), 0, 30_000, targets));

    assertThat(failure.getType()).isEqualTo(ActionFailures.COMMAND_NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(oneOffs()).isEmpty();
  }

  private List<Container> oneOffs() {
    return docker
        .client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(OneOffContainer.LABEL, key))
        .exec();
  }
}
