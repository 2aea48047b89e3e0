package io.drctl.worker.e2e;

import static io.drctl.testing.Await.awaitTrue;
import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.redis.RedisTestServer;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 12, "a restore interrupted by a SIGKILLed worker completes on retry": {@code redis.restore}
 * of an RDB of {@value #KEYS} keys, run by a {@code drctl worker} JVM of its own against a real
 * redis-server on this host (port {@value #REDIS_PORT}, AOF on, as the runbook's {@code redis}
 * target), with the worker killed by SIGKILL twice at the two points where Redis is busy with the
 * restored data: while it loads the RDB, and while it writes its first AOF after {@code CONFIG SET
 * appendonly yes}. Each time a new worker JVM takes over through the step's retry; the third
 * attempt must leave exactly the backup's key set, AOF on, a configuration file that loads it
 * again, and no temporary file.
 *
 * <p>The retry must find Redis still busy, as it would with a dataset many times bigger: the
 * configuration file the restore starts Redis from gets Redis's own debugging delays ({@code
 * key-load-delay}, {@code rdb-key-save-delay}, which its test suite uses to widen the same windows)
 * of {@value #SLOW_MICROS} µs a key, and the test lifts them ({@code CONFIG SET … 0}, which Redis
 * takes while loading) once the attempt it wants to go on has started the server. The backups are
 * the runbook's own {@code backup_daily} RDB step; the restore, the safety copy and the
 * verification are {@code cache_failure}'s steps, with the restore's heartbeat timeout cut to
 * {@value #RESTORE_HEARTBEAT} and its retry interval to a second, so that Temporal notices each
 * dead worker within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class CrashedRedisRestoreTest {
  private static final String SANDBOX = "e2e-redis-crash";

  /** The targets file's sandbox block, never started: 29520-29532. */
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29520);

  private static final int REDIS_PORT = 29539;
  private static final int KEYS = 500_000;
  private static final int CHANGED = 1_000;
  private static final int SLOW_MICROS = 200;
  private static final String RESTORE_HEARTBEAT = "10s";
  private static final String QUEUE = "crashed-redis-restore-e2e";
  private static final String INCIDENT = "cache_restore_crash";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir static Path dir;
  private RedisTestServer redis;
  private E2eSandbox e2e;
  private Path runbook;
  private final List<ProcessHandle> killed = new ArrayList<>();

  @BeforeAll
  void startRedisServerAndWorker() throws Exception {
    redis =
        RedisTestServer.startOn(
            Files.createDirectories(dir.resolve("redis")),
            REDIS_PORT,
            List.of("appendonly yes", "appendfsync everysec", "save \"\""));
    e2e =
        E2eSandbox.start(
            dir,
            LAYOUT,
            QUEUE,
            Map.of("redis", redis.target()),
            RedisTestServer.passwordEnvironment());
    runbook = writeRunbook();
  }

  @AfterAll
  void stopEverything() throws Exception {
    killed.forEach(ProcessHandle::destroyForcibly); // only if the test failed before its own check
    try (AutoCloseable server = redis) {
      if (e2e != null) {
        e2e.close();
      }
    }
  }

  @Test
  void
      aRestoreWhoseWorkerIsKilledWhileRedisLoadsAndAgainWhileItWritesItsFirstAofEndsWithTheBackupsKeys()
          throws Exception {
    long began = System.nanoTime();
    seed();
    String backupId = backup();
    JsonNode recorded = e2e.metadata(backupId).path("fingerprints").path("db0");
    assertThat(recorded.path("row_count").asLong()).as(recorded.toString()).isEqualTo(KEYS);
    assertThat(recorded.path("checksum").asText()).isEqualTo(redis.fingerprint(0));
    changeAfterTheBackup();
    slowDownTheNextStarts();
    log(began, KEYS + " keys backed up as " + backupId + ", then changed");

    String id = "crashed-redis-restore-" + System.nanoTime();
    E2eHarness.Cli start =
        e2e.harness()
            .cli(
                "start",
                INCIDENT,
                "-r",
                runbook.toString(),
                "-t",
                e2e.targets().toString(),
                "--id",
                id,
                "--input",
                "rdbFrom=" + backupId,
                "--by",
                "e2e-test",
                "--reason",
                "restore the cache");
    assertThat(start.exitCode()).as(start.text()).isZero();
    Set<Long> servers = new TreeSet<>(Set.of(redis.pid()));

    long loading = awaitNewServer(servers, "attempt 1 to start Redis on the backup", this::loading);
    killWorker(began, "Redis " + loading + " loads the backup");
    assertThat(loading()).as("Redis still loads the backup after the kill").isTrue();

    long reloading =
        awaitNewServer(
            servers, "attempt 2 to stop the loading Redis and start it again", this::loading);
    redis.redis(commands -> commands.configSet("key-load-delay", "0"));
    awaitTrue(
        this::writingTheFirstAof,
        Duration.ofSeconds(120),
        "attempt 2 to have Redis " + reloading + " write its first AOF");
    killWorker(began, "Redis " + reloading + " writes its first AOF");
    assertThat(writingTheFirstAof()).as("Redis still writes its first AOF after the kill").isTrue();

    long last =
        awaitNewServer(servers, "attempt 3 to stop Redis and start it again", this::loading);
    log(began, "attempt 3 started Redis " + last);
    redis.redis(
        commands -> {
          commands.configSet("key-load-delay", "0");
          return commands.configSet("rdb-key-save-delay", "0");
        });
    IncidentReport report = e2e.harness().result(id, Duration.ofSeconds(300));
    log(
        began,
        "incident ended: "
            + describe(report)
            + "\n  restore output "
            + stepReport(report, "restore_rdb").output());

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report)).containsExactly("safety", "restore_rdb", "verify");
    ActivityTaskStartedEventAttributes started = e2e.harness().lastAttempt(id, "redis.restore");
    assertThat(started.getAttempt())
        .as("two killed attempts and the one that finished")
        .isEqualTo(3);
    assertThat(started.getLastFailure().getTimeoutFailureInfo().getTimeoutType())
        .as("what ended the killed attempt: " + started.getLastFailure())
        .isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    JsonNode restored = stepReport(report, "restore_rdb").output();
    assertThat(restored.path("backupId").asText()).as(restored.toString()).isEqualTo(backupId);
    assertThat(restored.path("keys").asLong()).isEqualTo(KEYS);
    assertThat(restored.path("aofEnabled").asBoolean()).isTrue();
    assertThat(redis.pid()).as("the server the last attempt started").isEqualTo(last);

    assertTheBackupsKeys(recorded);
    Map<String, String> persistence = info("persistence");
    assertThat(persistence)
        .containsEntry("aof_enabled", "1")
        .containsEntry("aof_rewrite_in_progress", "0")
        .containsEntry("aof_rewrite_scheduled", "0")
        .containsEntry("loading", "0");
    assertThat(Files.readAllLines(redis.config()))
        .as("the configuration file")
        .contains("appendonly yes");
    assertNoTemporaryFiles();
    assertThat(killed)
        .as("processes of the killed workers still running")
        .noneMatch(ProcessHandle::isAlive);

    // The appendonly yes trap: started again from its configuration file alone, Redis must load the
    // AOF
    // that holds the backup, not begin an empty one.
    redis.stop();
    redis.restart();
    assertTheBackupsKeys(recorded);
    assertNoTemporaryFiles();
  }

  /** {@value #KEYS} string keys {@code user:NNNNNNNN:profile} in db0, a thousand per MSET. */
  private void seed() {
    redis.redis(
        commands -> {
          for (int first = 0; first < KEYS; first += 1_000) {
            Map<String, String> batch = new LinkedHashMap<>();
            for (int i = first; i < Math.min(KEYS, first + 1_000); i++) {
              batch.put(
                  key(i),
                  "{\"name\":\"user "
                      + i
                      + "\",\"plan\":\"pro\",\"token\":\""
                      + Long.toHexString(i * 0x9E3779B97F4A7C15L)
                      + "\"}");
            }
            commands.mset(batch);
          }
          return null;
        });
    long keys = redis.redis(commands -> commands.dbsize());
    assertThat(keys).isEqualTo(KEYS);
  }

  /**
   * Keys deleted and added after the backup: the restore must bring back the first and drop the
   * second.
   */
  private void changeAfterTheBackup() {
    redis.redis(
        commands -> {
          for (int i = 0; i < CHANGED; i++) {
            commands.del(key(i * 7));
            commands.set("written:after:backup:" + i, "x");
          }
          return null;
        });
  }

  /**
   * Redis's debugging delays in the configuration file that the restore starts Redis from, and
   * event processing every 64 KB loaded instead of every 2 MB: slowed down, a load still answers
   * within a fraction of a second, as a real one of a big dataset does.
   */
  private void slowDownTheNextStarts() throws IOException {
    Files.writeString(
        redis.config(),
        String.join(
            "\n",
            "key-load-delay " + SLOW_MICROS,
            "rdb-key-save-delay " + SLOW_MICROS,
            "loading-process-events-interval-bytes 65536",
            ""),
        StandardOpenOption.APPEND);
  }

  private void assertTheBackupsKeys(JsonNode recorded) {
    long keys = redis.redis(commands -> commands.dbsize());
    assertThat(keys).as("keys in db0").isEqualTo(KEYS);
    assertThat(redis.fingerprint(0))
        .as("the key set of db0")
        .isEqualTo(recorded.path("checksum").asText());
    long deletedAfterTheBackup =
        redis.redis(commands -> commands.exists(key(0), key(7 * (CHANGED - 1))));
    assertThat(deletedAfterTheBackup).as("keys deleted after the backup, back").isEqualTo(2);
    long addedAfterTheBackup = redis.redis(commands -> commands.exists("written:after:backup:0"));
    assertThat(addedAfterTheBackup).as("a key added after the backup, gone").isZero();
  }

  /**
   * The data directory holds dump.rdb and an appendonlydir of exactly the files its manifest names.
   */
  private void assertNoTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(redis.data())) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder("dump.rdb", "appendonlydir");
    }
    Path aof = redis.data().resolve("appendonlydir");
    List<String> manifest = Files.readAllLines(aof.resolve("appendonly.aof.manifest"));
    List<String> named = new ArrayList<>(List.of("appendonly.aof.manifest"));
    manifest.forEach(line -> named.add(line.split(" ")[1]));
    try (Stream<Path> files = Files.list(aof)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .as("appendonlydir, manifest " + manifest)
          .containsExactlyInAnyOrderElementsOf(named);
    }
  }

  /**
   * Waits until a Redis other than those in {@code seen} runs on the pid file and {@code state}
   * holds; adds it to {@code seen} and returns its pid.
   */
  private long awaitNewServer(
      Set<Long> seen, String what, java.util.concurrent.Callable<Boolean> state) throws Exception {
    long[] found = new long[1];
    awaitTrue(
        () -> {
          OptionalLong pid = pidOnFile();
          if (pid.isEmpty() || seen.contains(pid.getAsLong()) || !state.call()) {
            return false;
          }
          found[0] = pid.getAsLong();
          return true;
        },
        Duration.ofSeconds(150),
        what + "\n" + e2eTail());
    seen.add(found[0]);
    return found[0];
  }

  private String e2eTail() {
    String log = redis.log();
    return "redis log:\n" + log.substring(Math.max(0, log.length() - 3000));
  }

  private OptionalLong pidOnFile() {
    try {
      return OptionalLong.of(redis.pid());
    } catch (RuntimeException gone) { // no pid file: stopped, or not yet written
      return OptionalLong.empty();
    }
  }

  private boolean loading() {
    return "1".equals(info("persistence").get("loading"));
  }

  private boolean writingTheFirstAof() {
    Map<String, String> persistence = info("persistence");
    return "1".equals(persistence.get("aof_enabled"))
        && "1".equals(persistence.get("aof_rewrite_in_progress"));
  }

  private Map<String, String> info(String section) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : redis.redis(commands -> commands.info(section)).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  private void killWorker(long began, String when) throws Exception {
    long worker = e2e.harness().workerPid();
    killed.addAll(e2e.harness().killWorker());
    log(began, "killed worker " + worker + " while " + when);
    e2e.harness().startAnotherWorker();
  }

  private static String key(int i) {
    return String.format("user:%08d:profile", i);
  }

  private static void log(long began, String what) {
    System.out.printf(
        "crashed-redis-restore +%.1fs: %s%n", (System.nanoTime() - began) / 1e9, what);
  }

  /** The RDB backup by the runbook's backup_daily step, through the CLI; its id. */
  private String backup() throws Exception {
    Path cut =
        E2eHarness.writeCutRunbook(
            dir.resolve("backup-runbook.json"), "backup_daily", List.of("redis_rdb"));
    String id = "crashed-redis-backup-" + System.nanoTime();
    E2eHarness.Cli started =
        e2e.harness()
            .cli(
                "start",
                "backup_daily",
                "-r",
                cut.toString(),
                "-t",
                e2e.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = e2e.harness().result(id, Duration.ofSeconds(120));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    return stepReport(report, "redis_rdb").output().path("backupId").asText();
  }

  /**
   * The runbook with one incident, {@value #INCIDENT}: cache_failure's safety copy, RDB restore
   * (its heartbeat timeout and retry interval cut) and verification of the {@code redis} target.
   */
  private Path writeRunbook() throws IOException {
    ObjectNode full = E2eHarness.runbookToCut();
    ObjectNode cacheFailure = null;
    for (JsonNode incident : full.path("incidents")) {
      if ("cache_failure".equals(incident.path("type").asText())) {
        cacheFailure = (ObjectNode) incident;
      }
    }
    assertThat(cacheFailure).as("cache_failure in the runbook").isNotNull();
    ObjectNode incident = JSON.createObjectNode();
    incident.put("type", INCIDENT);
    incident.put("title", "Restore Redis from its RDB backup");
    incident.put(
        "description", "cache_failure's RDB restore alone, for a test that kills its worker.");
    // Not high: the runbook sends high incidents' start and end to Slack, and this test's sandbox
    // is never started, so the end notification would retry for 15 s against a closed port.
    incident.put("severity", "medium");
    incident.put("target", "redis");
    incident.set("objectives", cacheFailure.path("objectives"));
    incident.putObject("inputs").set("rdbFrom", cacheFailure.path("inputs").path("rdbFrom"));
    ArrayNode steps = incident.putArray("steps");
    for (String id : List.of("safety", "restore_rdb", "verify")) {
      for (JsonNode step : cacheFailure.path("steps")) {
        if (id.equals(step.path("id").asText())) {
          ObjectNode copy = step.deepCopy();
          // Its conditions read cache_failure's take-over, which this incident leaves out.
          copy.remove("if");
          if (id.equals("restore_rdb")) {
            copy.remove("description");
            copy.put("heartbeat", RESTORE_HEARTBEAT);
            copy.putObject("retry")
                .put("maxAttempts", 5)
                .put("initialInterval", "1s")
                .put("backoffCoefficient", 1);
          }
          steps.add(copy);
        }
      }
    }
    assertThat(steps).hasSize(3);
    full.putArray("incidents").add(incident);
    Path path = dir.resolve("crashed-redis-restore-runbook.json");
    Files.writeString(path, JSON.writeValueAsString(full));
    return path;
  }
}
