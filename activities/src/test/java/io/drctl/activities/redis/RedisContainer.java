package io.drctl.activities.redis;

import static io.drctl.activities.postgres.ContainerServer.docker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.postgres.ContainerServer;
import io.drctl.testing.FreePorts;
import java.time.Duration;
import java.util.UUID;

/**
 * Redis 7 in a Docker container as the sandbox runs one: the sandbox image ({@code
 * DRCTL_SANDBOX_IMAGE}), host networking on a free port of 58000-58999, the data directory {@value
 * #DATA} a volume, a configuration file in the container's own filesystem that holds the password
 * (given to the container in its environment) and {@code appendonly}. Redis is PID 1, so stopping
 * it stops the container. {@link #close()} removes container and volume.
 */
final class RedisContainer implements RedisTestClient, AutoCloseable {
  static final String DATA = "/data";
  private static final String CONFIG = "/etc/redis/drctl-test.conf";

  final String name = "drctl-redistest-" + UUID.randomUUID().toString().substring(0, 8);
  private final int port = FreePorts.inRange(58000, 59000);

  static boolean imageAvailable() {
    return ContainerServer.imageAvailable();
  }

  /** A started container whose Redis answers, with {@code appendonly} as given. */
  static RedisContainer start(boolean appendonly) {
    RedisContainer container = new RedisContainer();
    docker("volume", "create", container.name).check();
    String script =
        String.join(
            "\n",
            "set -e",
            "mkdir -p /etc/redis",
            "printf '%s\\n' 'port "
                + container.port
                + "' 'bind 127.0.0.1' 'dir "
                + DATA
                + "' \"requirepass $REDIS_PASSWORD\""
                + " 'appendonly "
                + (appendonly ? "yes" : "no")
                + "' 'appendfsync always' 'save \"\"' > "
                + CONFIG,
            "exec redis-server " + CONFIG);
    // The configuration file is written once: a restart keeps what CONFIG REWRITE put there.
    String once = "[ -f " + CONFIG + " ] && exec redis-server " + CONFIG + "\n" + script;
    docker(
            "run",
            "-d",
            "--name",
            container.name,
            "--network",
            "host",
            "-e",
            "REDIS_PASSWORD=" + RedisTestServer.PASSWORD,
            "-v",
            container.name + ":" + DATA,
            ContainerServer.IMAGE,
            "sh",
            "-c",
            once)
        .check();
    container.awaitAnswering();
    return container;
  }

  @Override
  public int port() {
    return port;
  }

  /** Its runbook target: container, dataDirectory and volume set, password by reference. */
  ObjectNode target() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "redis")
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("password", RedisTestServer.PASSWORD_REFERENCE)
        .put("container", name)
        .put("dataDirectory", DATA)
        .put("volume", name);
  }

  /** docker restart, then waits until Redis answers again. */
  void restart() {
    docker("restart", name).check();
    awaitAnswering();
  }

  private void awaitAnswering() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        redis(redis -> redis.ping());
        return;
      } catch (io.lettuce.core.RedisException notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "Redis in " + name + " did not answer: " + docker("logs", name).output(), notYet);
        }
      }
    }
  }

  @Override
  public void close() {
    docker("rm", "-f", "-v", name);
    docker("volume", "rm", "-f", name);
  }
}
