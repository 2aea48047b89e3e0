package io.drctl.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The targets file of a sandbox (format: {@code schemas/targets.schema.json}): pg-primary,
 * pg-replica, pg-staging, redis, backend, backend-api, dns-webhook, pagerduty, slack,
 * redis-replica, redis-sentinel-1 to -3, proxy, frontend, task-worker, site, pg-secondary,
 * redis-secondary and backups-s3 pointing at its containers and ports, so that {@code -t FILE}
 * points the DR runbook at it. Secrets stay references ({@code env:PGPASSWORD}, {@code
 * env:REDIS_PASSWORD}, {@code env:DNS_WEBHOOK_TOKEN}); the sandbox's values are {@link
 * SandboxLayout#PASSWORD}, {@link SandboxLayout#REDIS_PASSWORD} and {@link
 * SandboxLayout#REGISTRY_TOKEN}.
 */
public final class SandboxTargets {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SandboxTargets() {}

  public static ObjectNode of(SandboxLayout layout) {
    ObjectNode root = JSON.createObjectNode();
    root.put("environment", "sandbox-" + layout.name());
    root.put(
        "description",
        "drctl sandbox '"
            + layout.name()
            + "' (written by drctl sandbox up; passwords:"
            + " PGPASSWORD="
            + SandboxLayout.PASSWORD
            + ", REDIS_PASSWORD="
            + SandboxLayout.REDIS_PASSWORD
            + ", DNS_WEBHOOK_TOKEN="
            + SandboxLayout.REGISTRY_TOKEN
            + ", SLACK_TOKEN="
            + SandboxLayout.NOTIFY_TOKEN
            + ", PAGERDUTY_ROUTING_KEY="
            + SandboxLayout.NOTIFY_TOKEN
            + ", DRCTL_S3_ACCESS_KEY_ID="
            + SandboxLayout.S3_ACCESS_KEY
            + ", DRCTL_S3_SECRET_ACCESS_KEY="
            + SandboxLayout.S3_SECRET_KEY
            + ").");
    ObjectNode targets = root.putObject("targets");
    postgres(
        targets.putObject(Role.PRIMARY.target()),
        layout,
        Role.PRIMARY,
        layout.primaryVolume(),
        "PostgreSQL primary of sandbox " + layout.name() + ".");
    postgres(
        targets.putObject(Role.REPLICA.target()),
        layout,
        Role.REPLICA,
        layout.replicaVolume(),
        "Streaming replica of sandbox " + layout.name() + ".");
    postgres(
        targets.putObject(Role.STAGING.target()),
        layout,
        Role.STAGING,
        layout.stagingVolume(),
        "Staging server of sandbox " + layout.name() + ": restore tests and PITR.");
    redis(
        targets.putObject(Role.REDIS.target()),
        layout,
        Role.REDIS,
        layout.redisVolume(),
        "Redis of sandbox " + layout.name() + ".");
    ObjectNode backend = targets.putObject(Role.BACKEND.target());
    backend.put("kind", "container");
    backend.put("description", "Backend container of sandbox " + layout.name() + ".");
    backend.put("container", layout.container(Role.BACKEND));
    backend.put("healthUrl", layout.healthUrl());
    ObjectNode api = targets.putObject("backend-api");
    api.put("kind", "http");
    api.put("description", "API of the backend of sandbox " + layout.name() + ".");
    api.put("url", layout.backendUrl());
    ObjectNode registry = targets.putObject(Role.REGISTRY.target());
    registry.put("kind", "http");
    registry.put(
        "description", "Service registry of sandbox " + layout.name() + " (stands in for DNS).");
    registry.put("url", layout.registryUrl());
    registry.putObject("headers").put("Authorization", "env:DNS_WEBHOOK_TOKEN");
    ObjectNode pagerDuty = targets.putObject(Role.PAGERDUTY.target());
    pagerDuty.put("kind", "http");
    pagerDuty.put(
        "description", "PagerDuty stand-in of sandbox " + layout.name() + " (Events API v2).");
    pagerDuty.put("url", layout.sinkUrl(Role.PAGERDUTY) + "/v2/enqueue");
    pagerDuty.putObject("headers").put("X-Routing-Key", "env:PAGERDUTY_ROUTING_KEY");
    ObjectNode slack = targets.putObject(Role.SLACK.target());
    slack.put("kind", "http");
    slack.put("description", "Slack #incident stand-in of sandbox " + layout.name() + ".");
    slack.put("url", layout.sinkUrl(Role.SLACK));
    slack.putObject("headers").put("Authorization", "env:SLACK_TOKEN");
    redis(
        targets.putObject(Role.REDIS_REPLICA.target()),
        layout,
        Role.REDIS_REPLICA,
        layout.redisReplicaVolume(),
        "Replica of Redis of sandbox " + layout.name() + ", the one Sentinel promotes.");
    for (Role sentinel : Role.SENTINELS) {
      ObjectNode node = targets.putObject(sentinel.target());
      node.put("kind", "redis");
      node.put(
          "description",
          "Redis Sentinel "
              + sentinel.suffix().substring(sentinel.suffix().length() - 1)
              + " of sandbox "
              + layout.name()
              + ", monitoring "
              + SandboxLayout.REDIS_MASTER_NAME
              + " (no password).");
      node.put("host", "127.0.0.1");
      node.put("port", layout.port(sentinel));
      node.put("container", layout.container(sentinel));
    }
    container(
        targets,
        layout,
        Role.PROXY,
        "Front proxy (nginx) of sandbox " + layout.name() + ".",
        layout.siteUrl() + ServiceDefinitions.PROXY_HEALTH);
    container(
        targets,
        layout,
        Role.FRONTEND,
        "Frontend container of sandbox " + layout.name() + ".",
        "http://127.0.0.1:" + layout.port(Role.FRONTEND) + "/");
    container(
        targets,
        layout,
        Role.TASK_WORKER,
        "Task worker (Celery stand-in) of sandbox " + layout.name() + ".",
        "http://127.0.0.1:" + layout.port(Role.TASK_WORKER) + "/health");
    ObjectNode site = targets.putObject("site");
    site.put("kind", "http");
    site.put("description", "What users reach: the front proxy of sandbox " + layout.name() + ".");
    site.put("url", layout.siteUrl());
    postgres(
        targets.putObject(Role.PG_SECONDARY.target()),
        layout,
        Role.PG_SECONDARY,
        layout.secondaryVolume(),
        "PostgreSQL of the secondary site of sandbox " + layout.name() + ".");
    redis(
        targets.putObject(Role.REDIS_SECONDARY.target()),
        layout,
        Role.REDIS_SECONDARY,
        layout.redisSecondaryVolume(),
        "Redis of the secondary site of sandbox " + layout.name() + ".");
    ObjectNode s3 = targets.putObject(Role.S3.target());
    s3.put("kind", "backupStore");
    s3.put("description", "Off-site S3 store of sandbox " + layout.name() + " (S3Proxy).");
    s3.put("store", "s3");
    s3.put("bucket", SandboxLayout.S3_BUCKET);
    s3.put("endpoint", layout.s3Endpoint());
    s3.put("region", "us-east-1");
    s3.put("pathStyle", true);
    s3.put("accessKeyId", "env:DRCTL_S3_ACCESS_KEY_ID");
    s3.put("secretAccessKey", "env:DRCTL_S3_SECRET_ACCESS_KEY");
    ObjectNode retention = s3.putObject("retention");
    retention.put("daily", 7);
    retention.put("weekly", 4);
    retention.put("monthly", 12);
    retention.put("wal", "7d");
    retention.put("maxAge", "30d");
    return root;
  }

