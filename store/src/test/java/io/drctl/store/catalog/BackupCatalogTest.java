package io.drctl.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.TestData;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.pipeline.Compression;
import io.drctl.testing.S3ProxyProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog on a real local directory and a real S3Proxy bucket. */
class BackupCatalogTest {

  @TempDir static Path temp;
  static S3ProxyProcess s3;

  @BeforeAll
  static void startS3Proxy() throws IOException {
    s3 = S3ProxyProcess.start(temp.resolve("s3"));
  }

  @AfterAll
  static void stopS3Proxy() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static BackupRequest daily(String id, String instant, Compression compression) {
    return BackupRequest.of("postgresql", BackupType.DAILY, "dump")
        .withCompression(compression, 0)
        .withBackupId(id)
        .withTimestamp(Instant.parse(instant));
  }

  private static BackupMetadata write(
      BackupCatalog catalog, BackupRequest request, long size, long seed) throws IOException {
    return catalog.write(request, out -> TestData.write(out, size, seed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void streamRoundTripsThroughZstdGzipAndNoneWithChecksums(String kind) throws IOException {
    byte[] raw = TestData.bytes(11 * 1024 * 1024 + 17, 3);
    String rawSha = TestData.sha256(raw);
    try (ObjectStore store = StoreFixture.open(kind, temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      for (Compression compression : Compression.values()) {
        String id = "backup_" + compression.jsonName();
        BackupRequest request =
            daily(id, "2025-12-27T01:00:00Z", compression)
                .withSource(new BackupMetadata.Source("127.0.0.1", "thebot_db", "15.8"));
        PendingBackup pending = catalog.begin(request);
        pending.stream().write(raw);
        pending.fingerprints(Map.of("users", new BackupMetadata.TableFingerprint(42, "abc")));
        BackupMetadata m = pending.commit();

        assertThat(m.rawSizeBytes()).isEqualTo(raw.length);
        assertThat(m.rawSha256())
            .as("raw SHA-256 only where it is the stored one")
            .isEqualTo(compression == Compression.NONE ? rawSha : null);
        assertThat(m.compression()).isEqualTo(compression);
        assertThat(m.files())
            .containsExactly(
                id
                    + ".dump"
                    + (compression == Compression.NONE ? "" : "." + compression.extension()));
        assertThat(m.restorability()).isEqualTo(Restorability.NONE);
        assertThat(m.fingerprints().get("users").rowCount()).isEqualTo(42);
        if (compression != Compression.NONE) {
          assertThat(m.sizeBytes()).isLessThan(raw.length);
        }
        try (InputStream stored = catalog.openStored(m)) {
          assertThat("sha256:" + TestData.sha256(stored)).isEqualTo(m.checksum());
        }
        try (InputStream in = catalog.open(m)) {
          assertThat(TestData.sha256(in)).isEqualTo(rawSha);
        }
        BackupMetadata verified = catalog.verify(m);
        assertThat(verified.restorability()).isEqualTo(Restorability.CHECKSUM_OK);
        assertThat(verified.verified()).isTrue();
      }
      BackupMetadata gz = catalog.find("postgresql", "backup_gzip").orElseThrow();
      try (InputStream seedStyle = new GZIPInputStream(catalog.openStored(gz))) {
        assertThat(TestData.sha256(seedStyle)).as("gunzip < file.dump.gz").isEqualTo(rawSha);
      }
      String json = new String(store.read(BackupKeys.metadataKey(gz)));
      assertThat(json)
          .contains(
              "\"backup_id\" : \"backup_gzip\"",
              "\"size_readable\"",
              "\"restorability\" : \"CHECKSUM_OK\"",
              "\"server_version\" : \"15.8\"",
              "\"checksum\" : \"sha256:",
              "\"row_count\" : 42")
          .doesNotContain("\"raw_sha256\"");
    }
  }

  @Test
  void aBackupWrittenWithARawSha256StillVerifiesAndAWrongOneIsCorruption() throws IOException {
    try (ObjectStore store = StoreFixture.open("local", temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata fresh =
          write(
              catalog,
              daily("backup_20251120_010000", "2025-11-20T01:00:00Z", Compression.ZSTD),
              5_000_000,
              7);
      String rawSha;
      try (InputStream in = catalog.open(fresh)) {
        rawSha = TestData.sha256(in);
      }
      // Until 2026-12-07 every backup recorded raw_sha256 beside the (unchanged) zstd data.
      BackupMetadata old = withRawSha256(fresh, rawSha);
      store.put(BackupKeys.metadataKey(old), CatalogJson.write(old));
      assertThat(new String(store.read(BackupKeys.metadataKey(old))))
          .contains("\"raw_sha256\" : \"" + rawSha + "\"");
      assertThat(catalog.verify(old).restorability()).isEqualTo(Restorability.CHECKSUM_OK);

      BackupMetadata wrong = withRawSha256(fresh, "0".repeat(64));
      store.put(BackupKeys.metadataKey(wrong), CatalogJson.write(wrong));
      assertThatThrownBy(() -> catalog.verify(wrong))
          .isInstanceOf(BackupCorruptException.class)
          .hasMessageContaining("raw sha256 is " + rawSha);
      assertThat(catalog.find("postgresql", wrong.backupId()).orElseThrow().restorability())
          .isEqualTo(Restorability.CORRUPT);
    }
  }

  private static BackupMetadata withRawSha256(BackupMetadata m, String rawSha256) {
    return new BackupMetadata(
        m.backupId(),
        m.type(),
        m.service(),
        m.timestamp(),
        m.sizeBytes(),
        m.sizeReadable(),
        m.durationSeconds(),
        m.files(),
        m.checksum(),
        m.verified(),
        m.retention(),
        m.restorability(),
        m.notes(),
        m.source(),
        m.compression(),
        m.encryption(),
        m.wal(),
        m.fingerprints(),
        m.rawSizeBytes(),
        rawSha256,
        m.verifiedAt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void flippedByteRaisesBackupCorruptAndMarksIt(String kind) throws IOException {
    try (ObjectStore store = StoreFixture.open(kind, temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata older =
          write(
              catalog,
              daily("backup_20251226_010000", "2025-12-26T01:00:00Z", Compression.ZSTD),
              3_000_000,
              1);
      BackupMetadata newer =
          write(
              catalog,
              daily("backup_20251227_010000", "2025-12-27T01:00:00Z", Compression.ZSTD),
              3_000_000,
              2);
      String key = BackupKeys.dataKey(newer);
      byte[] stored = store.read(key);
      stored[stored.length / 2] ^= 0x01;
      store.put(key, new ByteArrayInputStream(stored));

      assertThatThrownBy(() -> catalog.verify(newer))
          .isInstanceOf(BackupCorruptException.class)
          .hasMessageContaining(newer.backupId());
      assertThat(catalog.find("postgresql", newer.backupId()).orElseThrow().restorability())
          .isEqualTo(Restorability.CORRUPT);
      assertThat(
              catalog
                  .find("postgresql", older.backupId())
                  .orElseThrow()
                  .restorability()
                  .selectable())
          .isTrue();
      BackupStatus status = catalog.status();
      assertThat(status.lastVerification().result()).isEqualTo(Restorability.CORRUPT);
      assertThat(status.backups().get("postgresql/daily").status()).isEqualTo(BackupStatus.CORRUPT);
    }
  }

  @Test
  void readingACorruptBackupFailsAtEndOfStreamAndMarksItCorrupt() throws IOException {
    try (ObjectStore store = StoreFixture.open("local", temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata m =
          write(
              catalog,
              daily("backup_20251227_010000", "2025-12-27T01:00:00Z", Compression.GZIP),
              2_000_000,
              5);
      byte[] stored = store.read(BackupKeys.dataKey(m));
      stored[stored.length - 3] ^= 0x40; // inside the gzip trailer (CRC/size)
      store.put(BackupKeys.dataKey(m), stored);
      assertThatThrownBy(
              () -> {
                try (InputStream in = catalog.open(m)) {
                  in.transferTo(java.io.OutputStream.nullOutputStream());
                }
              })
          .isInstanceOf(BackupCorruptException.class);
      assertThat(catalog.list("postgresql"))
          .singleElement()
          .extracting(BackupMetadata::restorability)
          .isEqualTo(Restorability.CORRUPT);
    }
  }

  @Test
  void aReplicatedBackupReadsBackFromTheReplica() throws IOException {
    try (ObjectStore local = StoreFixture.open("local", temp, s3);
        ObjectStore remote = StoreFixture.open("s3", temp, s3)) {
      BackupCatalog replica = new BackupCatalog(remote);
      BackupCatalog catalog = new BackupCatalog(local, replica, Clock.systemUTC());
      write(catalog, request("d1", BackupType.DAILY, "2025-12-25T01:00:00Z"), 1000, 3);
      write(catalog, request("d2", BackupType.DAILY, "2025-12-26T01:00:00Z"), 1000, 4);

      catalog.replicate(catalog.find("postgresql", "d2").orElseThrow(), replica);

      assertThat(catalog.replica()).contains(replica);
      assertThat(replica.list("postgresql"))
          .extracting(BackupMetadata::backupId)
          .containsExactly("d2");
      try (InputStream in = replica.open(replica.find("postgresql", "d2").orElseThrow())) {
        assertThat(in.readAllBytes()).hasSize(1000);
      }
    }
  }

  private static BackupRequest request(String id, BackupType type, String instant) {
    return BackupRequest.of("postgresql", type, "dump")
        .withBackupId(id)
        .withTimestamp(Instant.parse(instant));
  }

  /**
   * Retention and the selectors name a backup by id alone: a Redis backup must not reuse a dump's.
   */
  @Test
  void backupsOfTwoServicesTakenInTheSameSecondGetDifferentIds() throws IOException {
    try (ObjectStore store = StoreFixture.open("local", temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      Instant second = Instant.parse("2025-12-27T01:00:00Z");
      BackupMetadata dump =
          write(
              catalog,
              BackupRequest.of("postgresql", BackupType.DAILY, "dump").withTimestamp(second),
              1000,
              1);
      BackupMetadata rdb =
          write(
              catalog,
              BackupRequest.of("redis", BackupType.DAILY, "rdb").withTimestamp(second),
              1000,
              2);
      assertThat(dump.backupId()).isEqualTo("backup_20251227_010000");
      assertThat(rdb.backupId()).isEqualTo("backup_20251227_010000_2");
    }
  }

  @Test
  void backupStatusTracksTheLastBackupPerTypeAndTheLastVerification() throws IOException {
    try (ObjectStore store = StoreFixture.open("local", temp, s3)) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata d =
          write(catalog, request("d1", BackupType.DAILY, "2025-12-26T01:00:00Z"), 5000, 1);
      write(catalog, request("w1", BackupType.WEEKLY, "2025-12-21T03:00:00Z"), 5000, 2);
      assertThatThrownBy(
              () ->
                  catalog.write(
                      request("d2", BackupType.DAILY, "2025-12-27T01:00:00Z"),
                      out -> {
                        out.write(new byte[100]);
                        throw new IOException("pg_dump exited with 1");
                      }))
          .isInstanceOf(IOException.class)
          .hasMessage("pg_dump exited with 1");
      assertThat(catalog.list("postgresql"))
          .extracting(BackupMetadata::backupId)
          .containsExactly("w1", "d1");
      catalog.markRestoreTested(catalog.verify(d), "restored into scratch, 42 rows");

      BackupStatus status = catalog.status();
      BackupStatus.LastBackup daily = status.backups().get("postgresql/daily");
      assertThat(daily.status()).isEqualTo(BackupStatus.FAILED);
      assertThat(daily.backupId()).isEqualTo("d2");
      assertThat(daily.error()).contains("pg_dump exited with 1");
      assertThat(daily.lastSuccessId()).isEqualTo("d1");
      assertThat(status.backups().get("postgresql/weekly").status()).isEqualTo(BackupStatus.OK);
      assertThat(status.lastVerification().backupId()).isEqualTo("d1");
      assertThat(status.lastVerification().result()).isEqualTo(Restorability.VERIFIED);
      String json = new String(store.read(BackupKeys.STATUS));
      assertThat(json)
          .contains(
              "\"postgresql/daily\"",
              "\"last_success_id\" : \"d1\"",
              "\"last_verification\"",
              "\"updated_at\"");
      assertThat(catalog.find("postgresql", "d1").orElseThrow().restorability())
          .isEqualTo(Restorability.VERIFIED);
    }
  }

  @Test
  void replicateCopiesDataThenMetadataVerifiedAtTheDestination() throws IOException {
    try (ObjectStore local = StoreFixture.open("local", temp, s3);
        ObjectStore remote = StoreFixture.open("s3", temp, s3)) {
      BackupCatalog source = new BackupCatalog(local);
      BackupCatalog target = new BackupCatalog(remote);
      BackupMetadata m =
          write(
              source,
              daily("backup_20251227_010000", "2025-12-27T01:00:00Z", Compression.ZSTD),
              12L * 1024 * 1024,
              9);
      BackupMetadata copy = source.replicate(m, target);
      assertThat(copy.checksum()).isEqualTo(m.checksum());
      assertThat(target.list("postgresql"))
          .singleElement()
          .extracting(BackupMetadata::checksum)
          .isEqualTo(m.checksum());
      assertThat(target.verify(copy).restorability()).isEqualTo(Restorability.CHECKSUM_OK);
      assertThat(source.replicate(m, target).checksum()).as("idempotent").isEqualTo(m.checksum());
      assertThat(remote.list("backups/")).hasSize(2);
    }
  }
}
