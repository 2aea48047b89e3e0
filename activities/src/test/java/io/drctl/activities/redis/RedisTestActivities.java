package io.drctl.activities.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redis activities of one test, run through Temporal's {@link TestActivityEnvironment} as a
 * worker runs them (heartbeats, failures on the wire), with the fixture's password resolvable. One
 * attempt per call, so a test sees each failure as classified.
 */
final class RedisTestActivities implements AutoCloseable {
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(120))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();
  static final String STORE = "backups";

  final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final RedisActivitiesImpl implementation;
  final RedisActivities activities;
  private final Path store;

  RedisTestActivities(Path store) {
    this(store, RedisTestServer.PASSWORD);
  }

  /** Activities whose worker resolves the fixture's password reference to {@code password}. */
  RedisTestActivities(Path store, String password) {
    this(store, password, null);
  }

  /** Activities that run Redis's tools from {@code tools} ({@code null}: the PATH). */
  RedisTestActivities(Path store, String password, Path tools) {
    this.store = store;
    implementation =
        new RedisActivitiesImpl(
            new SecretResolver(Map.of(RedisTestServer.PASSWORD_VARIABLE, password)),
            new RedisOptions(tools, Duration.ofSeconds(2), Duration.ofMillis(10)),
            DockerOptions.defaults());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(RedisActivities.class, OPTIONS);
  }

  /**
   * A {@code $targets} member with {@code server} as {@code redis} and the local store as {@value
   * #STORE}.
   */
  Map<String, JsonNode> targets(RedisTestServer server) {
    return targets(server.target());
  }

  /**
   * A {@code $targets} member with {@code target} as {@code redis} and the local store as {@value
   * #STORE}.
   */
  Map<String, JsonNode> targets(JsonNode target) {
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    targets.put("redis", target);
    targets.put(
        STORE,
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "backupStore")
            .put("store", "local")
            .put("path", store.toString()));
    return targets;
  }

  /** The local backup store's directory. */
  Path store() {
    return store;
  }

  RedisBackupResult backup(RedisTestServer server, String type) {
    return activities.backup(
        new RedisBackupInput("redis", STORE, type, null, null, null, targets(server)));
  }

  RedisRestoreResult restore(RedisTestServer server, String type, String from) {
    return activities.restore(
        new RedisRestoreInput("redis", STORE, type, from, null, null, targets(server)));
  }

  @Override
  public void close() {
    environment.close();
    implementation.close();
  }
}
