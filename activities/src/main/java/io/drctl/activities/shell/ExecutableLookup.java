package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program of an argv the way {@code execvp} would, but in the child's {@code PATH} (the
 * JVM would search its own), and classifies a miss before anything starts.
 */
final class ExecutableLookup {
  /** Searched when the child has no PATH at all. */
  static final String DEFAULT_PATH = "/usr/bin:/bin";

  private ExecutableLookup() {}

  /**
   * The absolute path of the program.
   *
   * @param program {@code argv[0]}; with a slash it is a path (relative to the working directory),
   *     without one it is searched in {@code path}
   * @param path the child's {@code PATH}, may be {@code null}
   * @param workingDirectory the child's working directory
   */
  static Path find(String program, String path, Path workingDirectory) {
    if (program.contains("/")) {
      Path candidate = workingDirectory.resolve(program).normalize();
      if (!Files.isRegularFile(candidate)) {
        throw ActionFailures.nonRetryable(
            ActionFailures.COMMAND_NOT_FOUND, "program " + program + " does not exist");
      }
      if (!Files.isExecutable(candidate)) {
        throw notExecutable(program);
      }
      return candidate;
    }
    boolean foundNotExecutable = false;
    for (String directory : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
      // An empty PATH entry means the current directory, as in POSIX.
      Path candidate =
          (directory.isEmpty() ? workingDirectory : workingDirectory.resolve(directory))
              .resolve(program);
      if (Files.isRegularFile(candidate)) {
        if (Files.isExecutable(candidate)) {
          return candidate.toAbsolutePath().normalize();
        }
        foundNotExecutable = true;
      }
    }
    if (foundNotExecutable) {
      throw notExecutable(program);
    }
    throw ActionFailures.nonRetryable(
        ActionFailures.COMMAND_NOT_FOUND, "program " + program + " was not found on the PATH");
  }

  private static RuntimeException notExecutable(String program) {
    return ActionFailures.nonRetryable(
        ActionFailures.COMMAND_NOT_EXECUTABLE, "program " + program + " is not executable");
  }
}
