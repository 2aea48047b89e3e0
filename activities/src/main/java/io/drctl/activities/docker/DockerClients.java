package io.drctl.activities.docker;

import com.github.dockerjava.api.DockerClient;

/**
 * A docker-java client made exactly as the docker backend makes its own (same transport, timeouts
 * and API version handling), for code outside the activities that drives an engine directly, such
 * as the sandbox. Errors of its calls are the caller's to word; the activities classify theirs in
 * {@link EngineFailures}.
 */
public final class DockerClients {
  private DockerClients() {}

  /**
   * A client of {@code options.defaultHost()}. Nothing connects until the first call; close it when
   * done (it owns its connection pool).
   */
  public static DockerClient open(DockerOptions options) {
    return new DockerEngine(options.defaultHost(), options).client();
  }
}
