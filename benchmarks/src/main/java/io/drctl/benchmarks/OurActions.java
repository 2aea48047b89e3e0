package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.postgres.PostgresActivities;
import io.drctl.activities.postgres.PostgresBackend;
import io.drctl.activities.postgres.PostgresBasebackupInput;
import io.drctl.activities.postgres.PostgresBasebackupResult;
import io.drctl.activities.postgres.PostgresDumpInput;
import io.drctl.activities.postgres.PostgresDumpResult;
import io.drctl.activities.postgres.PostgresOptions;
import io.drctl.activities.postgres.PostgresPitrInput;
import io.drctl.activities.postgres.PostgresPitrResult;
import io.drctl.activities.postgres.PostgresRestoreInput;
import io.drctl.activities.postgres.PostgresRestoreResult;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.testing.S3ProxyProcess;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * drctl's postgres actions as a worker runs them: {@link PostgresBackend} behind Temporal's {@link
 * TestActivityEnvironment} (heartbeats and failures on the wire, one attempt per call), with their
 * catalog defaults except where a method says otherwise, against a local backup store.
 */
final class OurActions implements AutoCloseable {
  static final String S3_BUCKET = "bench";
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final PostgresBackend implementation;
  private final PostgresActivities activities;
  private final Path storeRoot;

  private final S3ProxyProcess s3;

  /**
   * With a local store under {@code storeRoot} and, when {@code s3} is not null, its bucket {@value
   * #S3_BUCKET}.
   */
  OurActions(Path bindir, Path storeRoot, S3ProxyProcess s3) {
    this.storeRoot = storeRoot;
    this.s3 = s3;
    Map<String, String> secrets =
        s3 == null
            ? Map.of()
            : Map.of(
                "BENCH_S3_ACCESS_KEY",
                s3.credentials().accessKeyId(),
                "BENCH_S3_SECRET_KEY",
                s3.credentials().secretAccessKey());
    implementation =
        PostgresBackend.create(
            new SecretResolver(secrets),
            new PostgresOptions(bindir, Duration.ofSeconds(10), Duration.ofMillis(100)),
            DockerOptions.defaults());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(PostgresActivities.class, OPTIONS);
  }

  Path storeRoot() {
    return storeRoot;
  }

  /**
   * The {@code $targets} of every step: {@code db} the source's database {@value
   * PostgresBenchmark#DATABASE}, {@code logical} the cluster logical restores go to, {@code
   * restored} the PITR target, {@code store} the local store, {@code s3} the S3Proxy bucket (when
   * there is one).
   */
  Map<String, JsonNode> targets(BenchCluster source, BenchCluster logical, BenchCluster restored) {
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    targets.put("db", target(source).put("database", PostgresBenchmark.DATABASE));
    targets.put("logical", target(logical));
    targets.put("restored", target(restored));
    targets.put(
        "store",
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", "backupStore")
            .put("store", "local")
            .put("path", storeRoot.toString()));
    if (s3 != null) {
      targets.put(
          "s3",
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "backupStore")
              .put("store", "s3")
              .put("bucket", S3_BUCKET)
              .put("endpoint", s3.endpoint().toString())
              .put("pathStyle", true)
              .put("region", "us-east-1")
              .put("accessKeyId", "env:BENCH_S3_ACCESS_KEY")
              .put("secretAccessKey", "env:BENCH_S3_SECRET_KEY"));
    }
    return targets;
  }

  private static ObjectNode target(BenchCluster cluster) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "postgres")
        .put("host", "127.0.0.1")
        .put("port", cluster.port())
        .put("user", "postgres")
        .put("sslMode", "disable")
        .put("dataDirectory", cluster.data().toString());
  }

  /**
   * {@code postgres.dump} of {@code db} with its defaults (custom format, level 6), fingerprints as
   * given.
   */
  PostgresDumpResult dump(Map<String, JsonNode> targets, boolean fingerprints) {
    return dump(targets, fingerprints, "store");
  }

  /**
   * {@code postgres.dump} of {@code db} into store target {@code store} ({@code store} or {@code
   * s3}).
   */
  PostgresDumpResult dump(Map<String, JsonNode> targets, boolean fingerprints, String store) {
    return activities.dump(
        new PostgresDumpInput(
            "db", store, null, null, null, null, null, null, fingerprints, "benchmark", targets));
  }

  /**
   * {@code postgres.dump} of {@code db} in the directory format with {@code jobs} jobs, other
   * parameters defaults.
   */
  PostgresDumpResult dumpDirectory(Map<String, JsonNode> targets, int jobs) {
    return activities.dump(
        new PostgresDumpInput(
            "db", "store", null, null, "directory", jobs, null, null, null, "benchmark", targets));
  }

  /**
   * {@code postgres.restore} of backup {@code backupId} into {@code database} on {@code logical}
   * (jobs 2).
   */
  PostgresRestoreResult restore(Map<String, JsonNode> targets, String backupId, String database) {
    return restore(targets, backupId, database, "store");
  }

  /** {@code postgres.restore} as above, from store target {@code store}. */
  PostgresRestoreResult restore(
      Map<String, JsonNode> targets, String backupId, String database, String store) {
    return activities.restore(
        new PostgresRestoreInput(
            "logical", store, backupId, database, true, 2, false, null, targets));
  }

  /**
   * {@code postgres.basebackup} of the source with its defaults (tar, gzip, fast checkpoint,
   * verify).
   */
  PostgresBasebackupResult basebackup(Map<String, JsonNode> targets) {
    return basebackup(targets, null);
  }

  /**
   * {@code postgres.basebackup} with {@code compression} (none, gzip, zstd; null: the default),
   * other parameters defaults.
   */
  PostgresBasebackupResult basebackup(Map<String, JsonNode> targets, String compression) {
    return activities.basebackup(
        new PostgresBasebackupInput(
            "db", "store", null, null, compression, null, null, null, "benchmark", targets));
  }

  /**
   * {@code postgres.pitr} of {@code restored} from base backup {@code baseId} to {@code until},
   * nothing kept aside.
   */
  PostgresPitrResult pitr(Map<String, JsonNode> targets, String baseId, String until) {
    return activities.pitr(
        new PostgresPitrInput(
            "restored", "store", until, true, null, baseId, null, null, false, targets));
  }

  /** The stored size of a backup. */
  long storedSize(String backupId) {
    try (ObjectStore store = ObjectStores.open(StoreConfig.local(storeRoot))) {
      return new BackupCatalog(store).find("postgresql", backupId).orElseThrow().sizeBytes();
    }
  }

  @Override
  public void close() {
    environment.close();
    implementation.close();
  }
}
