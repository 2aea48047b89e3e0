package io.drctl.store.catalog;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.BackupNotFoundException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Resolves the seed's selectors over a list of complete backups. */
final class Selectors {

  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  private Selectors() {}

  static BackupMetadata resolve(String service, String selector, List<BackupMetadata> all,
      String where) {
    if (selector == null || selector.isBlank()) {
      throw new IllegalArgumentException("backup selector is empty");
    }
    String s = selector.trim();
    Predicate<BackupMetadata> match;
    String what;
    if (s.equalsIgnoreCase("latest")) {
      match = m -> true;
      what = "latest";
    } else if (s.matches("\\d{8}")) {
      LocalDate day = parseDay(s);
      match = m -> m.timestamp().atZone(ZoneOffset.UTC).toLocalDate().equals(day);
      what = "of " + day;
    } else if (typeName(s).isPresent()) {
      BackupType type = typeName(s).get();
      match = m -> m.type() == type;
      what = type.jsonName();
    } else {
      Optional<BackupMetadata> exact = all.stream()
          .filter(m -> m.backupId().equals(s)).findFirst();
      if (exact.isPresent()) {
        if (!exact.get().restorability().selectable()) {
          throw new BackupCorruptException("backup " + s + " of " + service + " in " + where
              + " is marked CORRUPT and cannot be selected");
        }
        return exact.get();
      }
      throw notFound(service, "with id '" + s + "'", all, where);
    }
    return all.stream()
        .filter(m -> m.restorability().selectable())
        .filter(match)
        .max(Comparator.comparing(BackupMetadata::timestamp)
            .thenComparing(BackupMetadata::backupId))
        .orElseThrow(() -> notFound(service, what, all, where));
  }

  private static LocalDate parseDay(String s) {
    try {
      return LocalDate.parse(s, DAY);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("backup selector '" + s + "' is not a valid date yyyyMMdd");
    }
  }

  private static Optional<BackupType> typeName(String s) {
    try {
      return Optional.of(BackupType.valueOf(s.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static BackupNotFoundException notFound(String service, String what, List<BackupMetadata> all,
      String where) {
    String existing = all.isEmpty() ? "none"
        : all.stream()
            .sorted(Comparator.comparing(BackupMetadata::timestamp).reversed())
            .limit(10)
            .map(m -> m.backupId() + " (" + m.type().jsonName() + ", "
                + m.restorability().name() + ")")
            .collect(Collectors.joining(", "))
            + (all.size() > 10 ? ", ... " + (all.size() - 10) + " more" : "");
    long corrupt = all.stream().filter(m -> !m.restorability().selectable()).count();
    return new BackupNotFoundException("no restorable " + (service == null ? "" : service + " ")
        + "backup " + what + " in " + where + "; existing: " + existing
        + (corrupt > 0 ? " (" + corrupt + " corrupt skipped)" : ""));
  }
}