  private static void container(
      ObjectNode targets, SandboxLayout layout, Role role, String description, String healthUrl) {
    ObjectNode node = targets.putObject(role.target());
    node.put("kind", "container");
    node.put("description", description);
    node.put("container", layout.container(role));
    node.put("healthUrl", healthUrl);
  }

  /** Writes the file (through a temporary name, so a reader never sees half of it). */
  public static void write(SandboxLayout layout, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = parent.resolve(file.getFileName() + ".part");
      Files.writeString(partial, JSON.writeValueAsString(of(layout)) + "\n");
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SandboxException(
          "cannot write the targets file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void redis(
      ObjectNode node, SandboxLayout layout, Role role, String volume, String description) {
    node.put("kind", "redis");
    node.put("description", description);
    node.put("host", "127.0.0.1");
    node.put("port", layout.port(role));
    node.put("password", "env:REDIS_PASSWORD");
    node.put("container", layout.container(role));
    node.put("dataDirectory", SandboxLayout.REDIS_DATA);
    node.put("volume", volume);
  }

  private static void postgres(
      ObjectNode node, SandboxLayout layout, Role role, String volume, String description) {
    node.put("kind", "postgres");
    node.put("description", description);
    node.put("host", "127.0.0.1");
    node.put("port", layout.port(role));
    node.put("database", SandboxLayout.DATABASE);
    node.put("user", SandboxLayout.USER);
    node.put("password", "env:PGPASSWORD");
    node.put("container", layout.container(role));
    node.put("dataDirectory", SandboxLayout.PG_DATA);
    node.put("volume", volume);
  }
}
