package io.drctl.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drctl.store.StoreException;
import io.drctl.store.StoreFullException;
import io.drctl.store.TestData;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.pipeline.Compression;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

  @TempDir Path temp;

  @Test
  void uncommittedWriteIsInvisibleAndCommitMakesItVisibleAtomically() throws IOException {
    LocalObjectStore store = new LocalObjectStore(temp.resolve("store"));
    byte[] data = TestData.bytes(3_000_000, 1);
    ObjectOutput out = store.create("a/b/object.bin");
    out.write(data);
    assertThat(store.list("")).isEmpty();
    assertThat(store.head("a/b/object.bin")).isEmpty();
    try (Stream<Path> files = Files.list(temp.resolve("store/a/b"))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .singleElement()
          .asString()
          .startsWith(".object.bin.tmp-");
    }
    out.commit();
    assertThat(store.list("a/")).extracting(ObjectInfo::key).containsExactly("a/b/object.bin");
    try (InputStream in = store.get("a/b/object.bin", 1000, 10)) {
      byte[] range = in.readAllBytes();
      assertThat(range).hasSize(10);
      assertThat(range[0]).isEqualTo(data[1000]);
    }
    assertThat(TestData.sha256(store.get("a/b/object.bin"))).isEqualTo(TestData.sha256(data));
  }

  @Test
  void abortRemovesTheTemporaryFile() throws IOException {
    LocalObjectStore store = new LocalObjectStore(temp.resolve("store"));
    try (ObjectOutput out = store.create("x/y.bin")) {
      out.write(new byte[100_000]);
    }
    try (Stream<Path> files = Files.walk(temp.resolve("store"))) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  @Test
  void keysEscapingTheRootAreRejected() {
    LocalObjectStore store = new LocalObjectStore(temp.resolve("store"));
    assertThatThrownBy(() -> store.create("../outside"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fullDiskGivesAClearErrorAndNoFileThatLooksComplete() throws Exception {
    Path mount = Files.createDirectories(temp.resolve("tiny"));
    Process mountProcess =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mountProcess.getInputStream().readAllBytes());
    assumeTrue(mountProcess.waitFor() == 0, "cannot mount tmpfs here: " + output);
    try {
      BackupCatalog catalog = new BackupCatalog(new LocalObjectStore(mount));
      assertThatThrownBy(
              () ->
                  catalog.write(
                      BackupRequest.of("postgresql", BackupType.DAILY, "dump")
                          .withCompression(Compression.NONE, 0)
                          .withBackupId("backup_full"),
                      out -> TestData.write(out, 8L * 1024 * 1024, 4)))
          .isInstanceOf(StoreFullException.class)
          .hasMessageContaining("no space left")
          .hasMessageContaining(mount.toString())
          .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
      assertThat(catalog.list(null)).isEmpty();
      try (Stream<Path> files = Files.walk(mount.resolve("backups"))) {
        assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
      }
      BackupMetadata small =
          catalog.write(
              BackupRequest.of("postgresql", BackupType.DAILY, "dump").withBackupId("backup_small"),
              out -> out.write(new byte[10_000]));
      assertThat(catalog.list("postgresql")).containsExactly(small);
    } finally {
      new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void writerKilledBeforeMetadataLeavesNothingListedAndNoCompleteLookingFile() throws Exception {
    Path dir = temp.resolve("crash");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      assertThat(reader.readLine()).isEqualTo("WRITING");
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    BackupCatalog catalog = new BackupCatalog(new LocalObjectStore(dir));
    assertThat(catalog.list(null)).isEmpty();
    List<Path> left;
    try (Stream<Path> files = Files.walk(dir)) {
      left = files.filter(Files::isRegularFile).toList();
    }
    assertThat(left)
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(p.getFileName().toString()).matches("\\..*\\.tmp-[0-9a-f]{12}"));
    BackupMetadata retried =
        catalog.write(
            BackupRequest.of("postgresql", BackupType.DAILY, "dump").withBackupId("backup_crash"),
            out -> out.write(new byte[1000]));
    assertThat(catalog.list("postgresql")).containsExactly(retried);
  }
}
