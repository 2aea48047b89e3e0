package io.drctl.activities.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.local.LocalDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedTempDirectoryTest {
  @TempDir Path parent;

  @Test
  void aDirectoryIsAbandonedWhenItsOwnerIsGoneOrItsPidNowBelongsToAnotherProcess()
      throws Exception {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().orElseThrow().toEpochMilli();
    Path mine = owned("drctl-dump-mine", self.pid() + " " + started);
    Path reused = owned("drctl-dump-reused", self.pid() + " " + (started - 60_000));
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    Path gone = owned("drctl-dump-gone", process.pid() + " " + started);
    Path otherPrefix = owned("drctl-schema-gone", process.pid() + " " + started);

    assertThat(OwnedTempDirectory.sweep(parent, "drctl-dump-"))
        .containsExactlyInAnyOrder(reused, gone);

    assertThat(mine).isDirectory();
    assertThat(otherPrefix).isDirectory();
    assertThat(reused).doesNotExist();
    assertThat(gone).doesNotExist();
  }

  @Test
  void aDirectoryWithoutAnOwnerIsLeftForAnHourAndOneWithAnUnreadableOwnerAlways() throws Exception {
    Path fresh = Files.createDirectory(parent.resolve("drctl-dump-fresh"));
    Path old = Files.createDirectory(parent.resolve("drctl-dump-old"));
    Files.writeString(old.resolve("toc.dat"), "x");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path garbled = owned("drctl-dump-garbled", "not a pid");

    assertThat(OwnedTempDirectory.sweep(parent, "drctl-dump-")).containsExactly(old);

    assertThat(fresh).isDirectory();
    assertThat(garbled).isDirectory();
  }

  @Test
  void createWritesTheOwnerSoThatItsOwnSweepKeepsIt() throws Exception {
    Path created = OwnedTempDirectory.create("drctl-owned-test-");
    try {
      assertThat(Files.readString(created.resolve(OwnedTempDirectory.OWNER_FILE)))
          .startsWith(ProcessHandle.current().pid() + " ");
      assertThat(OwnedTempDirectory.sweep(created.getParent(), "drctl-owned-test-"))
          .doesNotContain(created);
      assertThat(created).isDirectory();
    } finally {
      LocalDirectories.deleteRecursively(created);
    }
  }

  @Test
  void theOwnerInADirectorysNameDecidesWithoutReadingAnyFile() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().orElseThrow().toEpochMilli();
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    Path mine =
        Files.createDirectory(parent.resolve("drctl-dump-" + self.pid() + "-" + started + "-1"));
    Path reused =
        Files.createDirectory(
            parent.resolve("drctl-dump-" + self.pid() + "-" + (started - 60_000) + "-2"));
    Path gone =
        Files.createDirectory(parent.resolve("drctl-dump-" + process.pid() + "-" + started + "-3"));
    // An owner file that says otherwise is not read: the name is set when the directory is made.
    Files.writeString(gone.resolve(OwnedTempDirectory.OWNER_FILE), self.pid() + " " + started);

    assertThat(OwnedTempDirectory.sweep(parent, "drctl-dump-"))
        .containsExactlyInAnyOrder(reused, gone);
    assertThat(mine).isDirectory();
  }

  @Test
  void createNamesTheOwner() throws Exception {
    Path created = OwnedTempDirectory.create("drctl-owned-test-");
    try {
      ProcessHandle self = ProcessHandle.current();
      assertThat(created.getFileName().toString())
          .matches(
              "drctl-owned-test-"
                  + self.pid()
                  + "-"
                  + self.info().startInstant().orElseThrow().toEpochMilli()
                  + "-\\d+");
    } finally {
      LocalDirectories.deleteRecursively(created);
    }
  }

  private Path owned(String name, String owner) throws Exception {
    Path directory = Files.createDirectory(parent.resolve(name));
    Files.writeString(directory.resolve(OwnedTempDirectory.OWNER_FILE), owner + "\n");
    return directory;
  }
}
