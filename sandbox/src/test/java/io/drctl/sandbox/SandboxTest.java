package io.drctl.sandbox;

import static io.drctl.testing.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox on the real Docker engine ({@code DOCKER_HOST}) with the real image ({@code
 * DRCTL_SANDBOX_IMAGE}, from {@code bin/setup images}; without it every test fails with that fix).
 * Test sandboxes have their own names and ports (291xx), so a user's default sandbox is never
 * touched. One sandbox is brought up for the class; the tests run in order and the last takes it
 * down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxTest {
  private static final SandboxLayout FIRST = SandboxLayout.of("itest", 29100);
  private static final SandboxLayout SECOND = SandboxLayout.of("itest-second", 29120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @TempDir static Path dir;
  private final List<String> progress = new ArrayList<>();
  private SandboxEngine engine;
  private DockerClient docker;
  private Sandbox first;
  private Sandbox.UpResult firstUp;
  private Map<Role, String> firstIds;

  @BeforeAll
  void bringTheFirstSandboxUp() {
    engine = SandboxEngine.fromEnvironment();
    docker = DockerClients.open(DockerOptions.defaults());
    first = sandbox(FIRST, System.getenv());
    first.down(); // what an aborted earlier run may have left
    firstUp = first.up(new Sandbox.UpOptions(1, dir.resolve("itest.targets.json")));
    firstIds = ids(FIRST);
  }

  @AfterAll
  void takeEverythingDown() throws IOException {
    try {
      if (first != null) {
        first.down();
        sandbox(SECOND, System.getenv()).down();
        sandbox(SandboxLayout.of("itest-busy", 29140), System.getenv()).down();
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
      if (docker != null) {
        docker.close();
      }
    }
  }

  @Test
  @Order(1)
  void upMakesEveryServiceHealthyWithAStreamingReplicaAndAManifestThatMatchesTheData()
      throws Exception {
    assertThat(firstUp.actions())
        .containsOnlyKeys(Role.values())
        .allSatisfy((role, action) -> assertThat(action).isEqualTo("created"));
    assertThat(firstUp.seeded()).isPresent();
    assertThat(firstUp.seeded().get().bytes()).isBetween(5_000_000L, 20_000_000L);
    assertThat(firstUp.manifest())
        .extracting(Dataset.ManifestEntry::table)
        .containsExactly("assignments", "chat_messages", "materials", "payments", "users");

    SandboxStatus status = first.status();
    assertThat(status.services())
        .allSatisfy(service -> assertThat(service.healthy()).as(service.toString()).isTrue());
    assertThat(status.replication().state()).isEqualTo("streaming");
    assertThat(status.healthy()).isTrue();
    assertThat(status.datasetScale()).isEqualTo(1);

    try (Connection primary = first.primary()) {
      Dataset.Verification verification = Dataset.verify(primary);
      assertThat(verification.ok()).as(verification.toString()).isTrue();
      assertThat(verification.tables())
          .hasSize(5)
          .filteredOn(check -> check.table().equals("users"))
          .singleElement()
          .satisfies(check -> assertThat(check.liveRows()).isEqualTo(1_000));
      assertThat(
              scalar(
                  primary,
                  "SELECT count(*) FROM chat_messages c JOIN users u ON u.id = c.sender_id"))
          .isEqualTo("32000");
    }
    awaitNoLag();
    try (Connection replica = first.replica()) {
      assertThat(scalar(replica, "SELECT pg_is_in_recovery()")).isEqualTo("t");
      assertThat(Dataset.verify(replica).ok()).isTrue();
    }

    List<Container> labelled =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(SandboxLayout.SANDBOX_LABEL, "itest"))
            .exec();
    assertThat(labelled)
        .extracting(c -> c.getLabels().get(SandboxLayout.ROLE_LABEL))
        .containsExactlyInAnyOrder(
            "postgres",
            "postgres-replica",
            "redis",
            "backend",
            "postgres-staging",
            "registry",
            "notify-pagerduty",
            "notify-slack",
            "redis-replica",
            "redis-sentinel-1",
            "redis-sentinel-2",
            "redis-sentinel-3",
            "proxy",
            "frontend",
            "task-worker",
            "postgres-secondary",
            "redis-secondary",
            "s3");
    assertThat(labelled)
        .allSatisfy(
            c ->
                assertThat(
                        docker
                            .inspectContainerCmd(c.getId())
                            .exec()
                            .getHostConfig()
                            .getNetworkMode())
                    .isEqualTo("host"));
    assertThat(engine.volumes("itest"))
        .containsExactly(
            "drctl-sandbox-itest-notifications",
            "drctl-sandbox-itest-postgres-data",
            "drctl-sandbox-itest-postgres-replica-data",
            "drctl-sandbox-itest-postgres-secondary-data",
            "drctl-sandbox-itest-postgres-staging-data",
            "drctl-sandbox-itest-postgres-wal-archive",
            "drctl-sandbox-itest-redis-data",
            "drctl-sandbox-itest-redis-replica-data",
            "drctl-sandbox-itest-redis-secondary-data",
            "drctl-sandbox-itest-registry-data",
            "drctl-sandbox-itest-s3-data");
    assertThat(Files.readString(firstUp.targetsFile()))
        .contains("\"port\" : 29100")
        .contains("\"container\" : \"drctl-sandbox-itest-backend\"")
        .contains("\"healthUrl\" : \"http://127.0.0.1:29103/api/system/health/\"");
    assertThat(progress)
        .contains("replica: streaming through slot " + SandboxLayout.REPLICATION_SLOT);
  }

  @Test
  @Order(2)
  void thePrimaryArchivesFinishedWalSegments() throws Exception {
    try (Connection primary = first.primary()) {
      String segment = scalar(primary, "SELECT pg_walfile_name(pg_switch_wal())");
      awaitTrue(
          () ->
              scalar(
                      primary,
                      "SELECT coalesce(last_archived_wal >= '"
                          + segment
                          + "', false)"
                          + " FROM pg_stat_archiver")
                  .equals("t"),
          Duration.ofSeconds(30),
          "segment " + segment + " archived");
      assertThat(scalar(primary, "SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
    }
    SandboxStatus.Archiver archiver = first.status().archiver();
    assertThat(archiver.throughDrctl()).as("no drctl jar: copied into the volume").isFalse();
    assertThat(archiver.via()).startsWith("copy into the volume at /archive");
    assertThat(archiver.archivedCount()).isPositive();
    assertThat(archiver.failedCount()).isZero();
  }

  @Test
  @Order(3)
  void aSecondUpKeepsHealthyContainersAndTheDataset() {
    Sandbox.UpResult again =
        first.up(Sandbox.UpOptions.keepDataset(dir.resolve("again.targets.json")));
    assertThat(again.actions())
        .allSatisfy((role, action) -> assertThat(action).as(role.toString()).isEqualTo("kept"));
    assertThat(again.seeded()).isEmpty();
    assertThat(again.manifest()).isEqualTo(firstUp.manifest());
    assertThat(ids(FIRST)).isEqualTo(firstIds);
  }

  @Test
  @Order(4)
  void aChangedRowFailsVerificationNamingItsTable() throws Exception {
    try (Connection primary = first.primary()) {
      primary.setAutoCommit(false);
      try (Statement statement = primary.createStatement()) {
        statement.executeUpdate("UPDATE payments SET amount = amount + 0.01 WHERE id = 7");
        Dataset.Verification verification = Dataset.verify(primary);
        assertThat(verification.ok()).isFalse();
        assertThat(verification.mismatches())
            .singleElement()
            .satisfies(
                check -> {
                  assertThat(check.table()).isEqualTo("payments");
                  assertThat(check.liveRows()).isEqualTo(check.expectedRows());
                  assertThat(check.liveChecksum()).isNotEqualTo(check.expectedChecksum());
                });
      } finally {
        primary.rollback();
      }
    }
  }

  @Test
  @Order(5)
  void theBackendAnswers503NamingRedisWhileRedisIsStoppedAnd200AfterItStarts() throws Exception {
    String redis = FIRST.container(Role.REDIS);
    docker.stopContainerCmd(redis).withTimeout(10).exec();
    try {
      HttpResponse<String> down = get(FIRST.healthUrl());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("redis").contains("unhealthy");
      assertThat(first.status().healthy()).isFalse();
    } finally {
      docker.startContainerCmd(redis).exec();
    }
    awaitTrue(
        () -> get(FIRST.healthUrl()).statusCode() == 200,
        Duration.ofSeconds(30),
        "health 200 after Redis");
    awaitTrue(
        () -> first.status().healthy(), Duration.ofSeconds(30), "every container healthy again");
  }

  @Test
  @Order(6)
  void aSecondNamedSandboxHasTheSameDataAndDoesNotDisturbTheFirst() throws Exception {
    Map<Role, String> startedAt = startTimes(FIRST);
    Sandbox second = sandbox(SECOND, System.getenv());
    second.down();
    Sandbox.UpResult up = second.up(new Sandbox.UpOptions(1, dir.resolve("second.targets.json")));
    assertThat(second.status().healthy()).isTrue();
    assertThat(checksums(up.manifest()))
        .as("the same scale gives the same data")
        .isEqualTo(checksums(firstUp.manifest()));

    Sandbox.DownResult down = second.down();
    assertThat(down.containers())
        .hasSize(Role.values().length)
        .allSatisfy(name -> assertThat(name).startsWith("drctl-sandbox-itest-second-"));
    assertThat(down.volumes()).hasSize(11);
    assertThat(engine.containers("itest-second")).isEmpty();
    assertThat(engine.volumes("itest-second")).isEmpty();

    assertThat(ids(FIRST)).isEqualTo(firstIds);
    assertThat(startTimes(FIRST)).isEqualTo(startedAt);
    assertThat(first.status().healthy()).isTrue();
  }

  @Test
  @Order(7)
  void aMissingImageFailsBeforeAnythingIsMadeAndSaysHowToBuildIt() {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("DRCTL_SANDBOX_IMAGE", "local/drctl-sandbox:no-such-tag");
    environment
        .keySet()
        .removeIf(name -> name.startsWith("DRCTL_SANDBOX_") && !name.equals("DRCTL_SANDBOX_IMAGE"));
    Sandbox missing = sandbox(SandboxLayout.of("itest-missing", 29160), environment);
    assertThatThrownBy(() -> missing.up(Sandbox.UpOptions.keepDataset(dir.resolve("missing.json"))))
        .isInstanceOf(SandboxException.class)
        .hasMessage("image local/drctl-sandbox:no-such-tag not found: run bin/setup images");
    assertThat(engine.volumes("itest-missing")).isEmpty();
  }

  @Test
  @Order(8)
  void aPortInUseIsNamedBeforeAnythingIsMade() throws IOException {
    SandboxLayout busy = SandboxLayout.of("itest-busy", 29140);
    try (ServerSocket taken = new ServerSocket(29142, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  sandbox(busy, System.getenv())
                      .up(Sandbox.UpOptions.keepDataset(dir.resolve("busy.json"))))
          .isInstanceOf(SandboxException.class)
          .hasMessageStartingWith("port 29142 for drctl-sandbox-itest-busy-redis is in use");
    }
    assertThat(engine.volumes("itest-busy")).isEmpty();
    assertThat(engine.containers("itest-busy")).isEmpty();
  }

  @Test
  @Order(9)
  void downRemovesTheSandboxsContainersAndVolumes() {
    Sandbox.DownResult down = first.down();
    assertThat(down.containers())
        .containsExactlyInAnyOrder(
            "drctl-sandbox-itest-postgres",
            "drctl-sandbox-itest-postgres-replica",
            "drctl-sandbox-itest-redis",
            "drctl-sandbox-itest-backend",
            "drctl-sandbox-itest-postgres-staging",
            "drctl-sandbox-itest-registry",
            "drctl-sandbox-itest-notify-pagerduty",
            "drctl-sandbox-itest-notify-slack",
            "drctl-sandbox-itest-redis-replica",
            "drctl-sandbox-itest-redis-sentinel-1",
            "drctl-sandbox-itest-redis-sentinel-2",
            "drctl-sandbox-itest-redis-sentinel-3",
            "drctl-sandbox-itest-proxy",
            "drctl-sandbox-itest-frontend",
            "drctl-sandbox-itest-task-worker",
            "drctl-sandbox-itest-postgres-secondary",
            "drctl-sandbox-itest-redis-secondary",
            "drctl-sandbox-itest-s3");
    assertThat(down.volumes()).hasSize(11);
    assertThat(engine.containers("itest")).isEmpty();
    assertThat(engine.volumes("itest")).isEmpty();
    for (Role role : Role.values()) {
      assertThat(engine.find(FIRST.container(role))).isEmpty();
    }
    SandboxStatus status = first.status();
    assertThat(status.healthy()).isFalse();
    assertThat(status.services())
        .allSatisfy(service -> assertThat(service.state()).isEqualTo("missing"));
    assertThat(first.down().containers()).isEmpty();
  }

  private Sandbox sandbox(SandboxLayout layout, Map<String, String> environment) {
    return new Sandbox(engine, layout, SandboxImages.fromEnvironment(environment), progress::add);
  }

  private Map<Role, String> ids(SandboxLayout layout) {
    Map<Role, String> ids = new HashMap<>();
    for (Role role : Role.values()) {
      ids.put(role, engine.inspect(layout.container(role)).getId());
    }
    return ids;
  }

  private Map<Role, String> startTimes(SandboxLayout layout) {
    Map<Role, String> times = new HashMap<>();
    for (Role role : Role.values()) {
      InspectContainerResponse container = engine.inspect(layout.container(role));
      times.put(role, container.getState().getStartedAt());
    }
    return times;
  }

  private static Map<String, String> checksums(List<Dataset.ManifestEntry> manifest) {
    return manifest.stream()
        .collect(Collectors.toMap(Dataset.ManifestEntry::table, Dataset.ManifestEntry::checksum));
  }

  private void awaitNoLag() throws Exception {
    awaitTrue(
        () -> {
          try (Connection primary = first.primary()) {
            return PrimaryDatabase.replication(primary).lagBytes() == 0;
          }
        },
        Duration.ofSeconds(30),
        "the replica to replay everything");
  }

  private static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
