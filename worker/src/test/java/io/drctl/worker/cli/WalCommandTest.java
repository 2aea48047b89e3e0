package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.StoreConfig;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.WalArchive;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl wal push} and {@code fetch} against a real local store, with PostgreSQL's exit
 * codes.
 */
class WalCommandTest {
  private static final String SEGMENT = "000000010000000000000003";
  private static final long OLD = 7_311_232_549_262_331_234L;
  private static final long NEW = 7_400_000_000_000_000_001L;

  @TempDir Path store;
  @TempDir Path work;

  @Test
  void pushedSegmentsComeBackByteForByte() throws Exception {
    Path segment = segment(work.resolve("pg_wal"), SEGMENT, 1);

    CliRun push = CliRun.of("wal", "push", "--store", store.toString(), segment.toString());
    Path restored = work.resolve("restored/RECOVERYXLOG");
    Files.createDirectories(restored.getParent());
    CliRun fetch =
        CliRun.of("wal", "fetch", "--store", store.toString(), SEGMENT, restored.toString());

    assertThat(push.exitCode()).as(push.err()).isZero();
    assertThat(fetch.exitCode()).as(fetch.err()).isZero();
    assertThat(Files.readAllBytes(restored)).isEqualTo(Files.readAllBytes(segment));
  }

