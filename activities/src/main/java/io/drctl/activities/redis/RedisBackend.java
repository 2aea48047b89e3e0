package io.drctl.activities.redis;

import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.secrets.SecretResolver;

/**
 * The redis backend (Redis servers: snapshots, restores, replication, checks) as the worker
 * registers it and as other backends use it: its activities, what else they may call, and the only
 * way to make one, so that its implementation stays private to this package. Register the object
 * with a Temporal worker; only the {@link RedisActivities} methods are activities.
 */
public interface RedisBackend extends RedisActivities, AutoCloseable {

  /** Releases what the backend holds (clients, pools); the backend is not used afterwards. */
  @Override
  void close();

  /** The backend the worker registers, with the worker's Redis tools and {@code DOCKER_HOST}. */
  static RedisBackend create(SecretResolver secrets) {
    return new RedisActivitiesImpl(secrets);
  }

  /** A new backend ({@code RedisActivitiesImpl}) with these settings. */
  static RedisBackend create(
      SecretResolver secrets, RedisOptions options, DockerOptions dockerOptions) {
    return new RedisActivitiesImpl(secrets, options, dockerOptions);
  }
}
