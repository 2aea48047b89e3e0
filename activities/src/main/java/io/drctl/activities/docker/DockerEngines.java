package io.drctl.activities.docker;

import io.drctl.activities.ActionFailures;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DockerEngine} per engine address, made on first use and reused by every activity of
 * the worker: the worker's {@code DOCKER_HOST} and each target's {@code dockerHost}. Nothing
 * connects until a step needs the engine. Thread-safe.
 */
final class DockerEngines implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerEngines.class);

  private final DockerOptions options;
  private final Map<String, DockerEngine> engines = new ConcurrentHashMap<>();

  DockerEngines(DockerOptions options) {
    this.options = options;
  }

  DockerOptions options() {
    return options;
  }

  /**
   * The engine of a target: its {@code dockerHost}, else the worker's default.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} when the
   *     address is neither {@code unix:///path} nor {@code tcp://host:port}
   */
  DockerEngine of(DockerTarget target) {
    String host = options.defaultHost();
    if (target.dockerHost() != null) {
      try {
        host =
            DockerOptions.checkHost(
                "target '" + target.name() + "' dockerHost", target.dockerHost());
      } catch (IllegalArgumentException e) {
        throw ActionFailures.invalidInput(e.getMessage());
      }
    }
    return engines.computeIfAbsent(host, address -> new DockerEngine(address, options));
  }

  @Override
  public void close() {
    for (DockerEngine engine : engines.values()) {
      try {
        engine.close();
      } catch (IOException e) {
        // Closing a pool of idle connections; nothing is lost, so a warning is all it takes.
        log.warn("could not close the client of {}: {}", engine.host(), e.toString());
      }
    }
    engines.clear();
  }
}
