package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis.restore of an RDB backup that is not a valid RDB, or whose stored bytes changed: refused
 * with BackupCorrupt before the server is touched (the same process, the same keys), and nothing
 * staged left in the data directory.
 */
class RedisRdbCheckTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void aTruncatedRdbIsRefusedBeforeTheServerIsTouched() throws IOException {
    byte[] dump = dumpOfAFewMegabytes();

    assertRefused(store(Arrays.copyOf(dump, dump.length * 3 / 5)), "redis-check-rdb");
  }

  @Test
  void aFileThatIsNoRdbAtAllIsRefused() throws IOException {
    byte[] junk = new byte[8 << 20];
    new Random(7).nextBytes(junk);

    assertRefused(store(junk), "redis-check-rdb");
  }

  @Test
  void storedBytesThatChangedAreTheStoresFindingEvenWhenTheRdbLooksValid() throws IOException {
    BackupMetadata backup = store(dumpOfAFewMegabytes());
    Path object;
    try (Stream<Path> files = Files.walk(fixture.directory().resolve("store"))) {
      object =
          files
              .filter(Files::isRegularFile)
              .max(Comparator.comparingLong(RedisRdbCheckTest::size))
              .orElseThrow();
    }
    try (RandomAccessFile handle = new RandomAccessFile(object.toFile(), "rw")) {
      handle.seek(handle.length() / 2);
      int value = handle.read();
      handle.seek(handle.length() / 2);
      handle.write(value ^ 0x40);
    }

    assertRefused(backup, "");
  }

  @Test
  void aValidRdbStoredTheSameWayRestores() throws IOException {
    byte[] dump = dumpOfAFewMegabytes();
    Set<String> db0 = fixture.server().keys(0);
    BackupMetadata backup = store(dump);
    RedisTestData.changeEverything(fixture.server());

    fixture.actions().restore(fixture.server(), "rdb", backup.backupId());

    assertThat(fixture.server().keys(0)).isEqualTo(db0);
    assertThat(leftovers()).isEmpty();
  }

  private void assertRefused(BackupMetadata backup, String finding) throws IOException {
    RedisTestServer server = fixture.server();
    Set<String> db0 = server.keys(0);
    long pid = server.pid();

    Throwable thrown =
        catchThrowable(() -> fixture.actions().restore(server, "rdb", backup.backupId()));

    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo("BackupCorrupt");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(finding);
    assertThat(server.pid()).as("the server was not restarted").isEqualTo(pid);
    assertThat(server.keys(0)).isEqualTo(db0);
    assertThat(leftovers()).isEmpty();
  }

  /**
   * dump.rdb of the fixture's data and about 4 MB more (random values, so that LZF cannot shrink
   * them).
   */
  private byte[] dumpOfAFewMegabytes() throws IOException {
    RedisTestServer server = fixture.server();
    server.redis(
        redis -> {
          byte[] value = new byte[4096];
          for (int i = 0; i < 1000; i++) {
            new Random(i).nextBytes(value);
            redis.set("blob:" + i, new String(value, java.nio.charset.StandardCharsets.ISO_8859_1));
          }
          return redis.save();
        });
    return Files.readAllBytes(server.data().resolve("dump.rdb"));
  }

  private BackupMetadata store(byte[] rdb) throws IOException {
    try (ObjectStore store =
        ObjectStores.open(StoreConfig.local(fixture.directory().resolve("store")))) {
      return new BackupCatalog(store)
          .write(
              BackupRequest.of(RedisActivities.BACKUP_SERVICE, BackupType.MANUAL, "rdb"),
              new ByteArrayInputStream(rdb));
    }
  }

  private java.util.List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(fixture.server().data())) {
      return files.filter(path -> path.getFileName().toString().startsWith(".drctl")).toList();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
