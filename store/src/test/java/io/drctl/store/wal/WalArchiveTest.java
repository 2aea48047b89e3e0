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
  private static final long OLD = 7_311_232_549_262_331_234L;

  /** Above Long.MAX_VALUE as PostgreSQL prints it: 18446744073709551615 - 41. */
  private static final long NEW = -42L;

  @TempDir Path temp;

  private WalArchive archive() {
    return new WalArchive(new LocalObjectStore(temp.resolve("store")), "wal/pg");
  }

  @Test
  void pushIsIdempotentForTheSameBytesAndConflictsForDifferentBytesOfTheSameCluster()
      throws IOException {
    WalArchive archive = archive();
    Path segment =
        TestSegments.write(
            temp.resolve("a"), SEGMENT, OLD, TestData.bytes(16 * 1024 * 1024 - 40, 1));
    assertThat(archive.push(segment)).isEqualTo(WalArchive.PushResult.ARCHIVED);
    assertThat(archive.push(segment)).isEqualTo(WalArchive.PushResult.ALREADY_ARCHIVED);

    Path other =
        TestSegments.write(
            temp.resolve("b"), SEGMENT, OLD, TestData.bytes(16 * 1024 * 1024 - 40, 2));
    assertThatThrownBy(() -> archive.push(other))
        .isInstanceOf(WalConflictException.class)
        .hasMessageContaining(SEGMENT)
        .hasMessageContaining(Long.toUnsignedString(OLD))
        .satisfies(e -> assertThat(((StoreException) e).type()).isEqualTo("WalConflict"));

    Path fetched = Files.createDirectories(temp.resolve("restore")).resolve(SEGMENT);
    assertThat(archive.fetch(new SystemIdentifier(OLD), SEGMENT, fetched))
        .isEqualTo(WalArchive.FetchResult.FOUND);
    assertThat(Files.mismatch(fetched, segment)).isEqualTo(-1L);
    assertThat(archive.list())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.name()).isEqualTo(SEGMENT);
              assertThat(f.cluster()).isEqualTo(new SystemIdentifier(OLD));
              assertThat(f.location()).isEqualTo(OLD + "/" + SEGMENT);
              assertThat(f.storedSize()).isLessThan(16L * 1024 * 1024);
            });
    assertThat(temp.resolve("store/wal/pg/" + OLD + "/" + SEGMENT + ".zst")).exists();
  }

  @Test
  void aReinitialisedClusterArchivesTheSameNamesWithoutConflictAndEachFetchesItsOwn()
      throws IOException {
    WalArchive archive = archive();
    Path old =
        TestSegments.write(temp.resolve("old"), SEGMENT, OLD, "old cluster".repeat(100).getBytes());
    Path fresh =
        TestSegments.write(temp.resolve("new"), SEGMENT, NEW, "new cluster".repeat(100).getBytes());
    assertThat(archive.push(old)).isEqualTo(WalArchive.PushResult.ARCHIVED);
    assertThat(archive.push(fresh)).isEqualTo(WalArchive.PushResult.ARCHIVED);
    assertThat(archive.clusters())
        .containsExactlyInAnyOrder(new SystemIdentifier(OLD), new SystemIdentifier(NEW));

    Path fetched = Files.createDirectories(temp.resolve("restore")).resolve("RECOVERYXLOG");
    archive.fetch(new SystemIdentifier(NEW), SEGMENT, fetched);
    assertThat(Files.mismatch(fetched, fresh)).isEqualTo(-1L);
    archive.fetch(new SystemIdentifier(OLD), SEGMENT, fetched);
    assertThat(Files.mismatch(fetched, old)).isEqualTo(-1L);
    assertThat(archive.fetch(new SystemIdentifier(12345), SEGMENT, fetched))
        .isEqualTo(WalArchive.FetchResult.NOT_FOUND);
    assertThat(temp.resolve("store/wal/pg/18446744073709551574/" + SEGMENT + ".zst")).exists();
  }

  @Test
  void aSegmentIsFiledOnlyUnderTheClusterItsHeaderNames() throws IOException {
    WalArchive archive = archive();
    Path segment = TestSegments.write(temp, SEGMENT, OLD, new byte[100]);
    assertThatThrownBy(() -> archive.push(new SystemIdentifier(NEW), SEGMENT, segment))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to database system " + OLD);
    Path notWal = Files.write(temp.resolve("000000010000000000000004"), TestData.bytes(1024, 3));
    assertThatThrownBy(() -> archive.push(notWal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("long page header");
    assertThat(archive.list()).isEmpty();
  }

  @Test
  void fetchOfAMissingSegmentSaysNotFoundAndWritesNothing() {
    Path target = temp.resolve("RECOVERYXLOG");
    assertThat(archive().fetch(new SystemIdentifier(OLD), "000000010000000000000009", target))
        .isEqualTo(WalArchive.FetchResult.NOT_FOUND);
    assertThat(target).doesNotExist();
  }

  @Test
  void historyFilesAreArchivedUnderTheClusterTheCallerNames() throws IOException {
    WalArchive archive = archive();
    Path history =
        Files.writeString(temp.resolve("00000002.history"), "1\t0/3000000\tno recovery\n");
    assertThatThrownBy(() -> archive.push(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("system identifier");
    archive.push(new SystemIdentifier(OLD), "00000002.history", history);
    archive.push(TestSegments.write(temp, SEGMENT, OLD, new byte[1024]));
    assertThat(archive.timelineHistories(new SystemIdentifier(OLD)))
        .extracting(WalArchive.WalFile::name)
        .containsExactly("00000002.history");
    assertThat(archive.timelineHistories(new SystemIdentifier(NEW))).isEmpty();
    assertThat(archive.list()).hasSize(2);
    assertThatThrownBy(() -> archive.push(Files.writeString(temp.resolve("not-wal"), "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not-wal");
  }

  @Test
  void flatLayoutArchivesStayReadableForTheClusterTheirSegmentsBelongTo() throws IOException {
    WalArchive archive = archive();
    Path flat =
        TestSegments.write(temp.resolve("flat"), SEGMENT, OLD, "flat".repeat(100).getBytes());
    Path history =
        Files.writeString(temp.resolve("00000002.history"), "1\t0/3000000\tno recovery\n");
    // What an archive written before the per-cluster layout holds: wal/pg/<name>.zst.
    archive.pushLike(new WalArchive.WalFile(SEGMENT, 0, null, null), flat);
    archive.pushLike(new WalArchive.WalFile("00000002.history", 0, null, null), history);
    assertThat(temp.resolve("store/wal/pg/" + SEGMENT + ".zst")).exists();
    assertThat(archive.list()).allSatisfy(file -> assertThat(file.cluster()).isNull());

    Path fetched = Files.createDirectories(temp.resolve("restore")).resolve("RECOVERYXLOG");
    assertThat(archive.fetch(new SystemIdentifier(OLD), SEGMENT, fetched))
        .isEqualTo(WalArchive.FetchResult.FOUND);
    assertThat(Files.mismatch(fetched, flat)).isEqualTo(-1L);
    Files.delete(fetched);
    assertThat(archive.fetch(new SystemIdentifier(NEW), SEGMENT, fetched))
        .as("another cluster's flat segment is not this cluster's")
        .isEqualTo(WalArchive.FetchResult.NOT_FOUND);
    assertThat(fetched).doesNotExist();
    try (var left = Files.list(fetched.getParent())) {
      assertThat(left).as("no temporary file left behind").isEmpty();
    }
    assertThat(archive.fetch(new SystemIdentifier(NEW), "00000002.history", fetched))
        .isEqualTo(WalArchive.FetchResult.FOUND);

    Path own = TestSegments.write(temp.resolve("own"), SEGMENT, OLD, "own".repeat(100).getBytes());
    archive.push(own);
    archive.fetch(new SystemIdentifier(OLD), SEGMENT, fetched);
    assertThat(Files.mismatch(fetched, own)).as("the cluster's own copy wins").isEqualTo(-1L);
    assertThat(archive.listFor(new SystemIdentifier(OLD)))
        .extracting(WalArchive.WalFile::location)
        .containsExactly(OLD + "/" + SEGMENT, "00000002.history");
  }

  @Test
  void systemIdentifiersReadAsPostgresqlPrintsThem() {
    assertThat(SystemIdentifier.parse("18446744073709551574")).isEqualTo(new SystemIdentifier(NEW));
    assertThat(new SystemIdentifier(OLD).toString()).isEqualTo("7311232549262331234");
    assertThatThrownBy(() -> SystemIdentifier.parse("18446744073709551616"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 bits");
    assertThatThrownBy(() -> SystemIdentifier.parse("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'abc'");
  }
}
