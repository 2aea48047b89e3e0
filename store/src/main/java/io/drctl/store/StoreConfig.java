package io.drctl.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The validated, immutable settings of one backup store (a runbook {@code backupStore} target).
 * Validation happens once, in the constructor: an invalid value fails with a {@link StoreException}
 * of kind {@code INVALID_CONFIG} whose message names the field and the value. Build with {@link
 * #local(Path)}, {@link #s3(String)} plus the {@code with...} methods, or {@link #fromTarget(Map,
 * S3Credentials)}. {@link #toString()} masks credentials.
 *
 * @param kind local directory or S3 bucket
 * @param path local: the store directory
 * @param bucket s3: the bucket
 * @param prefix s3: key prefix inside the bucket ("" for none; stored without leading/trailing /)
 * @param region s3: region, default us-east-1
 * @param endpoint s3: endpoint of an S3-compatible server, null for AWS
 * @param pathStyle s3: path-style addressing (S3Proxy, MinIO)
 * @param credentials s3: resolved static credentials, null for the SDK default chain
 * @param serverSideEncryption s3: null, {@code AES256} or {@code aws:kms}
 * @param kmsKeyId s3: KMS key id, only with {@code aws:kms}
 * @param partSizeBytes s3: multipart part size, 5 MiB .. 5 GiB, default 16 MiB
 * @param uploadParallelism s3: parts in flight (and buffered) per upload, default 4
 * @param downloadParallelism s3: ranged GETs in flight per download, default 4
 * @param retention GFS retention of this store
 */
public record StoreConfig(
    Kind kind,
    Path path,
    String bucket,
    String prefix,
    String region,
    URI endpoint,
    boolean pathStyle,
    S3Credentials credentials,
    String serverSideEncryption,
    String kmsKeyId,
    int partSizeBytes,
    int uploadParallelism,
    int downloadParallelism,
    RetentionSettings retention) {

  /** Where the store lives. */
  public enum Kind {
    LOCAL,
    S3
  }

  public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  public StoreConfig {
    StoreConfigValidation.validate(
        kind,
        path,
        bucket,
        region,
        endpoint,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism);
    prefix = prefix == null ? "" : StoreConfigValidation.trimSlashes(prefix);
    region = region == null ? "us-east-1" : region;
    retention = retention == null ? RetentionSettings.DEFAULTS : retention;
  }

  /** A local directory store with defaults. */
  public static StoreConfig local(Path path) {
    return new StoreConfig(
        Kind.LOCAL,
        path,
        null,
        "",
        null,
        null,
        false,
        null,
        null,
        null,
        DEFAULT_PART_SIZE,
        4,
        4,
        null);
  }

  /** An S3 bucket store with defaults (AWS, virtual-host style, default credentials chain). */
  public static StoreConfig s3(String bucket) {
    return new StoreConfig(
        Kind.S3,
        null,
        bucket,
        "",
        "us-east-1",
        null,
        false,
        null,
        null,
        null,
        DEFAULT_PART_SIZE,
        4,
        4,
        null);
  }

  /**
   * A bucket on an S3-compatible server at {@code endpoint} (S3Proxy, MinIO) with path-style
   * addressing and static credentials.
   */
  public static StoreConfig pathStyleS3(
      String bucket, URI endpoint, String accessKeyId, String secretAccessKey) {
    return s3(bucket)
        .withEndpoint(endpoint, true)
        .withCredentials(new S3Credentials(accessKeyId, secretAccessKey));
  }

  /**
   * From a runbook {@code backupStore} target object (keys as in {@code backupStoreTarget} of
   * runbook.schema.json). Secret references in it are ignored: pass the resolved values as {@code
   * credentials} (null for the SDK default chain or a local store).
   */
  public static StoreConfig fromTarget(Map<String, ?> target, S3Credentials credentials) {
    return StoreConfigValidation.fromTarget(target, credentials);
  }

  public StoreConfig withPrefix(String value) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        value,
        region,
        endpoint,
        pathStyle,
        credentials,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        retention);
  }

  public StoreConfig withRegion(String value) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        value,
        endpoint,
        pathStyle,
        credentials,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        retention);
  }

  public StoreConfig withEndpoint(URI value, boolean usePathStyle) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        region,
        value,
        usePathStyle,
        credentials,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        retention);
  }

  public StoreConfig withCredentials(S3Credentials value) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        value,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        retention);
  }

  /** {@code AES256}, or {@code aws:kms} with a key id (null to use the bucket default key). */
  public StoreConfig withServerSideEncryption(String algorithm, String keyId) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        credentials,
        algorithm,
        keyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        retention);
  }

  public StoreConfig withTransfer(int partSize, int uploadParts, int downloadRanges) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        credentials,
        serverSideEncryption,
        kmsKeyId,
        partSize,
        uploadParts,
        downloadRanges,
        retention);
  }

  public StoreConfig withRetention(RetentionSettings value) {
    return new StoreConfig(
        kind,
        path,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        credentials,
        serverSideEncryption,
        kmsKeyId,
        partSizeBytes,
        uploadParallelism,
        downloadParallelism,
        value);
  }

  /** {@code file:/backups} or {@code s3://bucket/prefix}; no secrets. */
  public String describe() {
    if (kind == Kind.LOCAL) {
      return "local:" + path;
    }
    return "s3://"
        + bucket
        + (prefix.isEmpty() ? "" : "/" + prefix)
        + (endpoint == null ? "" : " at " + endpoint);
  }

  @Override
  public String toString() {
    return "StoreConfig["
        + describe()
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (credentials == null ? "default-chain" : "****")
        + ", sse="
        + serverSideEncryption
        + ", kmsKeyId="
        + (kmsKeyId == null ? null : "****")
        + ", partSize="
        + partSizeBytes
        + ", uploadParallelism="
        + uploadParallelism
        + ", downloadParallelism="
        + downloadParallelism
        + ", retention="
        + retention
        + "]";
  }
}
