package io.drctl.store.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The seed's backup alerts as pure checks over the backups of one series (one service and format,
 * e.g. {@code postgresql/dump}; the caller filters): a missed backup, an oversized one, a slow one
 * and a failed verification. Each returns a {@link CheckResult}; none throws for an unhealthy
 * store, and too little history to judge is {@code ok}.
 */
public final class BackupChecks {
  /** The alerts' names, as in {@link CheckResult#check()}. */
  public static final String FRESHNESS = "freshness";

  public static final String SIZE = "size";
  public static final String DURATION = "duration";
  public static final String VERIFICATION = "verification";

  private static final Comparator<BackupSample> NEWEST_FIRST =
      Comparator.comparing(BackupSample::timestamp)
          .thenComparing(BackupSample::backupId)
          .reversed();

  private BackupChecks() {}

  /**
   * The period of a schedule: {@code daily} 24 hours, {@code weekly} 7 days, {@code monthly} 31
   * days.
   *
   * @throws IllegalArgumentException for any other schedule
   */
  public static Duration period(String schedule) {
    return switch (schedule == null ? "" : schedule) {
      case "daily" -> Duration.ofDays(1);
      case "weekly" -> Duration.ofDays(7);
      case "monthly" -> Duration.ofDays(31);
      default ->
          throw new IllegalArgumentException(
              "schedule must be daily, weekly or monthly, not '" + schedule + "'");
    };
  }

  /**
   * Alerts when the newest usable backup taken on {@code schedule} (or a longer one: a weekly
   * backup also is that day's backup) is older than the schedule's {@link #period} plus {@code
   * grace}, or when there is none. Corrupt backups and manual ones do not count. Figures: {@code
   * ageSeconds}, {@code limitSeconds}.
   */
  public static CheckResult freshness(
      String series, List<BackupSample> backups, String schedule, Duration grace, Instant now) {
    Duration limit = period(schedule).plus(grace);
    Set<String> counted =
        switch (schedule) {
          case "daily" -> Set.of("daily", "weekly", "monthly");
          case "weekly" -> Set.of("weekly", "monthly");
          default -> Set.of("monthly");
        };
    BackupSample newest =
        backups.stream()
            .filter(b -> counted.contains(b.schedule()) && !b.failedVerification())
            .min(NEWEST_FIRST)
            .orElse(null);
    Map<String, Number> figures = new LinkedHashMap<>();
    if (newest == null) {
      figures.put("limitSeconds", limit.toSeconds());
      return new CheckResult(
          FRESHNESS,
          false,
          "no usable " + schedule + " " + series + " backup in the store",
          "",
          figures);
    }
    Duration age = Duration.between(newest.timestamp(), now);
    figures.put("ageSeconds", age.toSeconds());
    figures.put("limitSeconds", limit.toSeconds());
    boolean ok = age.compareTo(limit) <= 0;
    String message =
        "newest "
            + schedule
            + " "
            + series
            + " backup "
            + newest.backupId()
            + " is "
            + text(age)
            + " old, "
            + (ok ? "within " : "more than ")
            + text(period(schedule))
            + " + "
            + text(grace)
            + " grace";
    return new CheckResult(FRESHNESS, ok, message, newest.backupId(), figures);
  }

  /**
   * Alerts when the newest backup is more than {@code threshold} (a fraction: 0.2 is 20%) larger
   * than the average size of the {@code window} backups before it. Figures: {@code sizeBytes},
   * {@code averageBytes}, {@code ratio}.
   */
  public static CheckResult size(
      String series, List<BackupSample> backups, double threshold, int window) {
    requirePositive("window", window);
    List<BackupSample> newestFirst = sorted(backups);
    if (newestFirst.isEmpty()) {
      return new CheckResult(SIZE, true, "no " + series + " backup yet", "", Map.of());
    }
    BackupSample newest = newestFirst.get(0);
    List<BackupSample> previous = previous(newestFirst, window);
    double average = previous.stream().mapToLong(BackupSample::sizeBytes).average().orElse(0);
    Map<String, Number> figures = new LinkedHashMap<>();
    figures.put("sizeBytes", newest.sizeBytes());
    if (average <= 0) {
      return new CheckResult(
          SIZE,
          true,
          series + " backup " + newest.backupId() + " has no history to compare with",
          newest.backupId(),
          figures);
    }
    double ratio = newest.sizeBytes() / average;
    figures.put("averageBytes", Math.round(average));
    figures.put("ratio", round(ratio));
    boolean ok = ratio <= 1 + threshold;
    String message =
        String.format(
            Locale.ROOT,
            "%s backup %s is %d bytes, %.0f%% of the average %d of the previous %d; %s %.0f%% growth",
            series,
            newest.backupId(),
            newest.sizeBytes(),
            ratio * 100,
            Math.round(average),
            previous.size(),
            ok ? "within" : "more than",
            threshold * 100);
    return new CheckResult(SIZE, ok, message, newest.backupId(), figures);
  }

