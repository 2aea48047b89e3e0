package io.drctl.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.postgres.PostgresActivities;
import io.drctl.activities.postgres.PostgresBackend;
import io.drctl.activities.postgres.PostgresOptions;
import io.drctl.activities.postgres.PostgresPromoteInput;
import io.drctl.activities.postgres.PostgresPromoteResult;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.testing.DataLossProbe;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover on a real sandbox (issue 6, "Replica promotion"): the primary's container is killed
 * while a writer commits rows one by one, {@code postgres.promote} fences it by stopping its
 * container and promotes the replica, and the data loss is measured as the last acknowledged write
 * against what the promoted server has: the incident's actual RPO. Sandbox {@code itest-promote} on
 * ports 29220-29239.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaPromotionTest {
  private static final SandboxLayout LAYOUT = SandboxLayout.of("itest-promote", 29220);
  private static final Duration WRITING_BEFORE_THE_CRASH = Duration.ofSeconds(3);
  private static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  @TempDir static Path dir;
  private SandboxEngine engine;
  private Sandbox sandbox;
  private TestActivityEnvironment environment;
  private PostgresBackend implementation;

  @BeforeAll
  void bringUpASandbox() {
    engine = SandboxEngine.fromEnvironment();
    sandbox =
        new Sandbox(
            engine,
            LAYOUT,
            SandboxImages.fromEnvironment(System.getenv()),
            line -> System.out.println("[sandbox itest-promote] " + line));
    sandbox.down();
    sandbox.up(new Sandbox.UpOptions(1, dir.resolve("targets.json")));
    implementation =
        PostgresBackend.create(
            new SecretResolver(Map.of("PGPASSWORD", SandboxLayout.PASSWORD)),
            PostgresOptions.defaults(),
            DockerOptions.defaults());
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(implementation);
  }

  @AfterAll
  void takeItDown() {
    try {
      if (environment != null) {
        environment.close();
      }
      if (implementation != null) {
        implementation.close();
      }
      if (sandbox != null) {
        sandbox.down();
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
  }

  @Test
  void promotingTheReplicaAfterThePrimaryIsKilledMidWritesLosesAtMostAFewAcknowledgedRows()
      throws Exception {
    try (Connection primary = sandbox.primary();
        Statement statement = primary.createStatement()) {
      statement.execute(
          "CREATE TABLE rpo_probe (id bigint PRIMARY KEY, written_at timestamptz NOT NULL)");
    }
    String timelineBefore;
    try (Connection replica = sandbox.replica();
        Statement statement = replica.createStatement()) {
      timelineBefore = scalar(statement, "SELECT timeline_id FROM pg_control_checkpoint()");
    }

    DataLossProbe writer = new DataLossProbe(sandbox::primary);
    Thread thread = new Thread(writer, "rpo-writer");
    thread.start();
    Thread.sleep(WRITING_BEFORE_THE_CRASH.toMillis());
    long acknowledgedAtKill = writer.lastAcknowledged();
    engine.kill(LAYOUT.container(Role.PRIMARY));
    long killedAt = System.nanoTime();
    thread.join(Duration.ofSeconds(30).toMillis());
    assertThat(thread.isAlive()).as("the writer stops when the primary dies").isFalse();
    assertThat(writer.failure()).as("the writer ended on the crash").isNotNull();
    long lastAcknowledged = writer.lastAcknowledged();
    assertThat(lastAcknowledged)
        .as("rows were committed before the crash")
        .isGreaterThan(100)
        .isGreaterThanOrEqualTo(acknowledgedAtKill);

    PostgresActivities activities =
        environment.newActivityStub(PostgresActivities.class, ONE_ATTEMPT);
    PostgresPromoteResult promoted =
        activities.promote(
            new PostgresPromoteInput(
                Role.REPLICA.target(),
                Role.PRIMARY.target(),
                "stopContainer",
                null,
                null,
                null,
                targets()));
    double failoverSeconds = (System.nanoTime() - killedAt) / 1e9;

    assertThat(promoted.promoted()).isTrue();
    assertThat(promoted.fenced()).isTrue();
    assertThat(promoted.port()).isEqualTo(LAYOUT.port(Role.REPLICA));
    assertThat(promoted.timeline()).isGreaterThan(Integer.parseInt(timelineBefore));
    assertThat(engine.inspect(LAYOUT.container(Role.PRIMARY)).getState().getRunning()).isFalse();

    try (Connection newPrimary = sandbox.replica();
        Statement statement = newPrimary.createStatement()) {
      assertThat(scalar(statement, "SELECT pg_is_in_recovery()")).isEqualTo("f");
      long recovered =
          Long.parseLong(scalar(statement, "SELECT coalesce(max(id), 0) FROM rpo_probe"));
      assertThat(scalar(statement, "SELECT count(*) FROM rpo_probe"))
          .as("no gaps below the last row kept")
          .isEqualTo(String.valueOf(recovered));
      // The commit in flight at the kill may have reached the replica without its acknowledgement
      // reaching us.
      assertThat(recovered)
          .as("at most the one commit in flight beyond the last acknowledged")
          .isLessThanOrEqualTo(lastAcknowledged + 1);
      long lostRows = Math.max(0, lastAcknowledged - recovered);
      double lostSeconds = writer.secondsLost(recovered);
      System.out.printf(
          Locale.ROOT,
          "replica promotion: %d rows acknowledged, %d on the promoted replica: RPO %d rows"
              + " (%.3f s of writes at %.0f rows/s); promoted in %d ms, %.1f s from the kill; timeline %s -> %d%n",
          lastAcknowledged,
          recovered,
          lostRows,
          lostSeconds,
          writer.rate(),
          promoted.durationMillis(),
          failoverSeconds,
          timelineBefore,
          promoted.timeline());
      // Asynchronous streaming on one host: at most the commits the walsender had not yet sent.
      assertThat(lostRows).as("acknowledged rows lost").isBetween(0L, 200L);
      assertThat(lostSeconds).as("seconds of acknowledged writes lost").isLessThan(1.0);

      // The next id after every row there: the in-flight commit above may already hold
      // lastAcknowledged + 1.
      long next = Math.max(recovered, lastAcknowledged) + 1;
      statement.executeUpdate("INSERT INTO rpo_probe VALUES (" + next + ", now())");
      assertThat(scalar(statement, "SELECT count(*) FROM rpo_probe WHERE id = " + next))
          .isEqualTo("1");
    }
  }

  /** The runbook's two PostgreSQL targets of this sandbox, from its targets file. */
  private static Map<String, JsonNode> targets() {
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            SandboxTargets.of(LAYOUT).get("targets").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      targets.put(entry.getKey(), entry.getValue());
    }
    return targets;
  }

  private static String scalar(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
