package io.drctl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void runbookTargetBecomesAValidatedS3ConfigWithMaskedCredentials() {
    StoreConfig config =
        StoreConfig.fromTarget(
            Map.of(
                "store",
                "s3",
                "bucket",
                "backup-bucket",
                "prefix",
                "/prod/pg/",
                "region",
                "eu-west-1",
                "endpoint",
                "http://127.0.0.1:9000",
                "pathStyle",
                true,
                "accessKeyId",
                "env:AWS_ACCESS_KEY_ID",
                "serverSideEncryption",
                "aws:kms",
                "kmsKeyId",
                "key-123",
                "retention",
                Map.of("daily", 3, "wal", "2d", "maxAge", "30d")),
            new S3Credentials("AKIAEXAMPLE", "very-secret"));
    assertThat(config.kind()).isEqualTo(StoreConfig.Kind.S3);
    assertThat(config.prefix()).isEqualTo("prod/pg");
    assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(config.pathStyle()).isTrue();
    assertThat(config.retention())
        .isEqualTo(new RetentionSettings(3, 4, 12, Duration.ofDays(2), Duration.ofDays(30)));
    assertThat(config.describe()).isEqualTo("s3://backup-bucket/prod/pg at http://127.0.0.1:9000");
    assertThat(config.toString()).doesNotContain("very-secret", "AKIAEXAMPLE", "key-123");
  }

  @Test
  void localTargetNeedsAPath() {
    assertThat(StoreConfig.fromTarget(Map.of("store", "local", "path", "/backups"), null).path())
        .isEqualTo(Path.of("/backups"));
    assertThatThrownBy(() -> StoreConfig.fromTarget(Map.of("store", "local"), null))
        .isInstanceOf(StoreException.class)
        .hasMessage("backupStore.path is required for a local store");
  }

  @Test
  void invalidValuesFailOnceWithTheFieldAndTheValue() {
    assertThatThrownBy(() -> StoreConfig.s3("Bad_Bucket"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("backupStore.bucket 'Bad_Bucket'")
        .satisfies(e -> assertThat(((StoreException) e).type()).isEqualTo("StoreConfigInvalid"));
    assertThatThrownBy(() -> StoreConfig.s3("bucket").withServerSideEncryption("DES", null))
        .hasMessageContaining("serverSideEncryption 'DES'");
    assertThatThrownBy(() -> StoreConfig.s3("bucket").withServerSideEncryption("AES256", "k"))
        .hasMessageContaining("kmsKeyId");
    assertThatThrownBy(() -> StoreConfig.s3("bucket").withTransfer(1024, 4, 4))
        .hasMessageContaining("partSizeBytes 1024");
    assertThatThrownBy(
            () ->
                StoreConfig.fromTarget(
                    Map.of("store", "s3", "bucket", "bucket", "endpoint", "ftp://x"), null))
        .hasMessageContaining("endpoint 'ftp://x'");
    assertThatThrownBy(() -> StoreConfig.fromTarget(Map.of("store", "nfs"), null))
        .hasMessageContaining("backupStore.store 'nfs' must be local or s3");
    assertThatThrownBy(
            () ->
                StoreConfig.fromTarget(
                    Map.of("store", "local", "path", "/b", "retention", Map.of("wal", "soon")),
                    null))
        .hasMessageContaining("retention.wal 'soon'");
    assertThatThrownBy(
            () ->
                StoreConfig.fromTarget(
                    Map.of("store", "local", "path", "/b", "colour", "red"), null))
        .hasMessageContaining("unknown field 'colour'");
  }

  @Test
  void credentialsNeverPrintTheirValues() {
    assertThat(new S3Credentials("AKIA123", "hunter2").toString())
        .doesNotContain("hunter2")
        .doesNotContain("AKIA123")
        .contains("****");
  }
}
