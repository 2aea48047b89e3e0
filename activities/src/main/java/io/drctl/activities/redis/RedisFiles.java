package io.drctl.activities.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerInspectInput;
import io.drctl.activities.docker.DockerInspectResult;
import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a redis target's data directory ({@code dump.rdb}, {@code appendonlydir}) is for this
 * worker: the target's dataDirectory itself for a server on the worker's host; for a server in a
 * container, the host path of the volume or bind mount that holds dataDirectory, found by {@code
 * docker.inspect} (the worker must run on the Docker host).
 */
final class RedisFiles {
  private final DockerBackend docker;

  RedisFiles(DockerBackend docker) {
    this.docker = docker;
  }

  /**
   * The data directory of {@code target} as this worker reaches it.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} when the
   *     target names no dataDirectory, its container mounts nothing there, or the mount is not on
   *     this worker's host
   */
  Path of(RedisTarget target, Map<String, JsonNode> targets, String action) {
    if (target.dataDirectory() == null) {
      throw ActionFailures.invalidInput(
          target.describe()
              + " names no dataDirectory; "
              + action
              + " works on Redis's files (dump.rdb, appendonlydir) and needs it");
    }
    if (target.container() == null) {
      return Path.of(target.dataDirectory());
    }
    DockerInspectResult container = docker.inspect(new DockerInspectInput(target.name(), targets));
    DockerInspectResult.Mount mount =
        container
            .mountOf(target.dataDirectory())
            .orElseThrow(
                () ->
                    ActionFailures.invalidInput(
                        "container "
                            + target.container()
                            + " of "
                            + target.describe()
                            + " mounts no volume at its dataDirectory "
                            + target.dataDirectory()
                            + ": its data would not survive a stop"));
    Path path = mount.hostPath(target.dataDirectory());
    if (!Files.isDirectory(path)) {
      throw ActionFailures.invalidInput(
          "the data directory of "
              + target.describe()
              + " is on "
              + mount.type()
              + " "
              + mount.name()
              + " at "
              + path
              + ", which this worker cannot reach: run the worker on the Docker host");
    }
    return path;
  }

  /** Deletes a file or a directory with everything in it; nothing when it does not exist. */
  static void delete(Path path) {
    try {
      if (Files.isDirectory(path)) {
        LocalDirectories.deleteRecursively(path);
      } else {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