  /**
   * Alerts when the newest backup took more than {@code factor} times the median duration of the
   * {@code window} backups before it. Figures: {@code durationSeconds}, {@code usualSeconds},
   * {@code ratio}.
   */
  public static CheckResult duration(
      String series, List<BackupSample> backups, double factor, int window) {
    requirePositive("window", window);
    List<BackupSample> newestFirst = sorted(backups);
    if (newestFirst.isEmpty()) {
      return new CheckResult(DURATION, true, "no " + series + " backup yet", "", Map.of());
    }
    BackupSample newest = newestFirst.get(0);
    double usual = median(previous(newestFirst, window));
    Map<String, Number> figures = new LinkedHashMap<>();
    figures.put("durationSeconds", newest.durationSeconds());
    if (usual <= 0) {
      return new CheckResult(
          DURATION,
          true,
          series + " backup " + newest.backupId() + " has no history to compare with",
          newest.backupId(),
          figures);
    }
    double ratio = newest.durationSeconds() / usual;
    figures.put("usualSeconds", usual);
    figures.put("ratio", round(ratio));
    boolean ok = ratio <= factor;
    String message =
        String.format(
            Locale.ROOT,
            "%s backup %s took %.1fs, %.2f times the usual %.1fs; %s %.1f times",
            series,
            newest.backupId(),
            newest.durationSeconds(),
            ratio,
            usual,
            ok ? "within" : "more than",
            factor);
    return new CheckResult(DURATION, ok, message, newest.backupId(), figures);
  }

  /**
   * Alerts when a backup taken within {@code lookback} failed its verification or restore test
   * (recorded corrupt or failed). Figures: {@code checked}, {@code failed}; the backup is the
   * newest that failed.
   */
  public static CheckResult verification(
      String series, List<BackupSample> backups, Duration lookback, Instant now) {
    Instant since = now.minus(lookback);
    List<BackupSample> recent =
        sorted(backups).stream().filter(b -> !b.timestamp().isBefore(since)).toList();
    List<String> failed =
        recent.stream()
            .filter(BackupSample::failedVerification)
            .map(BackupSample::backupId)
            .toList();
    Map<String, Number> figures = new LinkedHashMap<>();
    figures.put("checked", recent.size());
    figures.put("failed", failed.size());
    if (failed.isEmpty()) {
      return new CheckResult(
          VERIFICATION,
          true,
          "no failed verification among "
              + recent.size()
              + " "
              + series
              + " backups of the last "
              + text(lookback),
          "",
          figures);
    }
    return new CheckResult(
        VERIFICATION,
        false,
        failed.size()
            + " of "
            + recent.size()
            + " "
            + series
            + " backups of the last "
            + text(lookback)
            + " failed verification: "
            + String.join(", ", failed),
        failed.get(0),
        figures);
  }

  private static List<BackupSample> sorted(List<BackupSample> backups) {
    List<BackupSample> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(NEWEST_FIRST);
    return newestFirst;
  }

  private static List<BackupSample> previous(List<BackupSample> newestFirst, int window) {
    return newestFirst.subList(1, Math.min(newestFirst.size(), window + 1));
  }

  private static double median(List<BackupSample> backups) {
    double[] values =
        backups.stream().mapToDouble(BackupSample::durationSeconds).sorted().toArray();
    if (values.length == 0) {
      return 0;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
  }

  /** {@code 26h10m}, {@code 7d}, {@code 30m}, {@code 45s}. */
  static String text(Duration duration) {
    if (duration.isNegative()) {
      return "-" + text(duration.negated());
    }
    if (duration.toSeconds() == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    if (hours >= 48 && duration.toHoursPart() == 0 && duration.toMinutesPart() == 0) {
      return duration.toDays() + "d";
    }
    if (hours > 0) out.append(hours).append('h');
    if (duration.toMinutesPart() > 0) out.append(duration.toMinutesPart()).append('m');
    if (hours == 0 && duration.toSecondsPart() > 0)
      out.append(duration.toSecondsPart()).append('s');
    return out.toString();
  }
}
