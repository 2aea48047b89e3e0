package io.drctl.sandbox;

import static io.drctl.testing.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's staging server, registry and notification sinks on the real engine and image:
 * sandbox {@code itest-roles} on ports 29240-29259. Staging comes up empty, keeps its data over a
 * restart and refuses to initialise over a data directory that holds something; the registry stores
 * records only with its token, and a restarted backend follows the {@code postgres} record; the
 * Slack and PagerDuty stand-ins refuse a wrong token or routing key and keep every message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StagingAndRegistryTest {
  private static final SandboxLayout LAYOUT = SandboxLayout.of("itest-roles", 29240);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private SandboxEngine engine;
  private DockerClient docker;
  private Sandbox sandbox;

  @BeforeAll
  void bringTheSandboxUp() {
    engine = SandboxEngine.fromEnvironment();
    docker = DockerClients.open(DockerOptions.defaults());
    sandbox =
        new Sandbox(engine, LAYOUT, SandboxImages.fromEnvironment(System.getenv()), line -> {});
    sandbox.down(); // what an aborted earlier run may have left
    sandbox.up(new Sandbox.UpOptions(1, dir.resolve("roles.targets.json")));
  }

  @AfterAll
  void takeItDown() throws Exception {
    try {
      if (sandbox != null) {
        sandbox.down();
      }
    } finally {
      if (docker != null) {
        docker.close();
      }
      if (engine != null) {
        engine.close();
      }
    }
  }

  @Test
  @Order(1)
  void stagingComesUpEmptyNotArchivingAndShownByStatus() throws Exception {
    try (Connection staging = sandbox.staging()) {
      assertThat(scalar(staging, "select pg_is_in_recovery()")).isEqualTo("f");
      assertThat(scalar(staging, "select count(*) from pg_tables where schemaname = 'public'"))
          .isEqualTo("0");
      assertThat(scalar(staging, "select current_setting('archive_mode')")).isEqualTo("off");
      assertThat(scalar(staging, "select current_setting('port')")).isEqualTo("29244");
    }
    SandboxStatus status = sandbox.status();
    assertThat(status.services())
        .filteredOn(service -> service.role() == Role.STAGING)
        .singleElement()
        .satisfies(
            service -> {
              assertThat(service.container())
                  .isEqualTo("drctl-sandbox-itest-roles-postgres-staging");
              assertThat(service.healthy()).as(service.toString()).isTrue();
            });
    assertThat(status.services())
        .filteredOn(service -> service.role() == Role.REGISTRY)
        .singleElement()
        .satisfies(service -> assertThat(service.healthy()).as(service.toString()).isTrue());
    assertThat(status.healthy()).isTrue();
    JsonNode targets = JSON.readTree(dir.resolve("roles.targets.json").toFile()).path("targets");
    assertThat(targets.path("pg-staging").path("port").asInt()).isEqualTo(29244);
    assertThat(targets.path("pg-staging").path("volume").asText())
        .isEqualTo("drctl-sandbox-itest-roles-postgres-staging-data");
    assertThat(targets.path("dns-webhook").path("url").asText())
        .isEqualTo("http://127.0.0.1:29245");
  }

  /**
   * What {@code up} runs while Docker has not checked a new container yet: the container's own
   * health command, in the container, with its environment; its exit status decides.
   */
  @Test
  @Order(2)
  void theHealthCommandRunsInTheContainerAndItsExitStatusDecides() {
    String staging = LAYOUT.container(Role.STAGING);
    ServiceSpec spec =
        new ServiceDefinitions(LAYOUT, SandboxImages.fromEnvironment(System.getenv()))
            .of(Role.STAGING);
    assertThat(engine.passesHealthCommand(staging, spec.healthCommand())).isTrue();
    assertThat(engine.passesHealthCommand(staging, "test -n \"$PGPASSWORD\"")).isTrue();
    assertThat(engine.passesHealthCommand(staging, "exit 3")).isFalse();
    assertThat(engine.passesHealthCommand(staging, "pg_isready -q -h 127.0.0.1 -p 1")).isFalse();
    assertThat(engine.passesHealthCommand("drctl-sandbox-no-such-container", "true")).isFalse();
  }

  @Test
  @Order(3)
  void stagingKeepsItsDataOverARestart() throws Exception {
    try (Connection staging = sandbox.staging();
        Statement statement = staging.createStatement()) {
      statement.execute("create table kept(id int primary key)");
      statement.execute("insert into kept select generate_series(1, 42)");
    }
    docker.restartContainerCmd(LAYOUT.container(Role.STAGING)).withTimeout(30).exec();
    awaitTrue(
        () -> {
          try (Connection staging = sandbox.staging()) {
            return scalar(staging, "select count(*) from kept").equals("42");
          }
        },
        Duration.ofSeconds(60),
        "staging to answer again with its table");
    assertThat(Sandbox.healthOf(engine.inspect(LAYOUT.container(Role.STAGING))))
        .isNotEqualTo("unhealthy");
  }

  @Test
  @Order(4)
  void theRegistryRefusesAMissingOrWrongTokenAndStoresARecordWithTheRightOne() throws Exception {
    String body =
        "{\"name\": \"postgres.thebot.internal\", \"host\": \"127.0.0.1\", \"port\": 29244,"
            + " \"incident\": \"itest\"}";
    assertThat(post(LAYOUT.registryUrl() + "/records/postgres", body, null).statusCode())
        .isEqualTo(401);
    assertThat(post(LAYOUT.registryUrl() + "/records/postgres", body, "not-the-token").statusCode())
        .isEqualTo(403);
    assertThat(
            get(LAYOUT.registryUrl() + "/records/postgres", SandboxLayout.REGISTRY_TOKEN)
                .statusCode())
        .as("nothing was stored by the refused requests")
        .isEqualTo(404);
    assertThat(
            post(
                    LAYOUT.registryUrl() + "/records/postgres",
                    "{\"host\": \"127.0.0.1\", \"port\": 70000}",
                    SandboxLayout.REGISTRY_TOKEN)
                .body())
        .contains("port must be a number from 1 to 65535");

    HttpResponse<String> stored =
        post(
            LAYOUT.registryUrl() + "/records/postgres",
            body,
            "Bearer " + SandboxLayout.REGISTRY_TOKEN);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    JsonNode record =
        JSON.readTree(
            get(LAYOUT.registryUrl() + "/records/postgres", SandboxLayout.REGISTRY_TOKEN).body());
    assertThat(record.path("host").asText()).isEqualTo("127.0.0.1");
    assertThat(record.path("port").asInt()).isEqualTo(29244);
    assertThat(record.path("incident").asText()).isEqualTo("itest");
    Path file =
        Path.of(
            docker.inspectVolumeCmd(LAYOUT.registryVolume()).exec().getMountpoint(),
            "postgres.json");
    assertThat(JSON.readTree(Files.readString(file)).path("port").asInt()).isEqualTo(29244);
  }

  @Test
  @Order(5)
  void aRestartedBackendFollowsThePostgresRecord() throws Exception {
    // The record (order 3) points at staging, which has the database too; the running backend still
    // uses the primary it started with.
    JsonNode before = JSON.readTree(get(LAYOUT.healthUrl(), null).body());
    assertThat(before.path("database").path("port").asInt()).isEqualTo(29240);
    assertThat(before.path("database").path("source").asText()).isEqualTo("env PGHOST/PGPORT");

    docker.restartContainerCmd(LAYOUT.container(Role.BACKEND)).withTimeout(10).exec();
    awaitTrue(
        () -> {
          HttpResponse<String> health = get(LAYOUT.healthUrl(), null);
          return health.statusCode() == 200
              && JSON.readTree(health.body()).path("database").path("port").asInt() == 29244;
        },
        Duration.ofSeconds(60),
        "the backend to answer healthy on staging's port 29244");
    JsonNode after = JSON.readTree(get(LAYOUT.healthUrl(), null).body());
    assertThat(after.path("database").path("source").asText())
        .startsWith("registry record /records/postgres.json");
    assertThat(after.path("checks").path("database").path("target").asText())
        .isEqualTo("127.0.0.1:29244/thebot_db");
    assertThat(after.toString()).doesNotContain(SandboxLayout.PASSWORD);
  }

  @Test
  @Order(6)
  void stagingRefusesToInitialiseOverADataDirectoryWithoutPgVersion() throws Exception {
    String container = LAYOUT.container(Role.STAGING);
    docker.stopContainerCmd(container).withTimeout(30).exec();
    Path data = Path.of(docker.inspectVolumeCmd(LAYOUT.stagingVolume()).exec().getMountpoint());
    Files.delete(data.resolve("PG_VERSION"));
    docker.startContainerCmd(container).exec();
    awaitTrue(
        () -> !Boolean.TRUE.equals(engine.inspect(container).getState().getRunning()),
        Duration.ofSeconds(30),
        "staging to refuse to start");
    assertThat(engine.inspect(container).getState().getExitCodeLong()).isEqualTo(1L);
    assertThat(engine.logTail(container, 5)).contains("refusing to initialise over it");
    assertThat(data.resolve("base")).as("the data directory was left as it was").isDirectory();
  }

  @Test
  @Order(7)
  void theSinksAcceptTheSandboxTokenRefuseAWrongOneAndKeepEveryMessageInOrder() throws Exception {
    SandboxNotifications notifications = new SandboxNotifications(LAYOUT);
    List<SandboxNotifications.Notification> before = notifications.after(null);
    String last = before.isEmpty() ? null : before.get(before.size() - 1).id();
    String slack = LAYOUT.sinkUrl(Role.SLACK);
    String pagerDuty = LAYOUT.sinkUrl(Role.PAGERDUTY) + "/v2/enqueue";

    assertThat(
            post(
                    slack,
                    "{\"text\": \"[info] backend recovered\"}",
                    "Bearer " + SandboxLayout.NOTIFY_TOKEN)
                .statusCode())
        .isEqualTo(200);
    assertThat(post(slack, "{\"text\": \"forged\"}", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post(slack, "{\"blocks\": []}", SandboxLayout.NOTIFY_TOKEN).statusCode())
        .as("no text")
        .isEqualTo(400);
    String trigger =
        "{\"routing_key\": \"%s\", \"event_action\": \"trigger\", \"dedup_key\": \"inc-1\","
            + " \"payload\": {\"summary\": \"backend down\", \"source\": \"drctl\", \"severity\": \"critical\"}}";
    HttpResponse<String> accepted =
        post(pagerDuty, trigger.formatted(SandboxLayout.NOTIFY_TOKEN), null);
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(accepted.body()).path("dedup_key").asText()).isEqualTo("inc-1");
    assertThat(post(pagerDuty, trigger.formatted("wrong-key"), null).statusCode()).isEqualTo(401);

    List<SandboxNotifications.Notification> received = notifications.after(last);
    assertThat(received)
        .extracting(
            SandboxNotifications.Notification::service, SandboxNotifications.Notification::status)
        .containsExactly(
            tuple("slack", 200),
            tuple("slack", 401),
            tuple("slack", 400),
            tuple("pagerduty", 202),
            tuple("pagerduty", 401));
    assertThat(received.get(0).describe())
        .contains("slack")
        .contains("[info] backend recovered")
        .doesNotContain("refused");
    assertThat(received.get(1).describe()).endsWith("[refused: 401]");
    assertThat(received.get(3).describe()).contains("trigger: backend down (dedup key inc-1)");
    assertThat(received)
        .allSatisfy(
            message ->
                assertThat(message.body().toString())
                    .as("the routing key is never kept")
                    .doesNotContain(SandboxLayout.NOTIFY_TOKEN)
                    .doesNotContain("wrong-key"));
    assertThat(notifications.after(received.get(4).id())).isEmpty();
  }

  private static HttpResponse<String> post(String url, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
