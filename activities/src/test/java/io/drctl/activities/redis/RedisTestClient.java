package io.drctl.activities.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What a test does on a Redis of its own (on the host or in a container): commands with the
 * fixture's password.
 */
public interface RedisTestClient {
  /** The loopback port it listens on. */
  int port();

  /** Runs {@code work} on a connection of its own. */
  default <T> T redis(Function<RedisCommands<String, String>, T> work) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port())
                .withPassword(RedisTestServer.PASSWORD.toCharArray())
                .withTimeout(Duration.ofSeconds(30))
                .build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return work.apply(connection.sync());
    } finally {
      client.shutdown();
    }
  }

  /**
   * The key-set fingerprint of database {@code db} as a backup records it ({@code
   * keyset-xxh64-sum64:…}), read now with one SCAN pass; the server must not be written meanwhile.
   */
  default String fingerprint(int db) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port())
                .withPassword(RedisTestServer.PASSWORD.toCharArray())
                .withTimeout(Duration.ofSeconds(30))
                .build());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      connection.sync().select(db);
      long keys = connection.sync().dbsize();
      connection.sync().select(0);
      KeySets.Scanned scanned =
          KeySets.scan(connection.sync(), Map.of(db, keys), KeySets.Formula.XXH64, new AtomicLong())
              .get(db);
      return scanned.fingerprint(KeySets.Formula.XXH64, keys).checksum();
    } finally {
      client.shutdown();
    }
  }

  /** Every key of database {@code db}, sorted. */
  default Set<String> keys(int db) {
    return redis(
        redis -> {
          redis.select(db);
          return new TreeSet<>(redis.keys("*"));
        });
  }
}
