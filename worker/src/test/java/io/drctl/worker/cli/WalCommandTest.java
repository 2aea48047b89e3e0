package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl wal push} and {@code fetch} against a real local store, with PostgreSQL's exit codes. */
class WalCommandTest {
  private static final String SEGMENT = "000000010000000000000003";

  @TempDir Path store;
  @TempDir Path work;

  @Test
  void pushedSegmentsComeBackByteForByte() throws Exception {
    Path segment = segment(work.resolve("pg_wal"), SEGMENT, 1);

    CliRun push = CliRun.of("wal", "push", "--store", store.toString(), segment.toString());
    Path restored = work.resolve("restored/RECOVERYXLOG");
    Files.createDirectories(restored.getParent());
    CliRun fetch = CliRun.of("wal", "fetch", "--store", store.toString(), SEGMENT, restored.toString());

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
    CliRun fetch = CliRun.of("wal", "fetch", "--store", store.toString(), "000000010000000000000009",
        work.resolve("RECOVERYXLOG").toString());

    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err()).isEmpty();
    assertThat(work.resolve("RECOVERYXLOG")).doesNotExist();
  }

  @Test
  void aBrokenFetchExitsAboveOneHundredTwentyFiveSoRecoveryStopsInsteadOfEndingEarly() {
    CliRun badName = CliRun.of("wal", "fetch", "--store", store.toString(), "../etc/passwd", work.resolve("x").toString());
    CliRun noStore = CliRun.of("wal", "fetch", "--store", work.resolve("missing").toString(), SEGMENT,
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
    Files.createDirectories(directory);
    byte[] bytes = new byte[16 * 1024 * 1024];
    new Random(seed).nextBytes(bytes);
    return Files.write(directory.resolve(name), bytes);
  }
}
