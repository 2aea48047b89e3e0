package io.drctl.store.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.Durations;
import io.drctl.store.RetentionSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * A store's grandfather-father-son retention: the {@code retention} object of a {@code backupStore}
 * target in the runbook schema, with the same field names. Validated on construction; immutable.
 *
 * @param daily newest backups of this many UTC calendar days to keep (seed: 7)
 * @param weekly newest backups of this many ISO weeks to keep (seed: 4)
 * @param monthly newest backups of this many calendar months to keep (seed: 12)
 * @param wal how long archived WAL is kept (seed: 7 days); WAL a kept base backup needs is kept
 *     longer
 * @param maxAge nothing older is kept whatever the counts say, except what {@link RetentionPlanner}
 *     protects; {@code null} for no limit (the seed sets 7 days on the local copy and 30 days in
 *     S3)
 */
public record RetentionPolicy(int daily, int weekly, int monthly, Duration wal, Duration maxAge) {
  /** The seed's counts and WAL window, without an age limit. */
  public static final RetentionPolicy SEED =
      new RetentionPolicy(7, 4, 12, Duration.ofDays(7), null);

  public RetentionPolicy {
    requireNotNegative("daily", daily);
    requireNotNegative("weekly", weekly);
    requireNotNegative("monthly", monthly);
    if (wal == null || wal.isNegative()) {
      throw new IllegalArgumentException("retention.wal must be a duration such as 7d, not " + wal);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException(
          "retention.maxAge must be a positive duration, not " + maxAge);
    }
  }

  /** The policy of a store's configured retention ({@code StoreConfig.retention()}). */
  public static RetentionPolicy from(RetentionSettings settings) {
    return new RetentionPolicy(
        settings.daily(), settings.weekly(), settings.monthly(), settings.wal(), settings.maxAge());
  }

  /**
   * This policy with the fields present in {@code retention} (a schema {@code retention} object, or
   * the {@code retention} override of {@code backup.prune}) replacing its own.
   *
   * @throws IllegalArgumentException naming the field and value when one is malformed
   */
  public RetentionPolicy overriddenBy(JsonNode retention) {
    if (retention == null || retention.isNull() || retention.isMissingNode()) {
      return this;
    }
    if (!retention.isObject()) {
      throw new IllegalArgumentException("retention must be an object");
    }
    return new RetentionPolicy(
        count(retention, "daily", daily),
        count(retention, "weekly", weekly),
        count(retention, "monthly", monthly),
        duration(retention, "wal", wal),
        duration(retention, "maxAge", maxAge));
  }

  /** This policy with another maximum age ({@code null}: none). */
  public RetentionPolicy withMaxAge(Duration newMaxAge) {
    return new RetentionPolicy(daily, weekly, monthly, wal, newMaxAge);
  }

  /** {@link #maxAge()} when there is one. */
  public Optional<Duration> maxAgeLimit() {
    return Optional.ofNullable(maxAge);
  }

  /** Compact text for tables: {@code daily 7, weekly 4, monthly 12, wal 7d, maxAge 30d}. */
  public String describe() {
    return "daily "
        + daily
        + ", weekly "
        + weekly
        + ", monthly "
        + monthly
        + ", wal "
        + text(wal)
        + ", maxAge "
        + (maxAge == null ? "none" : text(maxAge));
  }

  /** A duration as the schema writes it, e.g. {@code 7d}, {@code 1h30m}. */
  static String text(Duration duration) {
    return Durations.format(duration);
  }

  private static int count(JsonNode retention, String field, int fallback) {
    JsonNode node = retention.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
      throw new IllegalArgumentException(
          "retention." + field + " must be a whole number of at least 0, not " + node);
    }
    return node.asInt();
  }

  private static Duration duration(JsonNode retention, String field, Duration fallback) {
    JsonNode node = retention.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(
          "retention." + field + " must be a duration such as 7d, not " + node);
    }
    String text = node.asText();
    if (!Durations.isValid(text)) {
      throw new IllegalArgumentException(
          "retention." + field + " must be a duration such as 7d or 12h, not '" + text + "'");
    }
    return Durations.parse(text);
  }

  private static void requireNotNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "retention." + field + " must be at least 0, not " + value);
    }
  }
}
