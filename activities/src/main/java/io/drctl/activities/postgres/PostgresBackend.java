package io.drctl.activities.postgres;

import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.secrets.SecretResolver;

/**
 * The postgres backend (PostgreSQL servers: dumps, base backups, restores, PITR, promotion, checks)
 * as the worker registers it and as other backends use it: its activities, what else they may call,
 * and the only way to make one, so that its implementation stays private to this package. Register
 * the object with a Temporal worker; only the {@link PostgresActivities} methods are activities.
 */
public interface PostgresBackend extends PostgresActivities, AutoCloseable {

  /** Releases what the backend holds (clients, pools); the backend is not used afterwards. */
  @Override
  void close();

  /**
   * The backend the worker registers, with the worker's {@code DRCTL_PG_BINDIR} and {@code
   * DOCKER_HOST}.
   */
  static PostgresBackend create(SecretResolver secrets) {
    return new PostgresActivitiesImpl(secrets);
  }

  /** A new backend ({@code PostgresActivitiesImpl}) with these settings. */
  static PostgresBackend create(
      SecretResolver secrets, PostgresOptions options, DockerOptions dockerOptions) {
    return new PostgresActivitiesImpl(secrets, options, dockerOptions);
  }
}
