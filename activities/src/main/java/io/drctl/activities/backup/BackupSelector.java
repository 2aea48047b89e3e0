package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.retention.BackupKinds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The catalog's selector grammar over a store's backups (see {@link BackupActivities}): pure, given
 * the listed backups. Corrupt backups are never chosen. Every action that picks a backup by a
 * selector word ({@code latest}, {@code daily}, {@code YYYYMMDD}, {@code s3}, ...) uses it.
 *
 * @param service the service whose backups are meant
 * @param format {@code null} or the format every candidate must have
 * @param before {@code null} or the time every candidate must precede
 * @param requireVerified only backups whose verification passed
 */
public record BackupSelector(
    String service, String format, Instant before, boolean requireVerified) {
  private static final Pattern DATE = Pattern.compile("[0-9]{8}");
  private static final Set<String> SCHEDULES = Set.of("daily", "weekly", "monthly", "manual");
  private static final Comparator<BackupMetadata> NEWEST_FIRST =
      Comparator.comparing(BackupMetadata::timestamp)
          .thenComparing(BackupMetadata::backupId)
          .reversed();

  /** Whether {@code text} is a selector word rather than a backup id. */
  public static boolean isSelectorWord(String text) {
    return "latest".equals(text)
        || "s3".equals(text)
        || SCHEDULES.contains(text)
        || DATE.matcher(text).matches();
  }

  /**
   * The one backup {@code selector} names among {@code backups} (of any service) in store {@code
   * storeName} of kind {@code kind}.
   */
  public BackupMetadata select(
      String selector, List<BackupMetadata> backups, String storeName, StoreConfig.Kind kind) {
    List<BackupMetadata> ofService =
        backups.stream().filter(b -> b.service().equals(service)).sorted(NEWEST_FIRST).toList();
    if (!isSelectorWord(selector)) {
      return exact(selector, ofService, storeName);
    }
    if ("s3".equals(selector) && kind != StoreConfig.Kind.S3) {
      throw ActionFailures.nonRetryable(
          BackupFailures.STORE_MISMATCH,
          "selector s3 needs an S3 store, but store '" + storeName + "' is a local store");
    }
    Predicate<BackupMetadata> matches = candidate().and(bySelector(selector));
    return ofService.stream()
        .filter(matches)
        .findFirst()
        .orElseThrow(() -> BackupFailures.noBackupFound(nothing(selector, ofService, storeName)));
  }

  private BackupMetadata exact(String id, List<BackupMetadata> ofService, String storeName) {
    BackupMetadata backup =
        ofService.stream()
            .filter(b -> b.backupId().equals(id))
            .findFirst()
            .orElseThrow(() -> BackupFailures.noBackupFound(nothing(id, ofService, storeName)));
    if (!BackupViews.selectable(backup)) {
      throw ActionFailures.nonRetryable(
          BackupFailures.BACKUP_CORRUPT,
          "backup " + id + " in store '" + storeName + "' is marked corrupt: " + backup.notes());
    }
    if (!candidate().test(backup)) {
      throw BackupFailures.noBackupFound(
          "backup " + id + " in store '" + storeName + "' does not match " + filters());
    }
    return backup;
  }

  private Predicate<BackupMetadata> candidate() {
    return backup ->
        BackupViews.selectable(backup)
            && (format == null || format.equals(BackupKinds.format(backup)))
            && (before == null || backup.timestamp().isBefore(before))
            && (!requireVerified || backup.verified());
  }

  private static Predicate<BackupMetadata> bySelector(String selector) {
    if (SCHEDULES.contains(selector)) {
      return backup -> selector.equals(BackupKinds.schedule(backup));
    }
    if (DATE.matcher(selector).matches()) {
      LocalDate day = day(selector);
      return backup -> LocalDate.ofInstant(backup.timestamp(), ZoneOffset.UTC).equals(day);
    }
    return backup -> true;
  }

  private static LocalDate day(String selector) {
    try {
      return LocalDate.parse(selector, DateTimeFormatter.BASIC_ISO_DATE);
    } catch (DateTimeParseException e) {
      throw ActionFailures.invalidInput("selector " + selector + " is not a date YYYYMMDD");
    }
  }

  private String nothing(String selector, List<BackupMetadata> ofService, String storeName) {
    String what =
        "no "
            + service
            + (format == null ? "" : " " + format)
            + " backup matches '"
            + selector
            + "'";
    String filters = filters();
    StringBuilder message =
        new StringBuilder(what).append(filters.isEmpty() ? "" : " (" + filters + ")");
    message.append(" in store '").append(storeName).append("'");
    long usable = ofService.stream().filter(BackupViews::selectable).count();
    if (ofService.isEmpty()) {
      message.append(": the store has no ").append(service).append(" backups");
    } else {
      message
          .append(": the store has ")
          .append(ofService.size())
          .append(" ")
          .append(service)
          .append(" backups (")
          .append(usable)
          .append(" usable), newest ")
          .append(ofService.get(0).backupId())
          .append(" taken ")
          .append(ofService.get(0).timestamp());
    }
    return message.toString();
  }

  private String filters() {
    StringBuilder out = new StringBuilder();
    if (format != null) out.append("format ").append(format);
    if (before != null) out.append(out.isEmpty() ? "" : ", ").append("before ").append(before);
    if (requireVerified) out.append(out.isEmpty() ? "" : ", ").append("verified only");
    return out.toString();
  }
}
