package io.drctl.store.catalog;

import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and atomically rewrites {@code .backup_status}. */
final class StatusFile {
  private static final Logger log = LoggerFactory.getLogger(StatusFile.class);

  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

  private final ObjectStore store;
  private final Clock clock;

  StatusFile(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  BackupStatus read() {
    if (store.head(BackupKeys.STATUS).isEmpty()) {
      return new BackupStatus(null, Map.of(), null);
    }
    try {
      return CatalogJson.read(store.read(BackupKeys.STATUS), BackupStatus.class);
    } catch (IOException e) {
      log.warn(
          "{} in {} is unreadable, starting a new one: {}",
          BackupKeys.STATUS,
          store.describe(),
          e.getMessage());
      return new BackupStatus(null, Map.of(), null);
    }
  }

  /**
   * Read-modify-write under a lock shared by every catalog of the same store in this JVM
   * (activities open a catalog per call). Other processes: last writer wins.
   */
  void update(UnaryOperator<BackupStatus> change) {
    synchronized (LOCKS.computeIfAbsent(store.describe(), k -> new Object())) {
      write(change.apply(read()));
    }
  }

  private void write(BackupStatus next) {
    BackupStatus stamped =
        new BackupStatus(clock.instant(), new TreeMap<>(next.backups()), next.lastVerification());
    try {
      store.put(BackupKeys.STATUS, CatalogJson.write(stamped));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "writing " + BackupKeys.STATUS + " in " + store.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  static String key(String service, BackupType type) {
    return service + "/" + type.jsonName();
  }

  void recordSuccess(BackupMetadata m) {
    update(
        status -> {
          Map<String, BackupStatus.LastBackup> backups = new HashMap<>(status.backups());
          backups.put(
              key(m.service(), m.type()),
              new BackupStatus.LastBackup(
                  BackupStatus.OK,
                  m.backupId(),
                  m.timestamp(),
                  m.sizeBytes(),
                  m.durationSeconds(),
                  m.restorability(),
                  null,
                  m.timestamp(),
                  m.backupId()));
          return new BackupStatus(status.updatedAt(), backups, status.lastVerification());
        });
  }

  void recordFailure(String service, BackupType type, String backupId, String error) {
    update(
        status -> {
          Map<String, BackupStatus.LastBackup> backups = new HashMap<>(status.backups());
          BackupStatus.LastBackup previous = backups.get(key(service, type));
          backups.put(
              key(service, type),
              new BackupStatus.LastBackup(
                  BackupStatus.FAILED,
                  backupId,
                  clock.instant(),
                  null,
                  null,
                  null,
                  error,
                  previous == null ? null : previous.lastSuccessAt(),
                  previous == null ? null : previous.lastSuccessId()));
          return new BackupStatus(status.updatedAt(), backups, status.lastVerification());
        });
  }

  void recordVerification(BackupMetadata m, String message) {
    update(
        status -> {
          Map<String, BackupStatus.LastBackup> backups = new HashMap<>(status.backups());
          BackupStatus.LastBackup last = backups.get(key(m.service(), m.type()));
          if (last != null && m.backupId().equals(last.backupId())) {
            String state =
                m.restorability() == Restorability.CORRUPT ? BackupStatus.CORRUPT : BackupStatus.OK;
            backups.put(
                key(m.service(), m.type()),
                new BackupStatus.LastBackup(
                    state,
                    last.backupId(),
                    last.timestamp(),
                    last.sizeBytes(),
                    last.durationSeconds(),
                    m.restorability(),
                    last.error(),
                    last.lastSuccessAt(),
                    last.lastSuccessId()));
          }
          return new BackupStatus(
              status.updatedAt(),
              backups,
              new BackupStatus.Verification(
                  m.backupId(), m.service(), m.restorability(), clock.instant(), message));
        });
  }
}
