package io.drctl.activities.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Worker-wide settings of the redis backend, fixed at construction.
 *
 * @param binDirectory where redis-server, redis-check-rdb and redis-check-aof live on the worker,
 *     or {@code null} to find them on the {@code PATH}
 * @param connectTimeout connect timeout of every connection
 * @param pollInterval how often waits (BGSAVE, AOF rewrite, loading, shutdown) look again
 */
public record RedisOptions(Path binDirectory, Duration connectTimeout, Duration pollInterval) {
  /** The environment variable naming the redis-server binary ({@code bin/lib/redis.sh} sets it). */
  public static final String SERVER_VARIABLE = "DRCTL_REDIS_SERVER";

  public RedisOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
    }
  }

  /** The tools next to {@value #SERVER_VARIABLE} of the worker's environment, else on the PATH. */
  public static RedisOptions defaults() {
    return from(System.getenv());
  }

  static RedisOptions from(Map<String, String> environment) {
    String server = environment.get(SERVER_VARIABLE);
    Path directory =
        server == null || server.isBlank() ? null : Path.of(server).toAbsolutePath().getParent();
    return new RedisOptions(directory, Duration.ofSeconds(5), Duration.ofMillis(50));
  }

  /**
   * The program to run for a tool, e.g. {@code redis-check-aof}; the shell backend reports it
   * missing.
   */
  String tool(String name) {
    return binDirectory == null ? name : binDirectory.resolve(name).toString();
  }
}
