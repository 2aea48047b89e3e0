package io.drctl.store.s3;

import io.drctl.store.BackupNotFoundException;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.object.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 bucket and prefix as object store, on AWS SDK v2. Uploads are multipart with SHA-256 part
 * checksums and at most {@code uploadParallelism} part buffers in memory (the producer blocks when
 * they are all in flight); a failed or abandoned upload is aborted. Downloads use {@code
 * downloadParallelism} ranged GETs reassembled in order. Errors are classified: 403
 * InvalidAccessKeyId / SignatureDoesNotMatch / AccessDenied → StoreAccessDenied (not retryable);
 * connection refused, timeouts, 5xx, throttling → StoreUnavailable (retryable).
 */
public final class S3ObjectStore implements ObjectStore {
  /**
   * Ranged GETs are at most this long, whatever the part size: a download holds (parallelism + 1)
   * ranges in memory, 40 MiB with the default 4 in flight.
   */
  static final int MAX_DOWNLOAD_RANGE = 8 * 1024 * 1024;

  private final StoreConfig config;
  private final S3Client client;
  private final ExecutorService transfers;

  public S3ObjectStore(StoreConfig config) {
    this.config = config;
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(Duration.ofSeconds(120))
                        .apiCallTimeout(Duration.ofMinutes(10)));
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    if (config.credentials() != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  config.credentials().accessKeyId(), config.credentials().secretAccessKey())));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    this.client = builder.build();
    AtomicInteger threads = new AtomicInteger();
    this.transfers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "s3-transfer-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  StoreConfig config() {
    return config;
  }

  S3Client client() {
    return client;
  }

  ExecutorService transfers() {
    return transfers;
  }

  String bucket() {
    return config.bucket();
  }

  /** The full S3 key of a store key. */
  String fullKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/")) {
      throw new IllegalArgumentException("invalid object key '" + key + "'");
    }
    return config.prefix().isEmpty() ? key : config.prefix() + "/" + key;
  }

  private String storeKey(String fullKey) {
    return config.prefix().isEmpty() ? fullKey : fullKey.substring(config.prefix().length() + 1);
  }

  @Override
  public ObjectOutput create(String key) {
    return new S3MultipartOutput(this, key);
  }

  @Override
  public InputStream get(String key) {
    ObjectInfo info =
        head(key)
            .orElseThrow(
                () -> new BackupNotFoundException("no object " + key + " in " + describe()));
    int range = Math.min(config.partSizeBytes(), MAX_DOWNLOAD_RANGE);
    if (info.size() <= range || config.downloadParallelism() == 1) {
      return rangeStream(key, 0, info.size());
    }
    return new S3ParallelInputStream(this, key, info.size(), range, config.downloadParallelism());
  }

  @Override
  public InputStream get(String key, long offset, long length) {
    return rangeStream(key, offset, length);
  }

  private InputStream rangeStream(String key, long offset, long length) {
    if (length <= 0) {
      return InputStream.nullInputStream();
    }
    try {
      ResponseInputStream<GetObjectResponse> in =
          client.getObject(
              b ->
                  b.bucket(bucket())
                      .key(fullKey(key))
                      .range("bytes=" + offset + "-" + (offset + length - 1)));
      return in;
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return InputStream.nullInputStream();
      }
      throw S3Failures.classify(describe(), "get", key, e);
    } catch (RuntimeException e) {
      throw S3Failures.classify(describe(), "get", key, e);
    }
  }

  /** One ranged GET read fully into the first {@code length} bytes of {@code chunk}. */
  void readRange(String key, long offset, byte[] chunk, int length) {
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(
            b ->
                b.bucket(bucket())
                    .key(fullKey(key))
                    .range("bytes=" + offset + "-" + (offset + length - 1)))) {
      int read = in.readNBytes(chunk, 0, length);
      if (read != length || in.read() >= 0) {
        throw new StoreException(
            StoreException.Kind.IO,
            "ranged get of "
                + key
                + " in "
                + describe()
                + " returned "
                + read
                + "+ bytes at offset "
                + offset
                + ", expected "
                + length
                + " (object changed while reading?)");
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.UNAVAILABLE,
          "reading " + key + " from " + describe() + " failed: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw S3Failures.classify(describe(), "get", key, e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse r = client.headObject(b -> b.bucket(bucket()).key(fullKey(key)));
      return Optional.of(new ObjectInfo(key, r.contentLength(), r.lastModified()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
        return Optional.empty();
      }
      throw S3Failures.classify(describe(), "head", key, e);
    } catch (RuntimeException e) {
      throw S3Failures.classify(describe(), "head", key, e);
    }
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    String full = config.prefix().isEmpty() ? prefix : config.prefix() + "/" + prefix;
    List<ObjectInfo> result = new ArrayList<>();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(bucket()).prefix(full).build();
      for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
        result.add(new ObjectInfo(storeKey(object.key()), object.size(), object.lastModified()));
      }
    } catch (RuntimeException e) {
      throw S3Failures.classify(describe(), "list", prefix, e);
    }
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public boolean delete(String key) {
    if (head(key).isEmpty()) {
      return false;
    }
    try {
      client.deleteObject(b -> b.bucket(bucket()).key(fullKey(key)));
      return true;
    } catch (RuntimeException e) {
      throw S3Failures.classify(describe(), "delete", key, e);
    }
  }

  @Override
  public String encryption() {
    return config.serverSideEncryption() == null ? "none" : config.serverSideEncryption();
  }

  @Override
  public String describe() {
    return config.describe();
  }

  @Override
  public void close() {
    transfers.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + config + "]";
  }
}
