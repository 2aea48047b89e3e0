package io.drctl.activities.redis;

import io.drctl.activities.secrets.SecretResolver;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Connections to redis targets, on Lettuce with one set of event loops for the whole backend
 * ({@link RedisClients}). The password is resolved per connection, as late as possible, and sent
 * only as AUTH. Every Lettuce error of the work is classified here ({@link RedisFailures#of}).
 * Thread-safe; close it with the backend.
 */
final class RedisConnector implements AutoCloseable {
  /** Commands on a connection: BGSAVE, INFO, CONFIG SET and SCAN pages answer well within this. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final SecretResolver secrets;
  private final RedisOptions options;

  private final RedisClients clients = new RedisClients();

  RedisConnector(SecretResolver secrets, RedisOptions options) {
    this.secrets = secrets;
    this.options = options;
  }

  RedisOptions options() {
    return options;
  }

  SecretResolver secrets() {
    return secrets;
  }

  /** Runs {@code work} on a new connection (text keys and values) that is closed afterwards. */
  <T> T with(RedisTarget target, String doing, Function<RedisCommands<String, String>, T> work) {
    return with(target, doing, StringCodec.UTF8, work);
  }

  /** {@link #with} with keys and values as bytes: for SCAN, where keys need not be UTF-8. */
  <T> T withBytes(
      RedisTarget target, String doing, Function<RedisCommands<byte[], byte[]>, T> work) {
    return with(target, doing, ByteArrayCodec.INSTANCE, work);
  }

  /**
   * {@link #with}, with a second connection of the same client whose keys are bytes: for a SCAN
   * pass on another thread ({@link KeyScan}) while {@code work} goes on. Both are closed when
   * {@code work} returns; the pass classifies its own failures.
   */
  <T> T withScanning(
      RedisTarget target,
      String doing,
      BiFunction<RedisCommands<String, String>, RedisCommands<byte[], byte[]>, T> work) {
    RedisClient client = client(target);
    try (StatefulRedisConnection<String, String> text = client.connect(StringCodec.UTF8);
        StatefulRedisConnection<byte[], byte[]> bytes = client.connect(ByteArrayCodec.INSTANCE)) {
      return work.apply(text.sync(), bytes.sync());
    } catch (RedisException e) {
      throw RedisFailures.of(target, doing, e);
    } finally {
      RedisClients.shutdown(client);
    }
  }

  private <K, V, T> T with(
      RedisTarget target,
      String doing,
      RedisCodec<K, V> codec,
      Function<RedisCommands<K, V>, T> work) {
    RedisClient client = client(target);
    try (StatefulRedisConnection<K, V> connection = client.connect(codec)) {
      return work.apply(connection.sync());
    } catch (RedisException e) {
      throw RedisFailures.of(target, doing, e);
    } finally {
      RedisClients.shutdown(client);
    }
  }

  /** Runs {@code work} on a new connection to the Sentinel that {@code sentinel} names. */
  <T> T withSentinel(
      RedisTarget sentinel, String doing, Function<RedisSentinelCommands<String, String>, T> work) {
    RedisClient client = client(sentinel);
    try (StatefulRedisSentinelConnection<String, String> connection =
        client.connectSentinel(StringCodec.UTF8)) {
      return work.apply(connection.sync());
    } catch (RedisException e) {
      throw RedisFailures.of(sentinel, doing, e);
    } finally {
      RedisClients.shutdown(client);
    }
  }

  /**
   * The password of {@code target}, resolved now; only for a command that hands it to Redis
   * (masterauth).
   */
  String password(RedisTarget target) {
    return target.password() == null ? null : secrets.resolve(target.password()).reveal();
  }

  private RedisClient client(RedisTarget target) {
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(target.host())
            .withPort(target.port())
            .withTimeout(COMMAND_TIMEOUT);
    if (target.password() != null) {
      uri.withPassword(password(target).toCharArray());
    }
    RedisClient client = clients.create(uri.build());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).build())
            .build());
    return client;
  }

  /** Whether the target accepts a connection and answers PING now (not LOADING). */
  boolean answers(RedisTarget target) {
    return state(target) == ServerState.ANSWERS;
  }

  /**
   * Whether a server runs at the target: it answers PING, or it answers that it is loading its data
   * (it then still takes INFO, CONFIG and SHUTDOWN).
   */
  boolean runs(RedisTarget target) {
    return state(target) != ServerState.DOWN;
  }

  private enum ServerState {
    ANSWERS,
    LOADING,
    DOWN
  }

  private ServerState state(RedisTarget target) {
    RedisClient client = client(target);
    try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
      connection.sync().ping();
      return ServerState.ANSWERS;
    } catch (RedisException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof RedisLoadingException) {
          return ServerState.LOADING;
        }
      }
      ApplicationFailure failure = RedisFailures.of(target, "connecting", e);
      if (RedisFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return ServerState.DOWN;
      }
      throw failure;
    } finally {
      RedisClients.shutdown(client);
    }
  }

  @Override
  public void close() {
    clients.close();
  }
}
