package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.redis.RedisActivities;
import io.drctl.activities.redis.RedisBackend;
import io.drctl.activities.redis.RedisBackupInput;
import io.drctl.activities.redis.RedisBackupResult;
import io.drctl.activities.redis.RedisOptions;
import io.drctl.activities.redis.RedisRestoreInput;
import io.drctl.activities.redis.RedisRestoreResult;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * drctl's redis actions as a worker runs them: {@link RedisBackend} behind Temporal's {@link
 * TestActivityEnvironment} (heartbeats and failures on the wire, one attempt per call), with the
 * worker's default options (tools next to redis-server, 50 ms polls), against a local backup store
 * as the product writes it (zstd level 3, SHA-256, fsync and rename).
 */
final class OurRedisActions implements AutoCloseable {
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final RedisBackend implementation;
  private final RedisActivities activities;
  private final Path storeRoot;

  OurRedisActions(Path binDirectory, Path storeRoot) {
    this.storeRoot = storeRoot;
    RedisOptions defaults = RedisOptions.defaults();
    implementation =
        RedisBackend.create(
            new SecretResolver(Map.of()),
            new RedisOptions(binDirectory, defaults.connectTimeout(), defaults.pollInterval()),
            DockerOptions.defaults());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(RedisActivities.class, OPTIONS);
  }

  /**
   * The {@code $targets} of every step: {@code source} and {@code target} the two servers, {@code
   * store} the local store.
   */
  Map<String, JsonNode> targets(BenchRedis source, BenchRedis target) {
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    targets.put("source", source.target());
    targets.put("target", target.target());
    targets.put(
        "store",
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "backupStore")
            .put("store", "local")
            .put("path", storeRoot.toString()));
    return targets;
  }

  /** {@code redis.backup} of {@code source}, type rdb, its other parameters at their defaults. */
  RedisBackupResult backup(Map<String, JsonNode> targets) {
    return activities.backup(
        new RedisBackupInput("source", "store", "rdb", null, null, "benchmark", targets));
  }

  /**
   * {@code redis.restore} of backup {@code backupId} onto {@code target}, with {@code enableAof:
   * false}: the server runs with appendonly no, as the raw restart loads the RDB.
   */
  RedisRestoreResult restore(Map<String, JsonNode> targets, String backupId) {
    return activities.restore(
        new RedisRestoreInput("target", "store", "rdb", backupId, false, null, targets));
  }

  /** The stored metadata of a backup. */
  BackupMetadata metadata(String backupId) {
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeRoot))) {
      return new BackupCatalog(store).find(RedisActivities.BACKUP_SERVICE, backupId).orElseThrow();
    }
  }

  @Override
  public void close() {
    environment.close();
    implementation.close();
  }
}
