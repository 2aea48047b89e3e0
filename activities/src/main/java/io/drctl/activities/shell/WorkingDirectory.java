package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The directory a program runs in: the one the step names, or a temporary one removed after. */
final class WorkingDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkingDirectory.class);

  private final Path path;
  private final boolean temporary;

  private WorkingDirectory(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** The named directory, which must exist, or a fresh temporary one for {@code null}. */
  static WorkingDirectory of(String requested) {
    if (requested == null) {
      try {
        return new WorkingDirectory(Files.createTempDirectory("drctl-shell-"), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path path;
    try {
      path = Path.of(requested).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw ActionFailures.invalidInput(
          "workingDirectory '"
              + requested.replace("\0", "\\0")
              + "' is not a path: "
              + e.getReason());
    }
    if (!Files.isDirectory(path)) {
      throw ActionFailures.invalidInput(
          "workingDirectory " + requested + " is not a directory on this worker");
    }
    return new WorkingDirectory(path, false);
  }

  Path path() {
    return path;
  }

  /** Deletes a temporary directory with everything in it; a named one is left alone. */
  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    try {
      LocalDirectories.deleteRecursively(path);
    } catch (IOException e) {
      // The step's result does not depend on the scratch directory; leave it for the OS to clean.
      log.warn("could not delete temporary working directory {}: {}", path, e.toString());
    }
  }
}
