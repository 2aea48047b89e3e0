package io.drctl.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoriesTest {
  @TempDir Path dir;

  @Test
  void deletesATreeWithAReadOnlyDirectoryButNotWhatALinkPointsTo() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "kept");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file"), "x");
    Files.createSymbolicLink(dir.resolve("tree/link"), outside);
    tree.toFile().setWritable(false, false);

    LocalDirectories.deleteRecursively(dir.resolve("tree"));

    assertThat(dir.resolve("tree")).doesNotExist();
    assertThat(outside).hasContent("kept");
  }

  @Test
  void aMissingPathIsNothingToDoAndAFileIsDeleted() throws Exception {
    LocalDirectories.deleteRecursively(dir.resolve("never-made"));
    Path file = Files.writeString(dir.resolve("file"), "x");

    LocalDirectories.deleteRecursively(file);

    assertThat(file).doesNotExist();
  }
}
