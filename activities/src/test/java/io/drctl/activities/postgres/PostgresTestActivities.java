package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The postgres activities of one test, run through Temporal's {@link TestActivityEnvironment} as a
 * worker runs them (heartbeats, failures on the wire), with the fixture's password resolvable. One
 * attempt per call, so a test sees each failure as classified.
 */
final class PostgresTestActivities implements AutoCloseable {
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(120))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final PostgresActivitiesImpl implementation;
  final PostgresActivities activities;

  PostgresTestActivities(PostgresTestClusters clusters) {
    implementation =
        new PostgresActivitiesImpl(
            new SecretResolver(clusters.secrets()),
            new PostgresOptions(
                Path.of(clusters.bindir()), Duration.ofSeconds(5), Duration.ofMillis(100)),
            DockerOptions.defaults());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(PostgresActivities.class, OPTIONS);
  }

  /** A {@code $targets} member naming each cluster by its name. */
  static Map<String, JsonNode> targets(Object... nameAndCluster) {
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    for (int i = 0; i < nameAndCluster.length; i += 2) {
      Object value = nameAndCluster[i + 1];
      targets.put(
          (String) nameAndCluster[i],
          value instanceof TestCluster cluster ? cluster.target() : (JsonNode) value);
    }
    return targets;
  }

  @Override
  public void close() {
    environment.close();
    implementation.close();
  }
}
