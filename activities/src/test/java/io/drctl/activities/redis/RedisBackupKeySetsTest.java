package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What redis.backup records of the key sets, against a real redis-server: the count and the
 * fingerprint of each database when nothing wrote while it ran (rdb and aof), counts only when
 * something did; and the stored RDB is the file the save produced.
 */
class RedisBackupKeySetsTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void aQuietRdbBackupRecordsEachDatabasesCountAndTheFingerprintOfItsKeyNames() throws Exception {
    RedisTestServer server = fixture.server();

    RedisBackupResult backup = fixture.actions().backup(server, "rdb");

    Map<String, TableFingerprint> recorded = metadata(backup.backupId()).fingerprints();
    assertThat(recorded).containsOnlyKeys("db0", "db3");
    assertThat(recorded.get("db0"))
        .isEqualTo(new TableFingerprint(RedisTestData.DB0_KEYS, expected(0)));
    assertThat(recorded.get("db3"))
        .isEqualTo(new TableFingerprint(RedisTestData.DB3_KEYS, expected(3)));
    assertThat(backup.keys()).isEqualTo(RedisTestData.DB0_KEYS + RedisTestData.DB3_KEYS);
  }

  @Test
  void aQuietAofBackupRecordsTheFingerprintsToo() {
    RedisTestServer server = fixture.server();

    RedisBackupResult backup = fixture.actions().backup(server, "aof");

    Map<String, TableFingerprint> recorded = metadata(backup.backupId()).fingerprints();
    assertThat(recorded.get("db0"))
        .isEqualTo(new TableFingerprint(RedisTestData.DB0_KEYS, expected(0)));
    assertThat(recorded.get("db3"))
        .isEqualTo(new TableFingerprint(RedisTestData.DB3_KEYS, expected(3)));
  }

  @Test
  void aBackupWhileTheServerIsWrittenToRecordsCountsOnlyAndStillRestores() throws Exception {
    RedisTestServer server = fixture.server();
    // A slower save (2 ms per key), so that the writes surely fall into it.
    server.redis(redis -> redis.configSet("rdb-key-save-delay", "2000"));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong writes = new AtomicLong();
    Thread writer =
        new Thread(
            () ->
                server.redis(
                    redis -> {
                      while (writing.get()) {
                        redis.set(
                            "written:during:backup", String.valueOf(writes.incrementAndGet()));
                      }
                      return null;
                    }));
    writer.start();
    RedisBackupResult backup;
    try {
      backup = fixture.actions().backup(server, "rdb");
    } finally {
      writing.set(false);
      writer.join();
    }
    server.redis(redis -> redis.configSet("rdb-key-save-delay", "0"));

    Map<String, TableFingerprint> recorded = metadata(backup.backupId()).fingerprints();
    assertThat(writes.get()).isGreaterThan(10);
    assertThat(recorded.values()).allMatch(set -> set.checksum() == null);
    assertThat(recorded.get("db3").rowCount()).isEqualTo(RedisTestData.DB3_KEYS);
    RedisRestoreResult restored = fixture.actions().restore(server, "rdb", backup.backupId());
    assertThat(restored.keys()).isEqualTo(backup.keys());
  }

  @Test
  void theStoredRdbIsByteForByteTheDumpTheSaveProducedAlsoWhenStoredWhileItWasWritten()
      throws Exception {
    RedisTestServer server = fixture.server();
    server.redis(
        redis -> {
          byte[] value = new byte[4096];
          for (int i = 0; i < 400; i++) {
            new java.util.Random(i).nextBytes(value);
            redis.set("blob:" + i, new String(value, StandardCharsets.ISO_8859_1));
          }
          return redis.configSet("rdb-key-save-delay", "2000");
        });

    RedisBackupResult backup = fixture.actions().backup(server, "rdb");

    byte[] dump = Files.readAllBytes(server.data().resolve("dump.rdb"));
    try (ObjectStore store =
            ObjectStores.open(StoreConfig.local(fixture.directory().resolve("store")));
        InputStream stored = new BackupCatalog(store).open(metadata(backup.backupId()))) {
      assertThat(stored.readAllBytes()).isEqualTo(dump);
    }
    assertThat(dump.length).isGreaterThan(1_500_000);
    assertThat(metadata(backup.backupId()).fingerprints().get("db0").checksum())
        .isEqualTo(expected(0));
  }

  /**
   * The fingerprint of database {@code db}'s key names as they are now, computed here from KEYS.
   */
  private String expected(int db) {
    long sum = 0;
    for (String key : fixture.server().keys(db)) {
      byte[] name = key.getBytes(StandardCharsets.UTF_8);
      sum += KeySets.xxh64(ByteBuffer.wrap(name), 0, name.length);
    }
    return String.format("keyset-xxh64-sum64:%016x", sum);
  }

  private BackupMetadata metadata(String backupId) {
    try (ObjectStore store =
        ObjectStores.open(StoreConfig.local(fixture.directory().resolve("store")))) {
      return new BackupCatalog(store).find(RedisActivities.BACKUP_SERVICE, backupId).orElseThrow();
    }
  }
}
