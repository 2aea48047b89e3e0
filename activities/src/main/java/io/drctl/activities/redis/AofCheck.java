package io.drctl.activities.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * redis-check-aof on the manifest of a Redis 7 multi-part AOF directory, never with {@code --fix}:
 * whether every file it lists is valid, and where the first invalid one stops being valid.
 */
final class AofCheck {
  private static final Pattern ANALYZED =
      Pattern.compile("AOF analyzed: filename=([^,]+), size=(\\d+), ok_up_to=(\\d+)");

  private AofCheck() {}

  /**
   * What redis-check-aof found.
   *
   * @param ok it called the AOF valid
   * @param files files the manifest lists
   * @param sizeBytes bytes of those files
   * @param truncatedAt offset of the first invalid byte in the first invalid file, -1 when valid
   * @param message its summary line
   */
  record Finding(boolean ok, long files, long sizeBytes, long truncatedAt, String message) {}

  static Finding run(RedisTools tools, Path manifest) {
    if (!Files.isRegularFile(manifest)) {
      return new Finding(false, 0, 0, 0, "no AOF manifest at " + manifest);
    }
    RedisTools.Run run = tools.run("redis-check-aof", List.of(manifest.toString()));
    List<Path> files = listed(manifest);
    long size = 0;
    for (Path file : files) {
      size += sizeOf(file);
    }
    long truncatedAt = -1;
    if (run.exitCode() != 0) {
      Matcher analyzed = ANALYZED.matcher(run.stdout());
      while (analyzed.find()) {
        if (!analyzed.group(2).equals(analyzed.group(3))) {
          truncatedAt = Long.parseLong(analyzed.group(3));
          break;
        }
      }
    }
    String output = run.stdout().isBlank() ? run.stderr() : run.stdout();
    return new Finding(
        run.exitCode() == 0, files.size(), size, truncatedAt, RedisTools.lastLine(output));
  }

  /** The manifest of the only AOF in {@code directory} ({@code <appendfilename>.manifest}). */
  static Path manifestIn(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      List<Path> manifests =
          entries.filter(path -> path.getFileName().toString().endsWith(".manifest")).toList();
      if (manifests.size() != 1) {
        throw new IllegalStateException(
            directory + " holds " + manifests.size() + " AOF manifests, not one");
      }
      return manifests.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The files the manifest lists ({@code file NAME seq N type b|h|i}) that Redis loads: the base
   * and the increments, not history files awaiting deletion.
   */
  static List<Path> listed(Path manifest) {
    List<Path> files = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(manifest)) {
        String[] words = line.strip().split("\\s+");
        if (words.length >= 6 && "file".equals(words[0]) && !"h".equals(words[5])) {
          files.add(manifest.resolveSibling(words[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
