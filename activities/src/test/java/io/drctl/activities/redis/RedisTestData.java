package io.drctl.activities.redis;

import java.util.Map;

/**
 * The dataset the redis tests back up and restore: strings, a hash and a list in db0, strings in
 * db3.
 */
final class RedisTestData {
  static final int DB0_KEYS = 202;
  static final int DB3_KEYS = 20;

  private RedisTestData() {}

  static void seed(RedisTestClient server) {
    server.redis(
        redis -> {
          for (int i = 0; i < DB0_KEYS - 2; i++) {
            redis.set("user:" + i, "value-" + i);
          }
          redis.hset("profile:1", Map.of("name", "Ada", "plan", "pro"));
          redis.rpush("queue:emails", "a", "b", "c");
          redis.select(3);
          for (int i = 0; i < DB3_KEYS; i++) {
            redis.set("session:" + i, "token-" + i);
          }
          return null;
        });
  }

  /** Changes after a backup that a restore must undo: keys deleted, added, a database emptied. */
  static void changeEverything(RedisTestClient server) {
    server.redis(
        redis -> {
          redis.del("user:1", "user:2", "profile:1");
          redis.set("written:after:backup", "x");
          redis.select(3);
          redis.flushdb();
          return null;
        });
  }
}
