package io.drctl.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.TestData;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupStatus;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.pipeline.Compression;
import io.drctl.testing.S3ProxyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 stops in the middle of a multipart upload: retryable failure, nothing listed, retry works. */
class S3ProxyKilledMidUploadTest {
  private static final int PART = 5 * 1024 * 1024;

  @TempDir static Path temp;
  static S3ProxyProcess s3;
  static StoreConfig config;

  @BeforeAll
  static void startS3Proxy() throws IOException {
    s3 = S3ProxyProcess.start(temp.resolve("s3"));
    config =
        StoreConfig.pathStyleS3(
                s3.createBucket("killed"),
                s3.endpoint(),
                s3.credentials().accessKeyId(),
                s3.credentials().secretAccessKey())
            .withTransfer(PART, 2, 2);
  }

  @AfterAll
  static void stopS3Proxy() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void uploadFailsRetryablyWhenS3DiesMidwayAndNoPartialBackupIsListedAndARetrySucceeds()
      throws IOException {
    BackupRequest request =
        BackupRequest.of("postgresql", BackupType.DAILY, "dump")
            .withCompression(Compression.NONE, 0)
            .withBackupId("backup_20251227_010000")
            .withTimestamp(Instant.parse("2025-12-27T01:00:00Z"));
    long size = 6L * PART;
    try (ObjectStore store = ObjectStores.open(config)) {
      BackupCatalog catalog = new BackupCatalog(store);
      assertThatThrownBy(
              () ->
                  catalog.write(
                      request,
                      out -> {
                        byte[] block = TestData.bytes(1024 * 1024, 7);
                        for (long written = 0; written < size; written += block.length) {
                          if (written == 3L * PART) {
                            s3.kill();
                          }
                          out.write(block);
                        }
                      }))
          .isInstanceOf(StoreException.class)
          .satisfies(
              e -> {
                StoreException se = (StoreException) e;
                assertThat(se.retryable()).as(se.getMessage()).isTrue();
                assertThat(se.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE);
              });

      s3.restart();
      assertThat(catalog.list("postgresql")).isEmpty();
      assertThat(store.list("backups/")).isEmpty();
      // the store was down, so the failure could not be recorded there either; nothing claims
      // success
      assertThat(catalog.status().backups()).doesNotContainKey("postgresql/daily");

      BackupMetadata written = catalog.write(request, out -> TestData.write(out, size, 7));
      assertThat(catalog.list("postgresql"))
          .extracting(BackupMetadata::backupId)
          .containsExactly("backup_20251227_010000");
      assertThat(written.sizeBytes()).isEqualTo(size);
      try (InputStream in = catalog.open(written)) {
        assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(size);
      }
      assertThat(catalog.status().backups().get("postgresql/daily").status())
          .isEqualTo(BackupStatus.OK);
    }
  }
}
