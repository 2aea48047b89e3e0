package io.drctl.activities.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.testing.S3ProxyProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real stores for the backup activity tests: local directories and buckets of one S3Proxy, as
 * {@code backupStore} targets the way the plan carries them, and a way to seed backups.
 */
final class BackupTestStores {
  static final String ACCESS_KEY_ENV = "TEST_S3_ACCESS_KEY_ID";
  static final String SECRET_KEY_ENV = "TEST_S3_SECRET_ACCESS_KEY";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final Path temp;
  private final S3ProxyProcess s3;
  final Map<String, JsonNode> targets = new HashMap<>();
  private final Map<String, StoreConfig> configs = new HashMap<>();

  BackupTestStores(Path temp, S3ProxyProcess s3) {
    this.temp = temp;
    this.s3 = s3;
  }

  /** Resolves the S3Proxy credentials from the environment names the targets use. */
  SecretResolver secrets() {
    return new SecretResolver(
        Map.of(
            ACCESS_KEY_ENV,
            s3.credentials().accessKeyId(),
            SECRET_KEY_ENV,
            s3.credentials().secretAccessKey()));
  }

  /** Adds a target {@code name} of {@code kind} ({@code local} or {@code s3}), empty. */
  String add(String name, String kind) throws IOException {
    ObjectNode target =
        JSON.createObjectNode().put("kind", "backupStore").put("description", "test store");
    if (kind.equals("local")) {
      Path path = temp.resolve(name);
      target.put("store", "local").put("path", path.toString());
      configs.put(name, StoreConfig.local(path));
    } else {
      String bucket = "bucket-" + BUCKETS.incrementAndGet();
      configs.put(
          name,
          StoreConfig.pathStyleS3(
              s3.createBucket(bucket),
              s3.endpoint(),
              s3.credentials().accessKeyId(),
              s3.credentials().secretAccessKey()));
      target
          .put("store", "s3")
          .put("bucket", bucket)
          .put("endpoint", s3.endpoint().toString())
          .put("pathStyle", true)
          .put("region", "us-east-1")
          .put("accessKeyId", "env:" + ACCESS_KEY_ENV)
          .put("secretAccessKey", "env:" + SECRET_KEY_ENV);
    }
    targets.put(name, target);
    return name;
  }

  /** Opens target {@code name}'s store directly (to seed or inspect it). Close it. */
  ObjectStore open(String name) {
    return ObjectStores.open(configs.get(name));
  }

  /** Writes a backup of {@code size} pseudo-random bytes into target {@code name}. */
  BackupMetadata write(String name, BackupRequest request, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(request.hashCode()).nextBytes(data);
    try (ObjectStore store = open(name)) {
      return new BackupCatalog(store).write(request, new ByteArrayInputStream(data));
    }
  }

  /**
   * Rewrites a backup's recorded duration: a real write's duration depends on the machine's load,
   * so tests of the duration check set it.
   */
  void recordDuration(String name, BackupMetadata backup, double seconds) throws IOException {
    try (ObjectStore store = open(name)) {
      String key = io.drctl.store.catalog.BackupKeys.metadataKey(backup);
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode metadata =
          (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(store.read(key));
      metadata.put("duration_seconds", seconds);
      store.put(key, json.writeValueAsBytes(metadata));
    }
  }

  /** A daily pg_dump with id {@code backup_<yyyyMMdd>_010000} taken at 01:00 UTC of {@code day}. */
  static BackupRequest dump(String day) {
    return BackupRequest.of("postgresql", BackupType.DAILY, "dump")
        .withBackupId("backup_" + day.replace("-", "") + "_010000")
        .withTimestamp(Instant.parse(day + "T01:00:00Z"));
  }
}
