package io.drctl.activities.docker;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The docker backend (containers and volumes of a Docker engine) as the worker registers it and as
 * other backends use it: its activities, what else they may call, and the only way to make one, so
 * that its implementation stays private to this package. Register the object with a Temporal
 * worker; only the {@link DockerActivities} methods are activities.
 */
public interface DockerBackend extends DockerActivities, AutoCloseable {

  /**
   * Runs a command in a one-off sibling of a target's container (same image, volumes and network),
   * removed afterwards: how other backends run a server's own tools where the host has none.
   */
  DockerExecResult runOneOff(OneOffRun run);

  /** Releases what the backend holds (clients, pools); the backend is not used afterwards. */
  @Override
  void close();

  /** The backend the worker registers, on the worker's {@code DOCKER_HOST}. */
  static DockerBackend create(SecretResolver secrets) {
    return new DockerActivitiesImpl(secrets);
  }

  /** A new backend ({@code DockerActivitiesImpl}) with these settings. */
  static DockerBackend create(SecretResolver secrets, DockerOptions options) {
    return new DockerActivitiesImpl(secrets, options);
  }
}
