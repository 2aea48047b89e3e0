package io.drctl.sandbox;

import java.time.Duration;
import java.util.Map;

/**
 * The sandbox's Redis servers and Sentinels as {@link ServiceSpec}s: the master, its replica, the
 * secondary site's server and the three Sentinels watching the master. Each runs as the redis user.
 */
final class RedisServices {
  private static final String AS_REDIS = "setpriv --reuid=redis --regid=redis --init-groups ";
  private static final Duration REDIS_WAIT = Duration.ofSeconds(60);

  private final SandboxLayout layout;
  private final SandboxImages images;

  RedisServices(SandboxLayout layout, SandboxImages images) {
    this.layout = layout;
    this.images = images;
  }

  ServiceSpec redis() {
    return redisServer(Role.REDIS, layout.redisVolume(), "");
  }

  /**
   * The master's replica, with the same persistence: it syncs from the master on every start (a
   * replica that Sentinel promoted starts as a replica again, and Sentinel sorts it out).
   */
  ServiceSpec redisReplica() {
    return redisServer(
        Role.REDIS_REPLICA,
        layout.redisReplicaVolume(),
        " --replicaof 127.0.0.1 " + layout.port(Role.REDIS));
  }

  /**
   * The secondary site's Redis server: a master of its own, the primary site's data restored into
   * it.
   */
  ServiceSpec secondary() {
    return redisServer(Role.REDIS_SECONDARY, layout.redisSecondaryVolume(), "");
  }

  /**
   * A Redis server on the role's port with AOF everysec, 512 MB LRU and {@code more} options. Both
   * servers carry masterauth: either may be made the other's replica (by Sentinel, or by
   * redis.sentinelFailover).
   */
  private ServiceSpec redisServer(Role role, String volume, String more) {
    int port = layout.port(role);
    String data = SandboxLayout.REDIS_DATA;
    String script =
        String.join(
            "\n",
            "set -e",
            "mkdir -p " + data + " && chown redis:redis " + data,
            "exec "
                + AS_REDIS
                + "redis-server --port "
                + port
                + " --bind 127.0.0.1 --dir "
                + data
                + " --requirepass \"$REDISCLI_AUTH\" --masterauth \"$REDISCLI_AUTH\""
                + " --appendonly yes --appendfsync everysec"
                + " --maxmemory 512mb --maxmemory-policy allkeys-lru"
                + more);
    // redis-cli reads its password from REDISCLI_AUTH, so the health check and docker exec need no
    // -a.
    return new ServiceSpec(
        role,
        layout.container(role),
        images.of(role),
        script,
        Map.of("REDISCLI_AUTH", SandboxLayout.REDIS_PASSWORD),
        Map.of(volume, data),
        "redis-cli -h 127.0.0.1 -p " + port + " ping | grep -q PONG",
        "SIGTERM",
        REDIS_WAIT);
  }

  /**
   * A Redis Sentinel monitoring the master as {@value SandboxLayout#REDIS_MASTER_NAME} with quorum
   * {@value SandboxLayout#SENTINEL_QUORUM} and a down-after of {@value
   * SandboxLayout#SENTINEL_DOWN_AFTER_MILLIS} ms. Its configuration (which Sentinel rewrites as it
   * learns) is written anew at every start, in the container: a recreated Sentinel monitors the
   * port the master started on and learns a later failover from the others. It needs no password.
   */
  ServiceSpec sentinel(Role role) {
    int port = layout.port(role);
    String name = SandboxLayout.REDIS_MASTER_NAME;
    String configuration =
        String.join(
            "\n",
            "port " + port,
            "bind 127.0.0.1",
            "dir /tmp",
            "sentinel resolve-hostnames no",
            "sentinel monitor "
                + name
                + " 127.0.0.1 "
                + layout.port(Role.REDIS)
                + " "
                + SandboxLayout.SENTINEL_QUORUM,
            "sentinel auth-pass " + name + " " + SandboxLayout.REDIS_PASSWORD,
            "sentinel down-after-milliseconds "
                + name
                + " "
                + SandboxLayout.SENTINEL_DOWN_AFTER_MILLIS,
            "sentinel failover-timeout " + name + " 10000",
            "sentinel parallel-syncs " + name + " 1",
            "");
    String script =
        String.join(
            "\n",
            "set -e",
            "cat > /tmp/sentinel.conf <<'EOF'",
            configuration + "EOF",
            "chown redis:redis /tmp/sentinel.conf",
            "exec " + AS_REDIS + "redis-sentinel /tmp/sentinel.conf");
    return new ServiceSpec(
        role,
        layout.container(role),
        images.of(role),
        script,
        Map.of(),
        Map.of(),
        "redis-cli -h 127.0.0.1 -p " + port + " ping | grep -q PONG",
        "SIGTERM",
        REDIS_WAIT);
  }
}
