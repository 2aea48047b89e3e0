package io.drctl.worker.e2e;

import static io.drctl.testing.Await.awaitTrue;
import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, the seed's scenario 3 end to end: {@code cache_degraded} (3A, memory exhausted: the
 * operator approves FLUSHDB) and {@code cache_failure} (3B, the AOF corrupted: the AOF backup is
 * corrupt too, so the runbook falls back to the last RDB the daily backup took) of {@code
 * runbooks/dr-runbook.json}, against a test sandbox ({@value #SANDBOX}, ports 29440-29459).
 * Scenario 3 is a single Redis, as the seed has it: the replica and the Sentinels are stopped
 * first, or they would fail the master over while it is down. Backups come from the runbook's own
 * {@code backup_daily} Redis steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheFailureTest {
  private static final String SANDBOX = "e2e-cache";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29440);
  private static final String QUEUE = "cache-failure-e2e";
  private static final List<String> BACKUP_STEPS =
      List.of("redis_rdb", "redis_aof", "verify_rdb", "verify_aof");
  private static final int KEYS = 1000;

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  private RedisGroup redis;

  @BeforeAll
  void startSandboxServerAndWorker() throws Exception {
    for (Role role :
        List.of(Role.SENTINEL_1, Role.SENTINEL_2, Role.SENTINEL_3, Role.REDIS_REPLICA)) {
      E2E.engine().kill(LAYOUT.container(role));
    }
    redis = new RedisGroup(LAYOUT);
  }

  @Test
  @Order(1)
  void aRedisOutOfMemoryIsFlushedOnceTheOperatorApprovesAfterASafetyCopy() throws Exception {
    redis.redis(Role.REDIS, commands -> commands.configSet("maxmemory", "4mb"));
    String value = "x".repeat(10_000);
    redis.redis(
        Role.REDIS,
        commands -> {
          for (int i = 0; i < 600; i++) {
            commands.set("e2e:big:" + i, value);
          }
          return null;
        });

    String id = "cache-degraded-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "cache_degraded",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "redis memory at its limit");
    assertThat(started.exitCode()).as(started.text()).isZero();
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "approve_flush").status().equals("waiting-approval"),
            "the approval of FLUSHDB");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "sessions can go", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(150));
    redis.redis(Role.REDIS, commands -> commands.configSet("maxmemory", "512mb"));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "memory",
            "safety",
            "approve_flush",
            "flush",
            "verify",
            "memory_after",
            "health",
            "resolved");
    assertThat(stepReport(report, "restart").status()).isEqualTo("skipped");
    JsonNode before = stepReport(report, "memory").output();
    JsonNode after = stepReport(report, "memory_after").output();
    assertThat(before.path("usedRatio").asDouble()).as(before.toString()).isGreaterThan(0.8);
    assertThat(before.path("keys").asLong()).isGreaterThan(100);
    assertThat(after.path("usedRatio").asDouble()).as(after.toString()).isLessThan(0.8);
    // What the live services write again at once: the backend's replication heartbeat and the task
    // worker's heartbeat (the task worker came with the sandbox's whole platform).
    assertThat(after.path("keys").asLong())
        .as("the heartbeats of the backend and the task worker, written again")
        .isLessThanOrEqualTo(2);
    java.util.List<String> left =
        redis.redis(
            Role.REDIS,
            commands ->
                commands.keys("*").stream()
                    .filter(
                        key ->
                            !key.equals(io.drctl.sandbox.SandboxLayout.REDIS_HEARTBEAT_KEY)
                                && !key.startsWith("drctl:worker:")
                                && !key.startsWith("session:"))
                    .toList());
    assertThat(left).as("nothing of what was flushed came back").isEmpty();
    JsonNode safety = stepReport(report, "safety").output();
    // Each heartbeat the backend writes evicts keys (allkeys-lru at maxmemory): fewer, not none.
    assertThat(safety.path("keys").asLong())
        .as("the safety copy holds the keys flushed: " + safety)
        .isGreaterThan(100);
    assertThat(safety.path("sizeBytes").asLong()).isPositive();
    JsonNode flush = stepReport(report, "flush").output();
    assertThat(flush.path("keysBefore").asLong()).as(flush.toString()).isPositive();
    assertThat(flush.path("keysAfter").asLong()).isZero();
    long stillThere = redis.redis(Role.REDIS, commands -> commands.exists("e2e:big:599"));
    assertThat(stillThere).isZero();
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    assertThat(report.decisions())
        .anySatisfy(decision -> assertThat(decision.step()).isEqualTo("approve_flush"));
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(body -> assertThat(body).contains("Redis memory ratio"));
  }

  @Test
  @Order(2)
  void aCorruptedAofWithACorruptAofBackupFallsBackToTheLastRdbAndEveryKeyComesBack()
      throws Exception {
    redis.redis(
        Role.REDIS,
        commands -> {
          for (int i = 0; i < KEYS; i++) {
            commands.set("e2e:key:" + i, "value " + i);
          }
          return null;
        });
    Path backupRunbook =
        E2eHarness.writeCutRunbook(
            E2E.dir().resolve("backup-runbook.json"), "backup_daily", BACKUP_STEPS);
    String backupId = "cache-backup-" + System.nanoTime();
    E2eHarness.Cli backedUp =
        E2E.harness()
            .cli(
                "start",
                "backup_daily",
                "-r",
                backupRunbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                backupId,
                "--by",
                "e2e-test");
    assertThat(backedUp.exitCode()).as(backedUp.text()).isZero();
    IncidentReport backups = E2E.harness().result(backupId, Duration.ofSeconds(120));
    assertThat(backups.outcome()).as(describe(backups)).isEqualTo("succeeded");
    String rdb = stepReport(backups, "redis_rdb").output().path("backupId").asText();
    String aof = stepReport(backups, "redis_aof").output().path("backupId").asText();

    // Bit rot in the AOF backup, and in the live AOF: Redis cannot load it at its next start.
    E2eSandbox.flipAByte(E2E.dataFile(aof));
    corruptTheLiveAof();
    E2E.engine().kill(LAYOUT.container(Role.REDIS));
    E2E.engine().start(LAYOUT.container(Role.REDIS));
    awaitTrue(
        () ->
            !Boolean.TRUE.equals(
                E2E.engine().inspect(LAYOUT.container(Role.REDIS)).getState().getRunning()),
        Duration.ofSeconds(30),
        "Redis to refuse its corrupted AOF and exit");

    String id = "cache-failure-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "cache_failure",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--input",
                "rdbFrom=daily",
                "--by",
                "e2e-test",
                "--reason",
                "redis down: bad AOF");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(240));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "inspect",
            "check_aof",
            "replica",
            "safety",
            "restore_aof",
            "restore_rdb",
            "restart",
            "verify",
            "health",
            "resolved");
    assertThat(stepReport(report, "inspect").output().path("running").asBoolean()).isFalse();
    // A single Redis: no replica answers, so nothing takes over and the backups are restored.
    assertThat(stepReport(report, "replica").status()).isEqualTo("failed");
    assertThat(stepReport(report, "take_over").status()).isEqualTo("skipped");
    JsonNode liveAof = stepReport(report, "check_aof").output();
    assertThat(liveAof.path("ok").asBoolean()).as(liveAof.toString()).isFalse();
    assertThat(stepReport(report, "restore_aof").status()).isEqualTo("recovered");
    assertThat(stepReport(report, "restore_aof").attempts())
        .as("BackupCorrupt is not retried")
        .isEqualTo(1);
    assertThat(stepReport(report, "restore_aof").error()).contains(aof).contains("corrupt");
    JsonNode restored = stepReport(report, "restore_rdb").output();
    assertThat(restored.path("backupId").asText()).as(restored.toString()).isEqualTo(rdb);
    assertThat(restored.path("aofEnabled").asBoolean()).isTrue();
    assertThat(stepReport(report, "verify").output().path("keys").asLong())
        .isGreaterThanOrEqualTo(KEYS);
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    List<String> values =
        redis.redis(
            Role.REDIS,
            commands ->
                commands.mget("e2e:key:0", "e2e:key:" + (KEYS - 1)).stream()
                    .map(keyValue -> keyValue.getValueOrElse(null))
                    .toList());
    assertThat(values).containsExactly("value 0", "value " + (KEYS - 1));
    long keys = redis.redis(Role.REDIS, commands -> commands.dbsize());
    assertThat(keys).isGreaterThanOrEqualTo(KEYS);
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(body -> assertThat(body).contains("Redis restored"));
  }

  /**
   * Overwrites the first byte of the newest AOF increment in Redis's volume: no longer a command.
   */
  private void corruptTheLiveAof() throws Exception {
    Path data = Path.of(E2E.docker().inspectVolumeCmd(LAYOUT.redisVolume()).exec().getMountpoint());
    Path increment;
    try (Stream<Path> files = Files.list(data.resolve("appendonlydir"))) {
      increment =
          files
              .filter(file -> file.getFileName().toString().endsWith(".incr.aof"))
              .max(Comparator.comparing(Path::toString))
              .orElseThrow(() -> new AssertionError("no AOF increment"));
    }
    assertThat(Files.size(increment)).as(increment.toString()).isPositive();
    try (RandomAccessFile file = new RandomAccessFile(increment.toFile(), "rw")) {
      file.seek(0);
      file.write('X');
    }
  }
}
