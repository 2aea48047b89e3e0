package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many short-lived clients on one {@link RedisClients}, as each step and the sandbox's Sentinel
 * probes make them: the event loops stay up from one to the next and every shutdown returns.
 */
class RedisClientsTest {
  private static final int CLIENTS = 300;

  @TempDir Path temp;

  @Test
  void manyClientsOnTheSharedEventLoopsConnectAnswerAndShutDown() {
    try (RedisTestServer server = RedisTestServer.start(temp.resolve("redis"), false);
        RedisClients clients = new RedisClients()) {
      RedisURI uri =
          RedisURI.builder()
              .withHost("127.0.0.1")
              .withPort(server.port())
              .withPassword(RedisTestServer.PASSWORD.toCharArray())
              .withTimeout(Duration.ofSeconds(5))
              .build();
      int answered = 0;
      for (int i = 0; i < CLIENTS; i++) {
        RedisClient client = clients.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          if ("PONG".equals(connection.sync().ping())) {
            answered++;
          }
        } finally {
          RedisClients.shutdown(client);
        }
      }
      assertThat(answered).isEqualTo(CLIENTS);
    }
  }
}
