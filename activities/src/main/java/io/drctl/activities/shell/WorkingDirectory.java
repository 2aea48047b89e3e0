package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OwnedTempDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The directory a program runs in: the one the step names, or a temporary one removed after. */
final class WorkingDirectory implements AutoCloseable {
  private final Path path;
  private final Path owned;

  /**
   * @param owned the scratch directory to delete on close (it holds {@code path}), or null for a
   *     directory the step named
   */
  private WorkingDirectory(Path path, Path owned) {
    this.path = path;
    this.owned = owned;
  }

  /**
   * The named directory, which must exist, or for {@code null} a fresh, empty one in a scratch
   * directory of this worker's ({@link OwnedTempDirectory}): one left by a worker killed during the
   * step is swept by the next step that makes one.
   */
  static WorkingDirectory of(String requested) {
    if (requested == null) {
      try {
        Path owned = OwnedTempDirectory.create("drctl-shell-");
        return new WorkingDirectory(Files.createDirectory(owned.resolve("work")), owned);
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
    return new WorkingDirectory(path, null);
  }

  Path path() {
    return path;
  }

  /** Deletes a temporary directory with everything in it; a named one is left alone. */
  @Override
  public void close() {
    if (owned != null) {
      OwnedTempDirectory.delete(owned);
    }
  }
}
