package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** redis.snapshot: the pre-change safety copy, live or cold, and restorable. */
class RedisSnapshotTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void aRepeatWithinOneIncidentReusesTheCopyAndTheCopyRestores() {
    RedisTestServer server = fixture.server();
    Set<String> db0 = server.keys(0);
    RedisSnapshotResult first = snapshot("pre-change");
    RedisTestData.changeEverything(server);
    RedisSnapshotResult repeat = snapshot("pre-change");

    fixture.actions().restore(server, "aof", first.snapshotId());

    assertThat(first.snapshotId()).startsWith("safety_").endsWith("_pre-change");
    assertThat(repeat.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(repeat.createdAt()).isEqualTo(first.createdAt());
    assertThat(first.keys()).isEqualTo(RedisTestData.DB0_KEYS + RedisTestData.DB3_KEYS);
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  @Test
  void aStoppedServerIsCopiedColdAndTheCopyRestores() {
    RedisTestServer server = fixture.server();
    Set<String> db0 = server.keys(0);
    server.stop();

    RedisSnapshotResult cold = snapshot("cold");
    server.restart();
    RedisTestData.changeEverything(server);
    fixture.actions().restore(server, "aof", cold.snapshotId());

    assertThat(cold.keys()).isZero();
    assertThat(cold.unreadableFiles()).isZero();
    assertThat(cold.sizeBytes()).isPositive();
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  private RedisSnapshotResult snapshot(String label) {
    return fixture
        .actions()
        .activities
        .snapshot(
            new RedisSnapshotInput(
                "redis",
                RedisTestActivities.STORE,
                null,
                label,
                fixture.actions().targets(fixture.server())));
  }
}
