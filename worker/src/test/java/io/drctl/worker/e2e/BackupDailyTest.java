package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.testing.S3ProxyProcess;
import io.drctl.workflow.IncidentReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, the seed's daily backup end to end: the {@code backup_daily} incident of {@code
 * runbooks/dr-runbook.json}, whole, against a test sandbox ({@value #SANDBOX}, ports 29480-29499),
 * its local store, and an S3 server (S3Proxy) as the runbook's {@code backups-s3}. Its PostgreSQL
 * steps (custom-format dump and base backup) and its Redis steps (RDB snapshot and AOF copy) must
 * each produce a verified backup holding what the servers hold, replicated to S3; both stores
 * pruned; the summary posted to #incident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupDailyTest {
  private static final String SANDBOX = "e2e-backup";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29480);
  private static final String QUEUE = "backup-daily-e2e";
  private static final String BUCKET = "thebot-backups";
  private static final int KEYS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private S3ProxyProcess s3;
  private E2eSandbox e2e;

  @BeforeAll
  void startS3SandboxServerAndWorker() throws Exception {
    s3 = S3ProxyProcess.start(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    ObjectNode target =
        ((ObjectNode) JSON.readTree(E2eHarness.RUNBOOK.toFile()).path("targets").path("backups-s3"))
            .deepCopy();
    target.put("endpoint", s3.endpoint().toString());
    e2e =
        E2eSandbox.start(
            dir,
            LAYOUT,
            QUEUE,
            Map.of("backups-s3", target),
            Map.of(
                "DRCTL_S3_ACCESS_KEY_ID",
                s3.credentials().accessKeyId(),
                "DRCTL_S3_SECRET_ACCESS_KEY",
                s3.credentials().secretAccessKey()));
    e2e.sandbox().up(new Sandbox.UpOptions(1, dir.resolve("sandbox.targets.json")));
  }

  @AfterAll
  void stopEverything() throws Exception {
    try (AutoCloseable closeS3 = s3;
        AutoCloseable closeSandbox = e2e) {
      // closed in reverse order: the sandbox, then S3
    }
  }

  @Test
  void theDailyBackupTakesVerifiesAndReplicatesThePostgresAndRedisBackups() throws Exception {
    new RedisGroup(LAYOUT)
        .redis(
            Role.REDIS,
            commands -> {
              for (int i = 0; i < KEYS; i++) {
                commands.set("e2e:session:" + i, "session " + i);
              }
              return null;
            });

    String id = "backup-daily-" + System.nanoTime();
    E2eHarness.Cli started =
        e2e.harness()
            .cli(
                "start",
                "backup_daily",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                e2e.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "nightly backup");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = e2e.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    List<String> order = ranInOrder(report);
    assertThat(order)
        .containsExactlyInAnyOrder(
            "pg_dump",
            "pg_base",
            "redis_rdb",
            "redis_aof",
            "verify_dump",
            "verify_base",
            "verify_rdb",
            "verify_aof",
            "replicate",
            "prune_local",
            "prune_s3",
            "report");
    assertThat(order.subList(order.indexOf("replicate"), order.size()))
        .containsExactly("replicate", "prune_local", "prune_s3", "report");

    JsonNode rdb = stepReport(report, "redis_rdb").output();
    JsonNode aof = stepReport(report, "redis_aof").output();
    assertThat(rdb.path("type").asText()).as(rdb.toString()).isEqualTo("rdb");
    assertThat(aof.path("type").asText()).as(aof.toString()).isEqualTo("aof");
    for (JsonNode redis : List.of(rdb, aof)) {
      assertThat(redis.path("keys").asLong()).as(redis.toString()).isGreaterThanOrEqualTo(KEYS);
      assertThat(redis.path("checksum").asText()).isNotBlank();
    }
    List<String> ids =
        List.of(
            stepReport(report, "pg_dump").output().path("backupId").asText(),
            stepReport(report, "pg_base").output().path("backupId").asText(),
            rdb.path("backupId").asText(),
            aof.path("backupId").asText());
    assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    for (String verify : List.of("verify_dump", "verify_base", "verify_rdb", "verify_aof")) {
      JsonNode verified = stepReport(report, verify).output();
      assertThat(verified.path("ok").asBoolean()).as(verify + " " + verified).isTrue();
    }
    for (String backupId : ids) {
      JsonNode metadata = e2e.metadata(backupId);
      assertThat(metadata.path("verified").asBoolean()).as(backupId + " " + metadata).isTrue();
    }
    JsonNode replicated = stepReport(report, "replicate").output();
    assertThat(replicated.path("copied").asInt())
        .as(replicated.toString())
        .isGreaterThanOrEqualTo(ids.size());
    try (Stream<Path> files = Files.walk(s3.baseDir().resolve(BUCKET))) {
      List<String> inS3 = files.map(Path::toString).toList();
      for (String backupId : ids) {
        assertThat(inS3)
            .as("S3 holds " + backupId)
            .anySatisfy(path -> assertThat(path).contains(backupId));
      }
    }
    assertThat(stepReport(report, "prune_local").status()).isEqualTo("succeeded");
    assertThat(stepReport(report, "prune_s3").status()).isEqualTo("succeeded");
    assertThat(e2e.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body)
                    .contains("Daily backup done")
                    .contains(rdb.path("backupId").asText()));
  }
}
