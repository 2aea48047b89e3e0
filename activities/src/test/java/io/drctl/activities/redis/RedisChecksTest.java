package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** redis.info, redis.verify and redis.flush against a real redis-server. */
class RedisChecksTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void infoReportsKeysRoleAndPersistenceOfAHealthyServer() {
    RedisTestActivities actions = fixture.actions();
    RedisInfoResult info =
        actions.activities.info(
            new RedisInfoInput("redis", null, null, actions.targets(fixture.server())));

    assertThat(info.healthy()).isTrue();
    assertThat(info.keys()).isEqualTo(RedisTestData.DB0_KEYS + RedisTestData.DB3_KEYS);
    assertThat(info.role()).isEqualTo("master");
    assertThat(info.aofEnabled()).isTrue();
    assertThat(info.usedMemoryBytes()).isPositive();
    assertThat(info.usedRatio()).isBetween(0.0, 1.0);
  }

  @Test
  void infoFailsWithRedisUnhealthyWhenMemoryIsAboveTheWarnRatio() {
    RedisTestActivities actions = fixture.actions();
    fixture.server().redis(redis -> redis.configSet("maxmemory", "2mb"));

    Throwable thrown =
        catchThrowable(
            () ->
                actions.activities.info(
                    new RedisInfoInput("redis", 0.01, true, actions.targets(fixture.server()))));

    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.REDIS_UNHEALTHY);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void infoOnASentinelReportsItHealthyWhileItSeesItsMasterOkAndUnhealthyOnceTheMasterIsGone(
      @TempDir Path temp) throws InterruptedException {
    RedisTestActivities actions = fixture.actions();
    try (RedisTestServer master = RedisTestServer.start(temp.resolve("master"), false);
        RedisTestServer sentinel = RedisTestServer.sentinel(temp.resolve("sentinel"), master)) {
      RedisInfoInput input =
          new RedisInfoInput("redis", null, true, actions.targets(sentinel.target()));
      RedisInfoResult watching = actions.activities.info(input);
      master.close();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (actions
              .activities
              .info(new RedisInfoInput("redis", null, false, input.targets()))
              .healthy()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }

      assertThat(watching.role()).isEqualTo("sentinel");
      assertThat(watching.healthy()).isTrue();
      assertThatThrownBy(() -> actions.activities.info(input))
          .isInstanceOf(ActivityFailure.class)
          .hasMessageContaining("not ok")
          .hasMessageContaining("mymaster");
    }
  }

  @Test
  void verifyListsMissingSampleKeysAndFailsNonRetryablyWhenAsked() {
    RedisTestActivities actions = fixture.actions();
    RedisVerifyInput input =
        new RedisVerifyInput(
            "redis", 10, List.of("user:1", "gone"), true, false, actions.targets(fixture.server()));

    RedisVerifyResult report = actions.activities.verify(input);
    Throwable thrown =
        catchThrowable(
            () ->
                actions.activities.verify(
                    new RedisVerifyInput(
                        "redis",
                        10,
                        List.of("gone"),
                        true,
                        true,
                        actions.targets(fixture.server()))));

    assertThat(report.ok()).isFalse();
    assertThat(report.pong()).isTrue();
    assertThat(report.missingKeys()).containsExactly("gone");
    assertThat(report.persistenceOk()).isTrue();
    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.VERIFICATION_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void flushOfOneDatabaseLeavesTheOthersAndFlushAllEmptiesEverything() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    RedisFlushResult one =
        actions.activities.flush(
            new RedisFlushInput("redis", "db", 3, false, actions.targets(server)));
    long db0 = server.keys(0).size();
    RedisFlushResult all =
        actions.activities.flush(
            new RedisFlushInput("redis", "all", null, null, actions.targets(server)));

    assertThat(one.keysBefore()).isEqualTo(RedisTestData.DB3_KEYS);
    assertThat(one.keysAfter()).isZero();
    assertThat(db0).isEqualTo(RedisTestData.DB0_KEYS);
    assertThat(all.keysBefore()).isEqualTo(RedisTestData.DB0_KEYS);
    assertThat(server.keys(0)).isEmpty();
  }
}
