package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.ActionPackContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The redis records and activity types agree with {@code io/drctl/catalog/redis.json}. No server
 * needed.
 */
class RedisCatalogContractTest extends ActionPackContract {
  RedisCatalogContractTest() {
    super("redis.", RedisActivitiesImpl.class, "{\"target\": \"cache\"}");
  }

  private static final Map<String, JsonNode> TARGETS =
      Map.of(
          "cache",
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "redis")
              .put("host", "127.0.0.1")
              .put("port", 6379)
              .put("password", "env:REDIS_PASSWORD"));

  /** Each action with an input whose every optional field is set, and a result. */
  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of(
            "redis.info",
            new RedisInfoInput("cache", 0.8, true, TARGETS),
            new RedisInfoResult(true, 1, 2, 0.5, 1.1, 0, 3, 1, "master", true, true, true, 10)),
        Arguments.of(
            "redis.backup",
            new RedisBackupInput("cache", "store", "aof", "daily", "10m", "l", TARGETS),
            new RedisBackupResult(
                "b1", "2024-01-01T00:00:00Z", 10, "sha256:00", 1.5, "/x", "aof", 3)),
        Arguments.of(
            "redis.restore",
            new RedisRestoreInput("cache", "store", "rdb", "latest", true, "5m", TARGETS),
            new RedisRestoreResult("b1", "2024-01-01T00:00:00Z", "rdb", 3, true, 1.5)),
        Arguments.of(
            "redis.flush",
            new RedisFlushInput("cache", "db", 1, true, TARGETS),
            new RedisFlushResult(3, 0, 100)),
        Arguments.of(
            "redis.snapshot",
            new RedisSnapshotInput("cache", "store", true, "pre", TARGETS),
            new RedisSnapshotResult("s1", "/x", 10, 3, "2024-01-01T00:00:00Z", 0)),
        Arguments.of(
            "redis.verify",
            new RedisVerifyInput("cache", 1, List.of("k"), true, true, TARGETS),
            new RedisVerifyResult(true, true, 3, List.of("k"), true, 1)),
        Arguments.of(
            "redis.checkAof",
            new RedisCheckAofInput("cache", "store", "b1", true, TARGETS),
            new RedisCheckAofResult(true, 2, 100, -1, "All AOF files and manifest are valid")),
        Arguments.of(
            "redis.sentinelFailover",
            new RedisSentinelFailoverInput(
                "cache", "cache", "mymaster", true, "1m", "app:heartbeat", TARGETS),
            new RedisSentinelFailoverResult(
                "127.0.0.1:6379", "127.0.0.1:6380", 0, 12, 1.5, "127.0.0.1", 6380, false, 0.0)),
        Arguments.of(
            "redis.replicaOf",
            new RedisReplicaOfInput("cache", "cache", "2m", TARGETS),
            new RedisReplicaOfResult("replica", "127.0.0.1:6379", true, 1.5)));
  }

  @Test
  void inputsPrintNoTargetProperties() {
    RedisRestoreInput input =
        new RedisRestoreInput("cache", "store", "rdb", null, null, null, TARGETS);

    assertThat(input.toString()).contains("$targets=[cache]").doesNotContain("env:REDIS_PASSWORD");
  }
}
