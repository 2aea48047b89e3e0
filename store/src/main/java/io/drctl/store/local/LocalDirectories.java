package io.drctl.store.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local directory trees: the one recursive delete of drctl (scratch directories, copies, stores).
 */
public final class LocalDirectories {
  private LocalDirectories() {}

  /**
   * Deletes {@code path} and, when it is a directory, everything below it, deepest first; a missing
   * path is fine. Links are deleted, never followed. Read-only directories (kept so from a
   * container or an archive) are made writable first, so that their entries can go.
   *
   * @throws IOException naming the first path that could not be deleted; what came before it is
   *     gone
   */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(path)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path each : all) {
      if (Files.isDirectory(each, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(each)) {
        each.toFile().setWritable(true, true);
      }
    }
    for (Path each : all) {
      try {
        Files.delete(each);
      } catch (NoSuchFileException gone) {
        // removed meanwhile (a process cleaning up after itself): what was wanted
      }
    }
  }
}
