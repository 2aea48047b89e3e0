package io.drctl.store;

import io.drctl.plan.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The once-only checks behind {@link StoreConfig}; messages name the field and the value. */
final class StoreConfigValidation {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "store",
          "path",
          "bucket",
          "prefix",
          "region",
          "endpoint",
          "pathStyle",
          "accessKeyId",
          "secretAccessKey",
          "serverSideEncryption",
          "kmsKeyId",
          "retention");

  private StoreConfigValidation() {}

  static void validate(
      StoreConfig.Kind kind,
      Path path,
      String bucket,
      String region,
      URI endpoint,
      String sse,
      String kmsKeyId,
      int partSize,
      int uploadParallelism,
      int downloadParallelism) {
    if (kind == null) {
      throw invalid("backupStore.store is missing (local or s3)");
    }
    if (kind == StoreConfig.Kind.LOCAL) {
      if (path == null) {
        throw invalid("backupStore.path is required for a local store");
      }
      return;
    }
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw invalid("backupStore.bucket '" + bucket + "' is not a valid S3 bucket name");
    }
    if (region != null && region.isBlank()) {
      throw invalid("backupStore.region is empty");
    }
    if (endpoint != null) {
      String scheme = endpoint.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
        throw invalid("backupStore.endpoint '" + endpoint + "' must be an http(s) URL with a host");
      }
    }
    if (sse != null && !sse.equals("AES256") && !sse.equals("aws:kms")) {
      throw invalid("backupStore.serverSideEncryption '" + sse + "' must be AES256 or aws:kms");
    }
    if (kmsKeyId != null && !"aws:kms".equals(sse)) {
      throw invalid(
          "backupStore.kmsKeyId is set but serverSideEncryption is " + sse + " (it needs aws:kms)");
    }
    if (partSize < StoreConfig.MIN_PART_SIZE) {
      throw invalid("partSizeBytes " + partSize + " is below the S3 minimum of 5 MiB");
    }
    if (uploadParallelism < 1 || uploadParallelism > 64) {
      throw invalid("uploadParallelism " + uploadParallelism + " must be within 1..64");
    }
    if (downloadParallelism < 1 || downloadParallelism > 64) {
      throw invalid("downloadParallelism " + downloadParallelism + " must be within 1..64");
    }
  }

  static String trimSlashes(String prefix) {
    String p = prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static StoreConfig fromTarget(Map<String, ?> target, S3Credentials credentials) {
    for (String key : target.keySet()) {
      if (!KNOWN_KEYS.contains(key)) {
        throw invalid("backupStore has an unknown field '" + key + "'");
      }
    }
    String store = string(target, "store");
    RetentionSettings retention = retention(target.get("retention"));
    if ("local".equals(store)) {
      String path = string(target, "path");
      if (path == null) {
        throw invalid("backupStore.path is required for a local store");
      }
      return StoreConfig.local(Path.of(path)).withRetention(retention);
    }
    if (!"s3".equals(store)) {
      throw invalid("backupStore.store '" + store + "' must be local or s3");
    }
    String endpoint = string(target, "endpoint");
    URI endpointUri;
    try {
      endpointUri = endpoint == null ? null : URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw invalid("backupStore.endpoint '" + endpoint + "' is not a URL");
    }
    Object pathStyle = target.get("pathStyle");
    if (pathStyle != null && !(pathStyle instanceof Boolean)) {
      throw invalid("backupStore.pathStyle '" + pathStyle + "' must be true or false");
    }
    return StoreConfig.s3(string(target, "bucket"))
        .withPrefix(string(target, "prefix"))
        .withRegion(target.containsKey("region") ? string(target, "region") : "us-east-1")
        .withEndpoint(endpointUri, Boolean.TRUE.equals(pathStyle))
        .withCredentials(credentials)
        .withServerSideEncryption(
            string(target, "serverSideEncryption"), string(target, "kmsKeyId"))
        .withRetention(retention);
  }

  private static RetentionSettings retention(Object value) {
    if (value == null) {
      return RetentionSettings.DEFAULTS;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid("backupStore.retention must be an object");
    }
    RetentionSettings d = RetentionSettings.DEFAULTS;
    return new RetentionSettings(
        count(map, "daily", d.daily()),
        count(map, "weekly", d.weekly()),
        count(map, "monthly", d.monthly()),
        map.containsKey("wal") ? duration("retention.wal", map.get("wal")) : d.wal(),
        map.containsKey("maxAge") ? duration("retention.maxAge", map.get("maxAge")) : null);
  }

  private static int count(Map<?, ?> map, String key, int fallback) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.intValue() < 0 || n.doubleValue() != n.intValue()) {
      throw invalid("backupStore.retention." + key + " '" + v + "' must be an integer >= 0");
    }
    return n.intValue();
  }

  /** Parses a runbook duration ({@code 30s}, {@code 12h}, {@code 7d}, {@code 1h30m}). */
  static Duration duration(String field, Object value) {
    String text = String.valueOf(value).trim();
    if (!Durations.isValid(text)) {
      throw invalid("backupStore." + field + " '" + text + "' is not a duration like 7d or 12h");
    }
    return Durations.parse(text);
  }

  private static String string(Map<String, ?> target, String key) {
    Object v = target.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid("backupStore." + key + " '" + v + "' must be a string");
    }
    return s;
  }

  private static StoreException invalid(String message) {
    return new StoreException(StoreException.Kind.INVALID_CONFIG, message);
  }
}
