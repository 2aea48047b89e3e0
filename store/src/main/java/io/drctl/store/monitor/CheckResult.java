package io.drctl.store.monitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one backup check. Immutable.
 *
 * @param check the check's name: {@code freshness}, {@code size}, {@code duration} or {@code
 *     verification}
 * @param ok true when nothing is wrong (also when there is too little history to judge)
 * @param message one line for people, naming the backup and the figures
 * @param backupId the backup the finding is about, empty when there is none
 * @param figures the numbers behind the verdict, in a fixed order per check (for example {@code
 *     ageSeconds}, {@code limitSeconds}); absent when there was nothing to measure
 */
public record CheckResult(
    String check, boolean ok, String message, String backupId, Map<String, Number> figures) {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
    backupId = backupId == null ? "" : backupId;
    figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }

  /** {@code ok} or {@code alert}. */
  public String verdict() {
    return ok ? "ok" : "alert";
  }

  /** A figure as a long, {@code 0} when absent. */
  public long whole(String figure) {
    Number value = figures.get(figure);
    return value == null ? 0 : value.longValue();
  }

  /** A figure as a double, {@code 0} when absent. */
  public double number(String figure) {
    Number value = figures.get(figure);
    return value == null ? 0 : value.doubleValue();
  }
}
