package io.drctl.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.pipeline.Compression;
import org.junit.jupiter.api.Test;

class BackupRequestTest {

  @Test
  void pathSegmentsCannotEscapeTheBackupFolder() {
    assertThatThrownBy(() -> BackupRequest.of("../etc", BackupType.DAILY, "dump"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service '../etc'");
    assertThatThrownBy(() -> BackupRequest.of("pg", BackupType.DAILY, "dump").withBackupId("a/b"))
        .hasMessageContaining("backupId 'a/b'");
  }

  @Test
  void compressionLevelsAreCheckedPerCodecAndDefaulted() {
    assertThat(BackupRequest.of("pg", BackupType.DAILY, "dump").compressionLevel()).isEqualTo(3);
    assertThat(
            BackupRequest.of("pg", BackupType.DAILY, "dump")
                .withCompression(Compression.GZIP, 0)
                .compressionLevel())
        .isEqualTo(6);
    assertThatThrownBy(
            () ->
                BackupRequest.of("pg", BackupType.DAILY, "dump")
                    .withCompression(Compression.GZIP, 12))
        .hasMessageContaining("gzip level 12");
  }

  @Test
  void sizesReadLikeTheSeed() {
    assertThat(CatalogJson.readableSize(536_870_912L)).isEqualTo("512MB");
    assertThat(CatalogJson.readableSize(1_610_612_736L)).isEqualTo("1.5GB");
    assertThat(CatalogJson.readableSize(100)).isEqualTo("100B");
  }
}
