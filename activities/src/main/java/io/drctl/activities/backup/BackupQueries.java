package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.retention.BackupKinds;
import io.drctl.store.wal.WalArchive;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code backup.list}, {@code backup.select} and {@code backup.status}: read only. */
final class BackupQueries {
  private static final Comparator<BackupMetadata> NEWEST_FIRST =
      Comparator.comparing(BackupMetadata::timestamp)
          .thenComparing(BackupMetadata::backupId)
          .reversed();

  private final SecretResolver secrets;
  private final Clock clock;

  BackupQueries(SecretResolver secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  BackupListResult list(BackupListInput input) {
    BackupInputs.present("backup.list", input);
    String service = BackupInputs.oneOf("service", input.service(), BackupInputs.SERVICES);
    String format = BackupInputs.oneOf("format", input.format(), BackupInputs.FORMATS);
    String schedule =
        BackupInputs.oneOf(
            "schedule",
            input.schedule(),
            java.util.Set.of("daily", "weekly", "monthly", "manual", "safety"));
    Instant since = BackupInputs.time("since", input.since());
    int limit = BackupInputs.between("limit", input.limit(), 1, BackupListInput.LIMIT_MAXIMUM);
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      List<BackupRecord> records =
          store.catalog().list(service).stream()
              .filter(b -> format == null || format.equals(BackupKinds.format(b)))
              .filter(b -> schedule == null || schedule.equals(BackupKinds.schedule(b)))
              .filter(b -> since == null || !b.timestamp().isBefore(since))
              .sorted(NEWEST_FIRST)
              .limit(limit)
              .map(BackupRecord::of)
              .toList();
      return new BackupListResult(
          records.size(),
          records.stream().mapToLong(BackupRecord::sizeBytes).sum(),
          records,
          records.isEmpty() ? "" : records.get(0).backupId());
    }
  }

  BackupSelectResult select(BackupSelectInput input) {
    BackupInputs.present("backup.select", input);
    BackupSelector selector =
        new BackupSelector(
            BackupInputs.oneOf(
                "service",
                BackupInputs.required("service", input.service()),
                BackupInputs.SERVICES),
            BackupInputs.oneOf("format", input.format(), BackupInputs.FORMATS),
            BackupInputs.time("before", input.before()),
            input.requireVerified());
    String which = BackupInputs.required("selector", input.selector());
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      BackupMetadata backup =
          selector.select(
              which, store.catalog().list(selector.service()), store.name(), store.config().kind());
      return new BackupSelectResult(
          backup.backupId(),
          backup.timestamp().toString(),
          backup.sizeBytes(),
          backup.checksum(),
          backup.durationSeconds(),
          store.location(backup),
          backup.service(),
          BackupKinds.format(backup),
          BackupKinds.schedule(backup),
          backup.verified(),
          BackupViews.restorability(backup),
          Math.max(0, Duration.between(backup.timestamp(), clock.instant()).toSeconds()));
    }
  }

  BackupStatusResult status(BackupStatusInput input) {
    BackupInputs.present("backup.status", input);
    String service = BackupInputs.oneOf("service", input.service(), BackupInputs.SERVICES);
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      List<BackupMetadata> backups = store.catalog().list(service);
      List<WalArchive.WalFile> wal = "redis".equals(service) ? List.of() : store.wal().list();
      Optional<BackupMetadata> restoreTest =
          backups.stream()
              .filter(b -> b.verifiedAt() != null)
              .filter(b -> b.restorability() == Restorability.VERIFIED || failedRestoreTest(b))
              .max(Comparator.comparing(BackupMetadata::verifiedAt));
      return new BackupStatusResult(
          backups.size(),
          backups.stream().mapToLong(BackupMetadata::sizeBytes).sum(),
          wal.stream().mapToLong(WalArchive.WalFile::storedSize).sum(),
          text(backups.stream().map(BackupMetadata::timestamp).max(Comparator.naturalOrder())),
          text(backups.stream().map(BackupMetadata::timestamp).min(Comparator.naturalOrder())),
          text(
              backups.stream()
                  .filter(BackupMetadata::verified)
                  .map(BackupMetadata::verifiedAt)
                  .filter(Objects::nonNull)
                  .max(Comparator.naturalOrder())),
          restoreTest.map(b -> failedRestoreTest(b) ? "FAILED" : "VERIFIED").orElse("UNTESTED"),
          text(restoreTest.map(BackupMetadata::verifiedAt)),
          text(
              wal.stream()
                  .map(WalArchive.WalFile::archivedAt)
                  .filter(Objects::nonNull)
                  .max(Comparator.naturalOrder())));
    }
  }

  private static boolean failedRestoreTest(BackupMetadata backup) {
    return backup.restorability() == Restorability.CORRUPT
        && backup.notes() != null
        && backup.notes().contains(BackupViews.RESTORE_TEST_FAILED);
  }

  private static String text(Optional<Instant> time) {
    return time.map(Instant::toString).orElse(null);
  }
}
