package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, the seed's multi-service failure end to end: the {@code multi_service_failure} incident
 * of {@code runbooks/dr-runbook.json} against a test sandbox ({@value #SANDBOX}, ports 29460-29479)
 * whose PostgreSQL primary, Redis and backend containers were all killed. The Redis Sentinels and
 * replica are killed with them (else the Sentinels would fail Redis over, which is {@code
 * cache_failover}'s business). The incident must start the database and the cache, wait until both
 * answer, restart the backend once the operator lets the veto window go, and find the API healthy,
 * with the data of both servers as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiServiceFailureTest {
  private static final String SANDBOX = "e2e-multi";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29460);
  private static final String QUEUE = "multi-service-failure-e2e";

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  void databaseCacheAndBackendKilledTogetherComeBackInOrderWithTheirData() throws Exception {
    RedisGroup redis = new RedisGroup(LAYOUT);
    redis.redis(Role.REDIS, commands -> commands.set("e2e:session", "kept by the AOF"));
    Thread.sleep(1500); // appendfsync everysec
    for (Role role :
        List.of(
            Role.SENTINEL_1,
            Role.SENTINEL_2,
            Role.SENTINEL_3,
            Role.REDIS_REPLICA,
            Role.PRIMARY,
            Role.REDIS,
            Role.BACKEND)) {
      E2E.engine().kill(LAYOUT.container(role));
    }

    String id = "multi-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "multi_service_failure",
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "host rebooted: stack down");
    assertThat(started.exitCode()).as(started.text()).isZero();
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "veto").status().equals("waiting-approval"),
            "the veto window before the backend restart");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "restart it now", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(240));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    List<String> order = ranInOrder(report);
    assertThat(order)
        .containsExactlyInAnyOrder(
            "db_state",
            "cache_state",
            "backend_state",
            "start_db",
            "start_cache",
            "db_ready",
            "cache_ready",
            "veto",
            "restart_backend",
            "health",
            "resolved");
    assertThat(order.subList(order.indexOf("veto"), order.size()))
        .containsExactly("veto", "restart_backend", "health", "resolved");
    assertThat(order.indexOf("start_db")).isLessThan(order.indexOf("db_ready"));
    assertThat(order.indexOf("start_cache")).isLessThan(order.indexOf("cache_ready"));
    for (String state : List.of("db_state", "cache_state", "backend_state")) {
      assertThat(stepReport(report, state).output().path("status").asText())
          .as(state)
          .isEqualTo("exited");
      assertThat(stepReport(report, state).output().path("exitCode").asInt())
          .as(state)
          .isEqualTo(137);
    }
    assertThat(stepReport(report, "db_ready").output().path("ready").asBoolean()).isTrue();
    assertThat(stepReport(report, "cache_ready").output().path("ok").asBoolean()).isTrue();
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    assertThat(report.decisions())
        .anySatisfy(decision -> assertThat(decision.step()).isEqualTo("veto"));

    String session = redis.redis(Role.REDIS, commands -> commands.get("e2e:session"));
    assertThat(session).isEqualTo("kept by the AOF");
    try (Connection primary = E2E.sandbox().primary()) {
      assertThat(Dataset.verify(primary).ok()).as("the dataset as seeded").isTrue();
    }
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body)
                    .contains(
                        "Stack back up: PostgreSQL was exited, Redis exited, backend exited"));
  }
}
