package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import io.lettuce.core.RedisException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, the seed's Redis failover end to end: the {@code cache_failover} incident of {@code
 * runbooks/dr-runbook.json} as the runbook has it, against a test sandbox ({@value #SANDBOX}, ports
 * 29420-29439) whose Redis master has a replica and three Sentinels. A writer sets keys one by one
 * on the master and records each write the master acknowledged, with when; the master's container
 * is killed mid-write, while the replica is frozen and the master holds writes it acknowledged in
 * its output buffer for it, so that they are really lost; the incident is started through the CLI.
 * It must fail the master over to the replica (the Sentinels may already have), repoint the cache's
 * service record, restart the backend onto the new master, and report the writes the lost master
 * took along, measured from the backend's heartbeat key, as its actual RPO: never less than what
 * the writer saw lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheFailoverTest {
  private static final String SANDBOX = "e2e-cache-failover";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29420);
  private static final String QUEUE = "cache-failover-e2e";
  private static final Duration WRITING_BEFORE_THE_CRASH = Duration.ofSeconds(3);

  /**
   * What the master must hold in its output buffer for the frozen replica before the kill: the
   * writes there were acknowledged and are lost with the process (what the kernel's socket buffers
   * hold still reaches the replica). 256 KiB: 16 writes at least.
   */
  private static final long UNSENT_BYTES = 256 * 1024;

  private static final Duration UNSENT_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Large enough that a second of writes overflows the socket buffers between master and replica.
   */
  private static final String VALUE = "v".repeat(16 * 1024);

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  void
      aMasterKilledMidWritesFailsOverToTheReplicaAndTheReportedRpoCoversEveryLostAcknowledgedWrite()
          throws Exception {
    RedisGroup redis = new RedisGroup(LAYOUT);
    Writer writer = new Writer(redis);
    writer.start();
    Thread.sleep(WRITING_BEFORE_THE_CRASH.toMillis());
    // The replica stops reading (frozen): what the master acknowledges now piles up in its output
    // buffer, and the kill takes it along. Thawed at once, the replica has everything before that.
    E2E.docker().pauseContainerCmd(LAYOUT.container(Role.REDIS_REPLICA)).exec();
    awaitUnsentToTheReplica(redis);
    E2E.engine().kill(LAYOUT.container(Role.REDIS));
    E2E.docker().unpauseContainerCmd(LAYOUT.container(Role.REDIS_REPLICA)).exec();
    writer.join(Duration.ofSeconds(30).toMillis());
    assertThat(writer.failure.get()).as("the writer ended on the crash").isTrue();
    assertThat(writer.acknowledged)
        .as("writes acknowledged before the crash")
        .hasSizeGreaterThan(50);
    int acknowledged = writer.acknowledged.size();

    String id = "cache-failover-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "cache_failover",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "redis master container died");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "master",
            "safety",
            "failover",
            "promoted",
            "verify",
            "repoint",
            "restart_backend",
            "health",
            "resolved");
    JsonNode master = stepReport(report, "master").output();
    assertThat(master.path("running").asBoolean()).as(master.toString()).isFalse();
    assertThat(master.path("exitCode").asInt()).isEqualTo(137);
    JsonNode failover = stepReport(report, "failover").output();
    String replica = "127.0.0.1:" + LAYOUT.port(Role.REDIS_REPLICA);
    assertThat(failover.path("oldMasterLost").asBoolean()).as(failover.toString()).isTrue();
    assertThat(failover.path("oldMaster").asText())
        .isEqualTo("127.0.0.1:" + LAYOUT.port(Role.REDIS));
    assertThat(failover.path("newMaster").asText()).isEqualTo(replica);
    assertThat(failover.path("port").asInt()).isEqualTo(LAYOUT.port(Role.REDIS_REPLICA));
    assertThat(stepReport(report, "promoted").output().path("role").asText()).isEqualTo("master");
    assertThat(new RedisGroup(LAYOUT).view().masters().values())
        .as("every Sentinel names the replica")
        .containsOnly(replica);

    // The service record now names the replica, and the restarted backend uses it.
    JsonNode health = JSON.readTree(get(LAYOUT.healthUrl()));
    assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("healthy");
    assertThat(health.path("redis").path("port").asInt())
        .as(health.toString())
        .isEqualTo(LAYOUT.port(Role.REDIS_REPLICA));
    assertThat(health.path("redis").path("source").asText())
        .as(health.toString())
        .contains("registry record");

    Set<String> kept =
        new HashSet<>(redis.redis(Role.REDIS_REPLICA, commands -> commands.keys("e2e:w:*")));
    List<Long> lostAt = new java.util.ArrayList<>();
    long lastKeptAt = writer.started;
    for (int i = 0; i < writer.acknowledged.size(); i++) {
      if (kept.contains(writer.acknowledged.get(i))) {
        lastKeptAt = writer.acknowledgedAt.get(i);
      } else {
        lostAt.add(writer.acknowledgedAt.get(i));
      }
    }
    double lostSeconds = lostAt.isEmpty() ? 0 : (lostAt.get(lostAt.size() - 1) - lastKeptAt) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "cache failover: %d writes acknowledged, %d lost (%.3f s of writes); the incident"
            + " measured %.3f s (%s); took %d s%n",
        writer.acknowledged.size(),
        lostAt.size(),
        lostSeconds,
        report.rpoActualSeconds(),
        report.rpoMeasuredBy(),
        report.durationSeconds());
    assertThat(report.rpoMeasuredBy()).isEqualTo("failover");
    assertThat(report.rpoActualSeconds())
        .as("the reported RPO")
        .isNotNull()
        .isEqualTo(failover.path("dataLossSeconds").asDouble())
        // acknowledgement times against the heartbeat's and the container's clocks: a few ms apart
        .isGreaterThanOrEqualTo(lostSeconds - 0.05)
        .as("a measurement, not the time since the crash: the heartbeat beats every 250 ms")
        .isLessThan(5.0);
    assertThat(lostAt)
        .as("acknowledged writes lost while the replica was frozen, of " + acknowledged)
        .isNotEmpty();
    assertThat(report.rpoMet()).isTrue();
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body)
                    .contains("Redis failed over")
                    .contains(replica)
                    .contains("master lost: true"));
    E2eHarness.Cli status = E2E.harness().cli("status", id);
    assertThat(status.out())
        .as(status.text())
        .contains("data loss")
        .contains("measured by step failover");
  }

  /**
   * Waits until the master holds {@link #UNSENT_BYTES} for its replica in its own output buffer
   * ({@code omem} of the replica's connection in CLIENT LIST), as writes go on. A fixed time
   * instead was not enough on a busy machine: the writer acknowledged so few writes that the
   * kernel's buffers took them all, and the replica had every write after the kill.
   */
  private static void awaitUnsentToTheReplica(RedisGroup redis) throws InterruptedException {
    long deadline = System.nanoTime() + UNSENT_TIMEOUT.toNanos();
    long unsent = 0;
    while (unsent < UNSENT_BYTES) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the master held only "
                + unsent
                + " bytes for the frozen replica after "
                + UNSENT_TIMEOUT);
      }
      Thread.sleep(50);
      unsent = redis.redis(Role.REDIS, commands -> replicaOutputBytes(commands.clientList()));
    }
  }

  /** The largest {@code omem} of a replica's connection (flags S) in CLIENT LIST. */
  private static long replicaOutputBytes(String clientList) {
    long most = 0;
    for (String line : clientList.split("\\R")) {
      Map<String, String> fields = new HashMap<>();
      for (String field : line.trim().split(" ")) {
        int equals = field.indexOf('=');
        if (equals > 0) {
          fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
      }
      if (fields.getOrDefault("flags", "").contains("S") && fields.containsKey("omem")) {
        most = Math.max(most, Long.parseLong(fields.get("omem")));
      }
    }
    return most;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /**
   * Sets {@code e2e:w:N} one by one on the master, recording each write it acknowledged and when
   * (nanoTime).
   */
  private static final class Writer extends Thread {
    private final RedisGroup redis;
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final List<Long> acknowledgedAt = new CopyOnWriteArrayList<>();
    final AtomicBoolean failure = new AtomicBoolean();
    volatile long started = System.nanoTime();

    Writer(RedisGroup redis) {
      super("cache-writer");
      this.redis = redis;
    }

    @Override
    public void run() {
      try {
        redis.redis(
            Role.REDIS,
            commands -> {
              started = System.nanoTime();
              for (long n = 0; ; n++) {
                commands.set("e2e:w:" + n, VALUE);
                acknowledgedAt.add(System.nanoTime());
                acknowledged.add("e2e:w:" + n);
              }
            });
      } catch (RedisException crashed) {
        failure.set(true);
      }
    }
  }
}
