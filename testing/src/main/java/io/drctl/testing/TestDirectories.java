package io.drctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories of tests. */
public final class TestDirectories {
  private TestDirectories() {}

  /**
   * Removes {@code directory} and everything below it, deepest first; a missing directory is fine.
   *
   * @throws IOException naming the first path that could not be removed
   */
  public static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
