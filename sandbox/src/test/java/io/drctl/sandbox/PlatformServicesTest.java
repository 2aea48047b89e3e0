package io.drctl.sandbox;

import static io.drctl.testing.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.store.S3Credentials;
import io.drctl.store.StoreConfig;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's whole platform on the real engine and image: sandbox {@code itest-platform} on ports
 * 29540-29559. Through the front proxy (nginx) users get the frontend and the backend's API: a
 * login, materials, a chat message, an assignment submission, a test-mode payment, an upload, and a
 * task the task worker consumes from Redis and answers through a long poll. The secondary site's
 * PostgreSQL and Redis answer, and its S3 store takes and lists an object in the runbook's bucket.
 * Killing the task worker's container shows in the backend's worker status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformServicesTest {
  private static final SandboxLayout LAYOUT = SandboxLayout.of("itest-platform", 29540);
  private static final SiteClient SITE = new SiteClient(LAYOUT);
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
    sandbox.up(new Sandbox.UpOptions(1, dir.resolve("platform.targets.json")));
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
  void theProxyServesTheFrontendAndSendsTheApiToTheBackend() throws Exception {
    HttpResponse<String> page = SITE.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("THE_BOT platform").contains("app.py --frontend");
    HttpResponse<String> health = SITE.get("/api/system/health/", null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("healthy");
    assertThat(SITE.get("/api/materials/", null).statusCode())
        .as("the API wants a login")
        .isEqualTo(401);
  }

  @Test
  @Order(2)
  void aTaskGoesThroughTheQueueToTheWorkerAndBackThroughALongPoll() throws Exception {
    HttpResponse<String> queued =
        SITE.post("/api/tasks/", null, "{\"name\":\"count_rows\",\"args\":{\"table\":\"users\"}}");
    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
    String id = JSON.readTree(queued.body()).path("id").asText();
    HttpResponse<String> result = SITE.get("/api/tasks/" + id + "/result/?wait=20", null);
    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    JsonNode done = JSON.readTree(result.body());
    assertThat(done.path("status").asText()).isEqualTo("done");
    assertThat(done.path("result").path("rows").asLong()).isEqualTo(usersInTheDataset());
    JsonNode workers = JSON.readTree(SITE.get("/api/system/workers/", null).body());
    assertThat(workers.path("status").asText()).as(workers.toString()).isEqualTo("ok");
    assertThat(workers.path("processed").asLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(3)
  void aUserLogsInReadsMaterialsChatsSubmitsPaysAndUploads() throws Exception {
    HttpResponse<String> wrong =
        SITE.post("/api/auth/login/", null, "{\"user_id\":1,\"password\":\"nope\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    String token = SITE.login(1);

    JsonNode materials = JSON.readTree(SITE.get("/api/materials/?limit=3", token).body());
    assertThat(materials.path("materials")).hasSize(3);
    assertThat(
            SITE.post(
                    "/api/chat/messages/",
                    token,
                    "{\"room\":\"r1\",\"text\":\"hello from the test\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(SITE.get("/api/chat/messages/?room=r1", token).body())
        .contains("hello from the test");
    HttpResponse<String> submitted =
        SITE.post("/api/assignments/1/submit/", token, "{\"answer\":\"42\"}");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    assertThat(
            SITE.post("/api/payments/", token, "{\"amount\":9.5,\"mode\":\"live\"}").statusCode())
        .isEqualTo(400);
    HttpResponse<String> paid =
        SITE.post("/api/payments/", token, "{\"amount\":9.5,\"mode\":\"test\"}");
    assertThat(JSON.readTree(paid.body()).path("status").asText())
        .as(paid.body())
        .isEqualTo("succeeded");
    HttpResponse<String> uploaded = SITE.post("/api/uploads/", token, "attachment bytes");
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    assertThat(JSON.readTree(uploaded.body()).path("bytes").asInt()).isEqualTo(16);
    try (Connection primary = sandbox.primary();
        Statement statement = primary.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM app_submissions),"
                    + " (SELECT count(*) FROM app_test_payments), (SELECT count(*) FROM app_uploads)")) {
      rows.next();
      assertThat(new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)})
          .containsExactly(1, 1, 1);
      assertThat(Dataset.verify(primary).ok())
          .as("the API writes beside the dataset, whose checksums still hold")
          .isTrue();
    }
  }

  @Test
  @Order(4)
  void theSecondarySiteHasAnEmptyDatabaseARedisAndTheS3Bucket() throws Exception {
    try (Connection secondary =
            PostgresConnections.open(LAYOUT, Role.PG_SECONDARY, SandboxLayout.DATABASE, 5);
        Statement statement = secondary.createStatement();
        ResultSet tables =
            statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
      tables.next();
      assertThat(tables.getLong(1)).isZero();
    }
    assertThat(Probes.of(LAYOUT, Role.REDIS_SECONDARY).ok()).isTrue();
    ObjectNode target =
        ((ObjectNode) SandboxTargets.of(LAYOUT).path("targets").path("backups-s3")).deepCopy();
    target.remove(java.util.List.of("kind", "description"));
    StoreConfig config =
        StoreConfig.fromTarget(
            JSON.convertValue(target, Map.class),
            new S3Credentials(SandboxLayout.S3_ACCESS_KEY, SandboxLayout.S3_SECRET_KEY));
    try (ObjectStore store = ObjectStores.open(config)) {
      store.put("probe/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
      assertThat(store.list("probe/")).hasSize(1);
    }
  }

  @Test
  @Order(5)
  void aKilledTaskWorkerShowsInTheBackendsWorkerStatus() throws Exception {
    docker.killContainerCmd(LAYOUT.container(Role.TASK_WORKER)).exec();
    awaitTrue(
        () -> SITE.get("/api/system/workers/", null).statusCode() == 503,
        Duration.ofSeconds(20),
        "the backend to report the task worker down");
    assertThat(Probes.of(LAYOUT, Role.TASK_WORKER).ok()).isFalse();
  }

  private long usersInTheDataset() throws Exception {
    try (Connection primary = sandbox.primary()) {
      return Dataset.manifest(primary).orElseThrow().stream()
          .filter(entry -> entry.table().equals("users"))
          .findFirst()
          .orElseThrow()
          .rows();
    }
  }
}
