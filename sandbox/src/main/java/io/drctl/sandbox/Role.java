package io.drctl.sandbox;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A service of the sandbox. Its {@link #suffix()} ends the container name and is the value of the
 * {@value SandboxLayout#ROLE_LABEL} label. The order is the order of a named sandbox's port block
 * ({@code portBase + ordinal}): new roles go at the end.
 */
public enum Role {
  /** PostgreSQL 15 primary, archiving WAL. */
  PRIMARY("postgres", "pg-primary"),
  /** Streaming replica of the primary, through a physical replication slot. */
  REPLICA("postgres-replica", "pg-replica"),
  /** Redis 7 with AOF everysec. */
  REDIS("redis", "redis"),
  /** The stand-in for the seed's backend: health and readiness over HTTP. */
  BACKEND("backend", "backend"),
  /**
   * A PostgreSQL 15 server beside production, empty at first: the target of restore tests and of
   * point-in-time recovery into staging. It does not archive WAL.
   */
  STAGING("postgres-staging", "pg-staging"),
  /**
   * The stand-in for Route 53 / service discovery: stores service records (e.g. {@code postgres})
   * that the backend reads at its start.
   */
  REGISTRY("registry", "dns-webhook"),
  /**
   * The stand-in for PagerDuty's Events API v2 ({@code sink.py}): checks the routing key and keeps
   * every event on the notifications volume.
   */
  PAGERDUTY("notify-pagerduty", "pagerduty"),
  /**
   * The stand-in for the Slack incident channel's webhook: checks the token, keeps every message.
   */
  SLACK("notify-slack", "slack"),
  /**
   * Redis 7 replica of {@link #REDIS}, with AOF everysec: the master Sentinel promotes when Redis
   * is lost.
   */
  REDIS_REPLICA("redis-replica", "redis-replica"),
  /**
   * The first of three Redis Sentinels monitoring {@link #REDIS} as {@value
   * SandboxLayout#REDIS_MASTER_NAME}.
   */
  SENTINEL_1("redis-sentinel-1", "redis-sentinel-1"),
  /** The second Sentinel. */
  SENTINEL_2("redis-sentinel-2", "redis-sentinel-2"),
  /** The third Sentinel. */
  SENTINEL_3("redis-sentinel-3", "redis-sentinel-3"),
  /** The front proxy (nginx): {@code /api/} to the backend, everything else to the frontend. */
  PROXY("proxy", "proxy"),
  /** The frontend's static files ({@code app.py --frontend}), served through the proxy. */
  FRONTEND("frontend", "frontend"),
  /**
   * The stand-in for the seed's Celery workers ({@code app.py --worker}): consumes the task queue
   * in {@link #REDIS} and records each result there; its port answers its own health.
   */
  TASK_WORKER("task-worker", "task-worker"),
  /**
   * PostgreSQL 15 in the secondary datacenter, empty at first: the restore target of a datacenter
   * failover (from the S3 copy). It does not archive WAL.
   */
  PG_SECONDARY("postgres-secondary", "pg-secondary"),
  /** Redis 7 in the secondary datacenter: starts empty and repopulates after a failover. */
  REDIS_SECONDARY("redis-secondary", "redis-secondary"),
  /**
   * The off-site S3 store (S3Proxy on the host's JDK) holding the bucket the backups are replicated
   * to.
   */
  S3("s3", "backups-s3");

  /** The three Sentinels, in order. */
  public static final List<Role> SENTINELS = java.util.List.of(SENTINEL_1, SENTINEL_2, SENTINEL_3);

  /**
   * Every container of the primary site, from the application in to the data (the order they go
   * down in): what a datacenter failure takes. The front proxy, the registry and the notification
   * sinks stand outside both sites.
   */
  public static final List<Role> PRIMARY_SITE =
      java.util.List.of(
          BACKEND,
          TASK_WORKER,
          SENTINEL_1,
          SENTINEL_2,
          SENTINEL_3,
          REDIS_REPLICA,
          REDIS,
          REPLICA,
          PRIMARY);

  /**
   * The services no runbook step stops, starts, restarts or waits on the health of: Docker checks
   * their health every 5 s instead of every 2 s. Each check is a {@code runc exec}: eighteen
   * containers checked every 2 s kept a third of a 2-core machine busy while the sandbox idled.
   */
  public static final java.util.Set<Role> SELDOM_CHECKED =
      java.util.EnumSet.of(
          REPLICA, STAGING, REGISTRY, PAGERDUTY, SLACK, REDIS_REPLICA, PG_SECONDARY, S3);

  private final String suffix;
  private final String target;

  Role(String suffix, String target) {
    this.suffix = suffix;
    this.target = target;
  }

  /** The container name suffix and label value, e.g. {@code postgres-replica}. */
  public String suffix() {
    return suffix;
  }

  /** The name of the runbook target that describes this service. */
  public String target() {
    return target;
  }

  /** The role whose label value or suffix is {@code text}. */
  public static Role of(String text) {
    return Arrays.stream(values())
        .filter(role -> role.suffix.equals(text) || role.name().equalsIgnoreCase(text))
        .findFirst()
        .orElseThrow(
            () ->
                new SandboxException(
                    "unknown sandbox role '"
                        + text
                        + "'; roles: "
                        + String.join(", ", Arrays.stream(values()).map(Role::suffix).toList())));
  }

  @Override
  public String toString() {
    return suffix.toLowerCase(Locale.ROOT);
  }
}
