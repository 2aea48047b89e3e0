package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link RdbKeySets} against RDB files written by a real redis-server 7. */
class RdbKeySetsTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.emptyWithoutAof();
  @TempDir Path dir;

  @Test
  void theKeySetsReadFromAnRdbAreWhatScanFindsForEveryValueTypeAndEncoding() throws Exception {
    RedisTestServer server = fixture.server();
    server.redis(
        redis -> {
          redis.set("a", "1");
          redis.set("12345", "a name Redis stores as an integer");
          redis.set("-7", "a negative one");
          redis.set("70000", "a 32-bit one");
          redis.set(
              "user:" + "0".repeat(200) + ":compressible",
              "v".repeat(100_000)); // LZF name and value
          redis.set("\u00e9t\u00e9:\u2603", "a UTF-8 name");
          redis.setex("expires:later", 3600, "x");
          redis.hset("hash:small", Map.of("f", "v"));
          Map<String, String> fields = new LinkedHashMap<>();
          for (int i = 0; i < 300; i++) {
            fields.put("field" + i, "value" + i);
          }
          redis.hset("hash:big", fields);
          redis.rpush("list:small", "a", "b");
          for (int i = 0; i < 20; i++) {
            redis.rpush("list:big", "x".repeat(1000) + i);
          }
          redis.sadd("set:ints", "1", "2", "3");
          redis.sadd("set:small", "a", "b");
          redis.sadd("set:big", fields.keySet().toArray(String[]::new));
          redis.zadd("zset:small", 1.5, "a");
          for (int i = 0; i < 300; i++) {
            redis.zadd("zset:big", i, "member" + i);
          }
          redis.xadd("stream", Map.of("k", "v"));
          redis.xadd("stream", Map.of("k", "w"));
          redis.xgroupCreate(XReadArgs.StreamOffset.from("stream", "0"), "group");
          redis.xreadgroup(
              Consumer.from("group", "consumer"), XReadArgs.StreamOffset.lastConsumed("stream"));
          redis.select(5);
          for (int i = 0; i < 1000; i++) {
            redis.set("session:" + i, "token-" + i);
          }
          redis.select(0);
          return redis.save();
        });

    Map<Integer, RdbKeySets.Database> file =
        RdbKeySets.read(server.data().resolve("dump.rdb"), new AtomicLong());

    assertThat(file.keySet()).containsExactly(0, 5);
    long db0 = server.redis(redis -> redis.dbsize());
    assertThat(file.get(0).fingerprint())
        .isEqualTo(new TableFingerprint(db0, server.fingerprint(0)));
    assertThat(file.get(0).expiring()).isEqualTo(1);
    assertThat(file.get(5).fingerprint())
        .isEqualTo(new TableFingerprint(1000, server.fingerprint(5)));
    assertThat(file.get(5).expiring()).isZero();
  }

  @Test
  void aFileOfAFormatNewerThanTheReaderKnowsIsUnreadable() throws Exception {
    Path newer =
        Files.write(
            dir.resolve("newer.rdb"), "REDIS0012\u00ff".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> RdbKeySets.read(newer, new AtomicLong()))
        .isInstanceOf(RdbKeySets.Unreadable.class)
        .hasMessageContaining("version 12");
  }
}
