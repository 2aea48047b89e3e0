package io.drctl.worker.dev;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Finds the Temporal CLI binary, the way {@code bin/setup} installs and announces it. */
final class TemporalCli {
  private TemporalCli() {}

  /**
   * @param found the binary, if any
   * @param searched the places looked at, in order, for the message when none is found
   */
  record Lookup(Optional<Path> found, List<String> searched) {}

  static Lookup find(UnaryOperator<String> env, Path home) {
    List<String> searched = new ArrayList<>();
    String explicit = env.apply("DRCTL_TEMPORAL_CLI");
    if (explicit != null && !explicit.isBlank()) {
      searched.add("DRCTL_TEMPORAL_CLI=" + explicit);
      Optional<Path> file = path(explicit).filter(DevServer::executable);
      if (file.isPresent()) {
        return new Lookup(file, searched);
      }
    }
    String pathVariable = env.apply("PATH");
    searched.add("PATH");
    if (pathVariable != null) {
      for (String directory : pathVariable.split(File.pathSeparator)) {
        if (directory.isEmpty()) {
          continue;
        }
        Optional<Path> file =
            path(directory).map(d -> d.resolve("temporal")).filter(DevServer::executable);
        if (file.isPresent()) {
          return new Lookup(file, searched);
        }
      }
    }
    String cache = env.apply("DRCTL_CACHE");
    Path cached =
        (cache == null || cache.isBlank()
                ? home.resolve(".cache").resolve("drctl")
                : Path.of(cache))
            .resolve("bin")
            .resolve("temporal");
    searched.add(cached.toString());
    return new Lookup(Optional.of(cached).filter(DevServer::executable), searched);
  }

  private static Optional<Path> path(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }
}
