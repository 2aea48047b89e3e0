package io.drctl.activities.docker;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** removeVolume, snapshotVolume and recreate: what they do to containers and volumes. */
class DockerVolumesTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();

  @TempDir Path store;
  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;
  private String volume;
  private String container;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation = new DockerActivitiesImpl(new SecretResolver(Map.of()), docker.options());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(DockerActivities.class, DockerLifecycleTest.OPTIONS);
    volume = docker.volume("pgdata");
    container =
        docker.run(
            "pg",
            create ->
                create
                    .withEnv("POSTGRES_PASSWORD=hunter2", "PGDATA=/data")
                    .withLabels(Map.of(DockerTestEngine.LABEL, labelOf(create), "app", "thebot"))
                    .getHostConfig()
                    .withBinds(Bind.parse(volume + ":/data")));
    docker.shell(
        container,
        "echo 'base' > /data/PG_VERSION && mkdir /data/base && seq 1 1000 > /data/base/1");
    targets = new LinkedHashMap<>();
    targets.put("pg", DockerTestEngine.postgresTarget(container, volume));
    targets.put(
        "backups",
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "backupStore")
            .put("store", "local")
            .put("path", store.toString()));
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  @Test
  void recreateMakesANewContainerWithTheSameConfigurationAndKeepsTheVolume() {
    InspectContainerResponse before = inspect(container);

    DockerRecreateResult result = activities.recreate(DockerRecreateInput.of("pg", targets));

    InspectContainerResponse after = inspect(container);
    assertThat(result.previousContainerId()).isEqualTo(before.getId());
    assertThat(result.containerId()).isEqualTo(after.getId()).isNotEqualTo(before.getId());
    assertThat(result.image()).isEqualTo(docker.image());
    assertThat(result.healthy()).isTrue();
    assertThat(after.getState().getRunning()).isTrue();
    assertThat(after.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(after.getConfig().getEnv()).contains("POSTGRES_PASSWORD=hunter2", "PGDATA=/data");
    assertThat(after.getConfig().getLabels()).containsEntry("app", "thebot");
    assertThat(after.getConfig().getCmd()).isEqualTo(before.getConfig().getCmd());
    assertThat(docker.shell(container, "cat /data/PG_VERSION")).isEqualTo("base\n");
    assertThat(
            docker
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withIdFilter(List.of(before.getId()))
                .exec())
        .isEmpty();
  }

  @Test
  void recreateResumesAfterACrashLeftTheOldContainerAside() {
    InspectContainerResponse before = inspect(container);
    docker.client().stopContainerCmd(container).withTimeout(5).exec();
    docker
        .client()
        .renameContainerCmd(before.getId())
        .withName(container + ContainerRecreation.ASIDE_MARK + before.getId().substring(0, 12))
        .exec();
    environment.setHeartbeatDetails(
        new RecreateProgress("moved aside", before.getId(), true, "", "", 0, 3));

    DockerRecreateResult result = activities.recreate(DockerRecreateInput.of("pg", targets));

    assertThat(result.previousContainerId()).isEqualTo(before.getId());
    assertThat(inspect(container).getId()).isEqualTo(result.containerId());
    assertThat(inspect(container).getState().getRunning()).isTrue();
    assertThat(
            docker
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withIdFilter(List.of(before.getId()))
                .exec())
        .isEmpty();
  }

  @Test
  void recreateWithAnImageTheEngineDoesNotHaveFailsAndPutsTheOldContainerBack() {
    String before = inspect(container).getId();

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.recreate(
                    DockerRecreateInput.of("pg", targets).withImage("drctl-test/absent:1")));

    assertThat(failure.getType()).isEqualTo(DockerFailures.NO_SUCH_IMAGE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(inspect(container).getId()).isEqualTo(before);
    assertThat(inspect(container).getState().getRunning()).isTrue();
  }

  @Test
  void removeVolumeDeletesTheDataAndRecreatesTheStoppedContainerOnAnEmptyVolume() {
    String before = inspect(container).getId();

    DockerRemoveVolumeResult result =
        activities.removeVolume(DockerRemoveVolumeInput.of("pg", targets));

    assertThat(result.volume()).isEqualTo(volume);
    assertThat(result.removed()).isTrue();
    assertThat(result.removedBytes()).isGreaterThanOrEqualTo(3_000L);
    InspectContainerResponse after = inspect(container);
    assertThat(result.containerId()).isEqualTo(after.getId()).isNotEqualTo(before);
    assertThat(after.getState().getRunning()).isFalse();
    assertThat(after.getConfig().getEnv()).contains("POSTGRES_PASSWORD=hunter2");
    assertThat(after.getConfig().getLabels())
        .containsEntry("app", "thebot")
        .doesNotContainKeys(VolumeRemoval.LABEL_HELD_FOR, VolumeRemoval.LABEL_ATTACHMENTS);
    assertThat(after.getHostConfig().getBinds())
        .extracting(Bind::toString)
        .contains(volume + ":/data:rw");
    docker.client().startContainerCmd(container).exec();
    assertThat(docker.shell(container, "ls -A /data")).isEmpty();
    assertThat(docker.client().inspectVolumeCmd(volume).exec().getLabels())
        .containsKey(DockerTestEngine.LABEL);
    assertThat(
            docker
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withNameFilter(List.of(container + VolumeRemoval.HOLDER_MARK))
                .exec())
        .isEmpty();
  }

  @Test
  void removeVolumeFinishesFromTheHolderWhenAnEarlierAttemptRemovedTheContainer() {
    DockerEngine engine = new DockerEngine(docker.host(), docker.options());
    JsonNode spec =
        engine.json("GET", "/volumes/" + volume, null, "test", DockerFailures.NO_SUCH_VOLUME);
    VolumeRemoval.hold(engine, engine.container(container), volume, spec);
    docker.client().removeContainerCmd(container).withForce(true).exec();

    DockerRemoveVolumeResult result =
        activities.removeVolume(DockerRemoveVolumeInput.of("pg", targets));

    assertThat(result.removed()).isTrue();
    assertThat(inspect(container).getId()).isEqualTo(result.containerId());
    assertThat(inspect(container).getConfig().getEnv()).contains("POSTGRES_PASSWORD=hunter2");
    assertThat(inspect(container).getHostConfig().getBinds())
        .extracting(Bind::toString)
        .contains(volume + ":/data:rw");
  }

  @Test
  void removeVolumeRefusesAVolumeAnotherContainerUsesAndChangesNothing() {
    String other =
        docker.run(
            "reader", create -> create.getHostConfig().withBinds(Bind.parse(volume + ":/peek:ro")));

    ApplicationFailure failure =
        applicationFailure(
            () -> activities.removeVolume(DockerRemoveVolumeInput.of("pg", targets)));

    assertThat(failure.getType()).isEqualTo(DockerFailures.VOLUME_IN_USE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("is also used by " + other);
    assertThat(inspect(container).getState().getRunning()).isTrue();
    assertThat(docker.shell(container, "cat /data/PG_VERSION")).isEqualTo("base\n");
  }

  @Test
  void removeVolumeWithoutRecreateLeavesNeitherVolumeNorContainer() {
    DockerRemoveVolumeResult result =
        activities.removeVolume(
            DockerRemoveVolumeInput.of("pg", targets).withRecreateContainer(false));

    assertThat(result.containerId()).isEmpty();
    assertThat(
            docker
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of("app", "thebot"))
                .exec())
        .isEmpty();
    assertThat(
            docker
                .client()
                .listVolumesCmd()
                .withFilter("name", List.of(volume))
                .exec()
                .getVolumes())
        .isNullOrEmpty();
  }

  @Test
  void snapshotVolumeStoresTheVolumeAsATarRelativeToItsRootAndReusesACompleteCopy()
      throws IOException {
    DockerSnapshotVolumeResult first =
        activities.snapshotVolume(DockerSnapshotVolumeInput.of("pg", "backups", targets));
    DockerSnapshotVolumeResult again =
        activities.snapshotVolume(DockerSnapshotVolumeInput.of("pg", "backups", targets));

    assertThat(first.snapshotId()).isEqualTo("test-workflow-id/pre-change-" + volume);
    assertThat(first.location())
        .isEqualTo(store.resolve("safety/" + first.snapshotId() + ".tar.gz").toString());
    assertThat(first.sizeBytes()).isEqualTo(Files.size(Path.of(first.location())));
    assertThat(first.unreadableFiles()).isZero();
    assertThat(again).isEqualTo(first);
    Map<String, String> entries = entries(Path.of(first.location()));
    assertThat(entries).containsOnlyKeys("PG_VERSION", "base/", "base/1");
    assertThat(entries.get("PG_VERSION")).isEqualTo("base\n");
    assertThat(entries.get("base/1")).startsWith("1\n2\n").endsWith("1000\n");
    assertThat(Path.of(first.location() + ".json")).exists();
    assertThat(
            docker
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(VolumeSnapshot.HELPER_LABEL, "snapshot"))
                // this test's volume only: another test class may be snapshotting at the same time
                .withVolumeFilter(List.of(volume))
                .exec())
        .isEmpty();
  }

  @Test
  void snapshotVolumeWithPauseLeavesTheContainerRunningAfterwards() {
    DockerSnapshotVolumeResult result =
        activities.snapshotVolume(
            DockerSnapshotVolumeInput.of("pg", "backups", targets)
                .withPause(true)
                .withLabel("before restore"));

    assertThat(result.snapshotId()).endsWith("/before_restore-" + volume);
    assertThat(inspect(container).getState().getPaused()).isFalse();
    assertThat(inspect(container).getState().getRunning()).isTrue();
  }

  @Test
  void snapshotVolumeFailsForAMissingVolumeAndAnS3Store() {
    targets.put(
        "offsite",
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "backupStore")
            .put("store", "s3")
            .put("bucket", "thebot-backups"));

    ApplicationFailure missing =
        applicationFailure(
            () ->
                activities.snapshotVolume(
                    DockerSnapshotVolumeInput.of("pg", "backups", targets)
                        .withVolume(docker.name("absent"))));
    ApplicationFailure s3 =
        applicationFailure(
            () ->
                activities.snapshotVolume(DockerSnapshotVolumeInput.of("pg", "offsite", targets)));

    assertThat(missing.getType()).isEqualTo(DockerFailures.NO_SUCH_VOLUME);
    assertThat(missing.isNonRetryable()).isTrue();
    assertThat(s3.getType()).isEqualTo(ActionFailures.ACTION_NOT_IMPLEMENTED);
  }

  private static Map<String, String> entries(Path archive) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static String labelOf(CreateContainerCmd create) {
    return create.getLabels().get(DockerTestEngine.LABEL);
  }

  private InspectContainerResponse inspect(String name) {
    return docker.client().inspectContainerCmd(name).exec();
  }
}
