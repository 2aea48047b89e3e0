package io.drctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Temporal CLI that {@code bin/setup} installed for the tests: {@code DRCTL_TEMPORAL_CLI}, else
 * {@code bin/temporal} in the drctl cache ({@code DRCTL_CACHE}, by default {@code ~/.cache/drctl}).
 * The product's own lookup (the worker's {@code drctl dev}) also searches {@code PATH}; tests use
 * only what the setup put in place, so that a stray binary does not change what they run against.
 */
public final class TemporalCliLocation {
  private TemporalCliLocation() {}

  /** Where the CLI is expected, whether or not it is there. */
  public static Path expected() {
    String configured = System.getenv("DRCTL_TEMPORAL_CLI");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return cache().resolve("bin").resolve("temporal");
  }

  /** The CLI, when it is an executable file. */
  public static Optional<Path> find() {
    return Optional.of(expected()).filter(Files::isExecutable);
  }

  /**
   * The CLI unless {@code DRCTL_TEMPORAL=test-server} asks the tests to run on the Java test server
   * instead.
   */
  public static Optional<Path> preferred() {
    return "test-server".equals(System.getenv("DRCTL_TEMPORAL")) ? Optional.empty() : find();
  }

  /** The drctl cache directory. */
  public static Path cache() {
    String cache = System.getenv("DRCTL_CACHE");
    return cache == null || cache.isBlank()
        ? Path.of(System.getProperty("user.home"), ".cache", "drctl")
        : Path.of(cache);
  }
}
