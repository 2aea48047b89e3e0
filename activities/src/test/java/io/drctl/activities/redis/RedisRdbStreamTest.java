package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RdbStream} on its own, inside an activity (it heartbeats): an RDB stored while the BGSAVE
 * child writes it is byte for byte the dump.rdb the save produced; a save too quick to follow is
 * copied afterwards, the same bytes.
 */
class RedisRdbStreamTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.emptyWithoutAof();

  /** Runs one BGSAVE and RdbStream.store into a file; answers "followed bytes". */
  @ActivityInterface
  public interface Probe {
    @ActivityMethod(name = "test.rdbStream")
    String store(int port, String dataDirectory, String out);
  }

  /**
   * The probe's implementation: what RedisBackups does around RdbStream, on a connection of the
   * test.
   */
  public static final class ProbeImpl implements Probe {
    private final RedisOptions options =
        new RedisOptions(null, Duration.ofSeconds(2), Duration.ofMillis(10));

    @Override
    public String store(int port, String dataDirectory, String out) {
      RedisHeartbeat heartbeat = RedisHeartbeat.of("test.rdbStream", options);
      PersistenceWaits waits = new PersistenceWaits(options, heartbeat);
      RedisClient client =
          RedisClient.create(
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(port)
                  .withPassword(RedisTestServer.PASSWORD.toCharArray())
                  .build());
      try (StatefulRedisConnection<String, String> connection = client.connect();
          OutputStream file = Files.newOutputStream(Path.of(out))) {
        Instant forking = Instant.now();
        PersistenceWaits.Fork fork =
            waits.fork(connection.sync(), Duration.ofMinutes(1), "BgsaveFailed");
        RdbStream.Stored stored =
            RdbStream.store(
                connection.sync(),
                waits,
                fork,
                forking,
                Path.of(dataDirectory),
                "dump.rdb",
                file,
                "BgsaveFailed",
                heartbeat,
                options.pollInterval());
        return stored.followed() + " " + stored.bytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aSaveFollowedWhileItIsWrittenStoresExactlyTheDumpItProduced() throws IOException {
    RedisTestServer server = fixture.server();
    server.redis(
        redis -> {
          byte[] value = new byte[4096];
          for (int i = 0; i < 400; i++) {
            new Random(i).nextBytes(value);
            redis.set("blob:" + i, new String(value, StandardCharsets.ISO_8859_1));
          }
          // 2 ms per key: the save takes about a second, written as it goes.
          return redis.configSet("rdb-key-save-delay", "2000");
        });

    String result = probe();

    byte[] dump = Files.readAllBytes(server.data().resolve("dump.rdb"));
    assertThat(result).isEqualTo("true " + dump.length);
    assertThat(Files.readAllBytes(fixture.directory().resolve("stored.rdb"))).isEqualTo(dump);
  }

  @Test
  void aSaveTooQuickToFollowIsCopiedOnceItEnded() throws IOException {
    RedisTestServer server = fixture.server();
    server.redis(redis -> redis.set("one", "1"));

    String result = probe();

    byte[] dump = Files.readAllBytes(server.data().resolve("dump.rdb"));
    assertThat(result).endsWith(" " + dump.length);
    assertThat(Files.readAllBytes(fixture.directory().resolve("stored.rdb"))).isEqualTo(dump);
  }

  private String probe() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(new ProbeImpl());
      Probe probe = environment.newActivityStub(Probe.class, RedisTestActivities.OPTIONS);
      return probe.store(
          fixture.server().port(),
          fixture.server().data().toString(),
          fixture.directory().resolve("stored.rdb").toString());
    } finally {
      environment.close();
    }
  }
}
