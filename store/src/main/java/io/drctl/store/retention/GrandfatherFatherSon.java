package io.drctl.store.retention;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The grandfather-father-son rule over one series of usable backups.
 *
 * <p>Three independent rules, each over calendar buckets in UTC:
 *
 * <ul>
 *   <li><b>daily</b>: a bucket is a calendar day (00:00 to 24:00 UTC);
 *   <li><b>weekly</b>: a bucket is an ISO-8601 week (Monday to Sunday, numbered in its week-based
 *       year, so 2026-12-31 is in {@code 2026-W53} and 2027-01-04 in {@code 2027-W01});
 *   <li><b>monthly</b>: a bucket is a calendar month.
 * </ul>
 *
 * A rule with count {@code n} keeps, for each of the {@code n} most recent buckets that contain a
 * backup, the newest backup in that bucket (ties broken by the greater id). Buckets without a
 * backup are skipped, not counted: after a week without backups, "7 daily" still keeps seven
 * backups. A backup is kept when any rule keeps it, and records every rule that does. Pure.
 */
final class GrandfatherFatherSon {
  static final Comparator<RetainedBackup> NEWEST_FIRST =
      Comparator.comparing(RetainedBackup::timestamp)
          .thenComparing(RetainedBackup::backupId)
          .reversed();

  private GrandfatherFatherSon() {}

  /** The reasons each kept backup of {@code series} is kept, by id; absent ids are not kept. */
  static Map<String, List<String>> keep(List<RetainedBackup> series, RetentionPolicy policy) {
    List<RetainedBackup> newestFirst = new ArrayList<>(series);
    newestFirst.sort(NEWEST_FIRST);
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    apply(
        newestFirst,
        policy.daily(),
        b -> day(b).toString(),
        (n, bucket) -> "daily #" + n + " " + bucket,
        reasons);
    apply(
        newestFirst,
        policy.weekly(),
        GrandfatherFatherSon::isoWeek,
        (n, bucket) -> "weekly " + bucket,
        reasons);
    apply(
        newestFirst,
        policy.monthly(),
        b -> day(b).toString().substring(0, 7),
        (n, bucket) -> "monthly " + bucket,
        reasons);
    return reasons;
  }

  /** The ISO week of a backup's UTC day, e.g. {@code 2025-W52}. */
  static String isoWeek(RetainedBackup backup) {
    LocalDate day = day(backup);
    return String.format(
        "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  private static LocalDate day(RetainedBackup backup) {
    return LocalDate.ofInstant(backup.timestamp(), ZoneOffset.UTC);
  }

  private interface Reason {
    String of(int ordinal, String bucket);
  }

  private static void apply(
      List<RetainedBackup> newestFirst,
      int count,
      Function<RetainedBackup, String> bucketOf,
      Reason reason,
      Map<String, List<String>> reasons) {
    Set<String> seen = new HashSet<>();
    for (RetainedBackup backup : newestFirst) {
      if (seen.size() >= count) {
        return;
      }
      String bucket = bucketOf.apply(backup);
      if (seen.add(bucket)) {
        reasons
            .computeIfAbsent(backup.backupId(), id -> new ArrayList<>())
            .add(reason.of(seen.size(), bucket));
      }
    }
  }
}