  @Test
  void pushingTheSameSegmentTwiceSucceedsButDifferentBytesUnderItsNameFail() throws Exception {
    Path segment = segment(work.resolve("a"), SEGMENT, 1);
    Path impostor = segment(work.resolve("b"), SEGMENT, 2);

    CliRun first = CliRun.of("wal", "push", "--store", store.toString(), segment.toString());
    CliRun again = CliRun.of("wal", "push", "--store", store.toString(), segment.toString());
    CliRun different = CliRun.of("wal", "push", "--store", store.toString(), impostor.toString());

    assertThat(first.exitCode()).isZero();
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).contains("already archived");
    assertThat(different.exitCode()).isEqualTo(1);
    assertThat(different.err()).contains(SEGMENT).contains("WalConflict");
  }

  @Test
  void fetchingASegmentTheArchiveLacksExitsOneQuietly() {
    CliRun fetch =
        CliRun.of(
            "wal",
            "fetch",
            "--store",
            store.toString(),
            "000000010000000000000009",
            work.resolve("RECOVERYXLOG").toString());

    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err()).isEmpty();
    assertThat(work.resolve("RECOVERYXLOG")).doesNotExist();
  }

  @Test
  void aBrokenFetchExitsAboveOneHundredTwentyFiveSoRecoveryStopsInsteadOfEndingEarly() {
    CliRun badName =
        CliRun.of(
            "wal",
            "fetch",
            "--store",
            store.toString(),
            "../etc/passwd",
            work.resolve("x").toString());
    CliRun noStore =
        CliRun.of(
            "wal",
            "fetch",
            "--store",
            work.resolve("missing").toString(),
            SEGMENT,
            work.resolve("x").toString());

    assertThat(badName.exitCode()).isEqualTo(WalCommand.FETCH_FATAL);
    assertThat(noStore.exitCode()).isEqualTo(WalCommand.FETCH_FATAL);
    assertThat(noStore.err()).contains("no such directory");
  }

  @Test
  void pushOfAFileThatIsNotAWalSegmentFails() throws Exception {
    Path notWal = work.resolve("postgresql.conf");
    Files.writeString(notWal, "x");

    CliRun push = CliRun.of("wal", "push", "--store", store.toString(), notWal.toString());

    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.err()).contains("not a WAL file name");
  }

  private static Path segment(Path directory, String name, long seed) throws Exception {
    return segment(directory, name, seed, OLD);
  }

  /**
   * 16 MiB of random bytes behind PostgreSQL 15's long page header naming {@code systemIdentifier}.
   */
  private static Path segment(Path directory, String name, long seed, long systemIdentifier)
      throws Exception {
    Files.createDirectories(directory);
    byte[] bytes = new byte[16 * 1024 * 1024];
    new Random(seed).nextBytes(bytes);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putShort(0, (short) 0xD110)
        .putShort(2, (short) 2)
        .putInt(4, 1)
        .putLong(24, systemIdentifier)
        .putInt(32, 16 * 1024 * 1024)
        .putInt(36, 8192);
    return Files.write(directory.resolve(name), bytes);
  }

  /**
   * A data directory as far as drctl reads it: global/pg_control's system_identifier and version.
   */
  private static Path dataDirectory(Path directory, long systemIdentifier) throws Exception {
    Files.createDirectories(directory.resolve("global"));
    Files.createDirectories(directory.resolve("pg_wal"));
    byte[] control = new byte[8192];
    ByteBuffer.wrap(control)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(0, systemIdentifier)
        .putInt(8, 1300);
    Files.write(directory.resolve("global/pg_control"), control);
    return directory;
  }

  @Test
  void aReinitialisedClusterPushesTheSameSegmentNamesAndEachFetchGetsItsOwnCluster()
      throws Exception {
    Path old = segment(work.resolve("old"), SEGMENT, 1, OLD);
    Path fresh = segment(work.resolve("new"), SEGMENT, 2, NEW);
    CliRun pushOld = CliRun.of("wal", "push", "--store", store.toString(), old.toString());
    CliRun pushNew = CliRun.of("wal", "push", "--store", store.toString(), fresh.toString());
    Path restored = Files.createDirectories(work.resolve("restored")).resolve("RECOVERYXLOG");

    assertThat(pushOld.exitCode()).as(pushOld.err()).isZero();
    assertThat(pushNew.exitCode()).as(pushNew.err()).isZero();
    assertThat(
            CliRun.of(
                    "wal",
                    "fetch",
                    "--store",
                    store.toString(),
                    "--system-id",
                    Long.toString(NEW),
                    SEGMENT,
                    restored.toString())
                .exitCode())
        .isZero();
    assertThat(Files.mismatch(restored, fresh)).isEqualTo(-1L);
    Path data = dataDirectory(work.resolve("recovering"), OLD);
    assertThat(
            CliRun.of(
                    "wal",
                    "fetch",
                    "--store",
                    store.toString(),
                    "--pgdata",
                    data.toString(),
                    SEGMENT,
                    restored.toString())
                .exitCode())
        .isZero();
    assertThat(Files.mismatch(restored, old)).isEqualTo(-1L);

    CliRun ambiguous =
        CliRun.of("wal", "fetch", "--store", store.toString(), SEGMENT, restored.toString());
    assertThat(ambiguous.exitCode()).isEqualTo(WalCommand.FETCH_FATAL);
    assertThat(ambiguous.err())
        .contains("2 database systems")
        .contains(Long.toString(OLD))
        .contains("--system-id");
  }

  @Test
  void aHistoryFileIsFiledUnderTheSystemIdentifierOfTheDataDirectoryHoldingItsPgWal()
      throws Exception {
    Path data = dataDirectory(work.resolve("data"), NEW);
    Path history =
        Files.writeString(
            data.resolve("pg_wal/00000002.history"), "1\t0/3000000\tno recovery target\n");
    Path elsewhere =
        Files.writeString(work.resolve("00000003.history"), "2\t0/4000000\tno recovery target\n");

    CliRun push = CliRun.of("wal", "push", "--store", store.toString(), history.toString());
    CliRun lost = CliRun.of("wal", "push", "--store", store.toString(), elsewhere.toString());
    CliRun named =
        CliRun.of(
            "wal",
            "push",
            "--store",
            store.toString(),
            "--system-id",
            Long.toString(NEW),
            elsewhere.toString());

    assertThat(push.exitCode()).as(push.err()).isZero();
    assertThat(store.resolve("wal-archive/postgresql/" + NEW + "/00000002.history.zst")).exists();
    assertThat(lost.exitCode()).isEqualTo(1);
    assertThat(lost.err()).contains("00000003.history").contains("--pgdata");
    assertThat(named.exitCode()).as(named.err()).isZero();
    // The only cluster in the archive serves a fetch that names none and runs outside a data
    // directory.
    Path restored = work.resolve("00000002.history.restored");
    assertThat(
            CliRun.of(
                    "wal",
                    "fetch",
                    "--store",
                    store.toString(),
                    "00000002.history",
                    restored.toString())
                .exitCode())
        .isZero();
    assertThat(Files.mismatch(restored, history)).isEqualTo(-1L);
  }

  @Test
  void aSegmentPushedUnderAnotherClustersIdentifierIsRefused() throws Exception {
    Path segment = segment(work.resolve("pg_wal"), SEGMENT, 1, OLD);

    CliRun push =
        CliRun.of(
            "wal",
            "push",
            "--store",
            store.toString(),
            "--system-id",
            Long.toString(NEW),
            segment.toString());

    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.err()).contains("belongs to database system " + OLD);
  }

  @Test
  void anArchiveOfTheOlderFlatLayoutIsStillFetched() throws Exception {
    Path segment = segment(work.resolve("pg_wal"), SEGMENT, 1, OLD);
    try (ObjectStore objects = ObjectStores.open(StoreConfig.local(store))) {
      new WalArchive(objects, CatalogRetention.WAL_PREFIX)
          .pushLike(new WalArchive.WalFile(SEGMENT, 0, null, null), segment);
    }
    assertThat(store.resolve("wal-archive/postgresql/" + SEGMENT + ".zst")).exists();
    Path restored = work.resolve("RECOVERYXLOG");

    CliRun own =
        CliRun.of(
            "wal",
            "fetch",
            "--store",
            store.toString(),
            "--system-id",
            Long.toString(OLD),
            SEGMENT,
            restored.toString());
    CliRun plain =
        CliRun.of("wal", "fetch", "--store", store.toString(), SEGMENT, restored.toString());
    CliRun other =
        CliRun.of(
            "wal",
            "fetch",
            "--store",
            store.toString(),
            "--system-id",
            Long.toString(NEW),
            SEGMENT,
            work.resolve("other").toString());

    assertThat(own.exitCode()).as(own.err()).isZero();
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(Files.mismatch(restored, segment)).isEqualTo(-1L);
    assertThat(other.exitCode()).as("another system's flat segment is not served").isEqualTo(1);
    assertThat(work.resolve("other")).doesNotExist();
  }
}
