package io.drctl.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.StoreException;
import io.drctl.store.TestData;
import io.drctl.store.WalConflictException;
import io.drctl.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalArchiveTest {
  private static final String SEGMENT = "000000010000000000000003";

  @TempDir Path temp;

  @Test
  void pushIsIdempotentForTheSameBytesAndConflictsForDifferentBytes() throws IOException {
    WalArchive archive = new WalArchive(new LocalObjectStore(temp.resolve("store")), "wal/pg");
    Path segment = Files.write(temp.resolve(SEGMENT), TestData.bytes(16 * 1024 * 1024, 1));
    assertThat(archive.push(segment)).isEqualTo(WalArchive.PushResult.ARCHIVED);
    assertThat(archive.push(segment)).isEqualTo(WalArchive.PushResult.ALREADY_ARCHIVED);

    Path other = Files.createDirectories(temp.resolve("other")).resolve(SEGMENT);
    Files.write(other, TestData.bytes(16 * 1024 * 1024, 2));
    assertThatThrownBy(() -> archive.push(other))
        .isInstanceOf(WalConflictException.class)
        .hasMessageContaining(SEGMENT)
        .satisfies(e -> assertThat(((StoreException) e).type()).isEqualTo("WalConflict"));

    Path fetched = temp.resolve("restore/" + SEGMENT);
    Files.createDirectories(fetched.getParent());
    assertThat(archive.fetch(SEGMENT, fetched)).isEqualTo(WalArchive.FetchResult.FOUND);
    assertThat(Files.mismatch(fetched, segment)).isEqualTo(-1L);
    assertThat(archive.list()).singleElement().satisfies(f -> {
      assertThat(f.name()).isEqualTo(SEGMENT);
      assertThat(f.storedSize()).isLessThan(16L * 1024 * 1024);
    });
  }

  @Test
  void fetchOfAMissingSegmentSaysNotFoundAndWritesNothing() {
    WalArchive archive = new WalArchive(new LocalObjectStore(temp.resolve("store")), "wal");
    Path target = temp.resolve("RECOVERYXLOG");
    assertThat(archive.fetch("000000010000000000000009", target))
        .isEqualTo(WalArchive.FetchResult.NOT_FOUND);
    assertThat(target).doesNotExist();
  }

  @Test
  void timelineHistoryFilesAreListedSeparately() throws IOException {
    WalArchive archive = new WalArchive(new LocalObjectStore(temp.resolve("store")), "wal");
    archive.push(Files.writeString(temp.resolve("00000002.history"), "1\t0/3000000\tno recovery\n"));
    archive.push(Files.write(temp.resolve(SEGMENT), new byte[1024]));
    assertThat(archive.timelineHistories()).extracting(WalArchive.WalFile::name)
        .containsExactly("00000002.history");
    assertThat(archive.list()).hasSize(2);
    assertThatThrownBy(() -> archive.push(Files.writeString(temp.resolve("not-wal"), "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-wal");
  }
}
