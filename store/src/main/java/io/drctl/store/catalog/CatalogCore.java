package io.drctl.store.catalog;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.BackupNotFoundException;
import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.pipeline.Compression;
import io.drctl.store.pipeline.HashingInputStream;
import io.drctl.store.pipeline.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Implementation behind {@link BackupCatalog}. */
final class CatalogCore {
  private static final Logger log = LoggerFactory.getLogger(CatalogCore.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final BackupCatalog owner;
  private final ObjectStore store;
  private final BackupCatalog replica;
  private final Clock clock;
  private final StatusFile status;

  CatalogCore(BackupCatalog owner, ObjectStore store, BackupCatalog replica, Clock clock) {
    this.owner = owner;
    this.store = store;
    this.replica = replica;
    this.clock = clock;
    this.status = new StatusFile(store, clock);
  }

  ObjectStore store() {
    return store;
  }

  BackupCatalog replica() {
    return replica;
  }

  PendingBackup begin(BackupRequest request) {
    Instant timestamp =
        request.timestamp() != null
            ? request.timestamp()
            : clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String id = request.backupId();
    if (id != null) {
      if (find(request.service(), id).isPresent()) {
        throw new IllegalArgumentException(
            "backup " + id + " of " + request.service() + " already exists in " + store.describe());
      }
    } else {
      id = freeId("backup_" + ID_TIME.format(timestamp));
    }
    try {
      return new CatalogPending(store, status, request, id, timestamp);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "starting backup " + id + " in " + store.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * {@code base}, or {@code base_N} for the first N it is free with, among the backups of every
   * service: retention and the selectors name a backup by its id alone, so a PostgreSQL and a Redis
   * backup taken in the same second must not share one. Two backups started in the same second at
   * the same time (in parallel) can still pick the same id: the stores have no atomic create.
   */
  private String freeId(String base) {
    List<String> taken = list(null).stream().map(BackupMetadata::backupId).toList();
    String candidate = base;
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = base + "_" + n;
    }
    return candidate;
  }

  List<BackupMetadata> list(String service) {
    String prefix = BackupKeys.ROOT + (service == null ? "" : service + "/");
    List<BackupMetadata> result = new ArrayList<>();
    for (ObjectInfo object : store.list(prefix)) {
      if (!object.key().endsWith("/" + BackupKeys.METADATA)) {
        continue;
      }
      try {
        result.add(CatalogJson.read(store.read(object.key()), BackupMetadata.class));
      } catch (BackupNotFoundException deletedMeanwhile) {
        // pruned while listing
      } catch (IOException e) {
        log.warn(
            "skipping unreadable metadata {} in {}: {}",
            object.key(),
            store.describe(),
            e.getMessage());
      }
    }
    result.sort(
        Comparator.comparing(BackupMetadata::timestamp).thenComparing(BackupMetadata::backupId));
    return result;
  }

  Optional<BackupMetadata> find(String service, String backupId) {
    for (BackupType type : BackupType.values()) {
      String key = BackupKeys.folder(service, type, backupId) + BackupKeys.METADATA;
      if (store.head(key).isPresent()) {
        try {
          return Optional.of(CatalogJson.read(store.read(key), BackupMetadata.class));
        } catch (IOException e) {
          throw new StoreException(
              StoreException.Kind.IO,
              "metadata " + key + " in " + store.describe() + " is unreadable: " + e.getMessage(),
              e);
        }
      }
    }
    return Optional.empty();
  }

  InputStream open(BackupMetadata backup) {
    return open(backup, false);
  }

  /**
   * Restores read with the stored SHA-256 and the codec's checksum; verification also hashes the
   * decompressed bytes of a compressed backup that recorded their SHA-256 (written before the
   * codec's checksum took its place; an uncompressed backup's raw hash is its stored hash).
   */
  private InputStream open(BackupMetadata backup, boolean hashRaw) {
    String key = BackupKeys.dataKey(backup);
    String rawSha = hashRaw && backup.compression() != Compression.NONE ? backup.rawSha256() : null;
    try {
      return new VerifyingInputStream(
          "backup " + backup.backupId() + " (" + key + " in " + store.describe() + ")",
          store.get(key),
          backup.compression(),
          backup.sizeBytes(),
          backup.storedSha256(),
          rawSha,
          reason -> recordCorrupt(backup, reason));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "opening " + key + " in " + store.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  private void recordCorrupt(BackupMetadata backup, String reason) {
    try {
      mark(backup, Restorability.CORRUPT, reason);
    } catch (RuntimeException e) {
      log.warn(
          "could not mark {} corrupt in {}: {}",
          backup.backupId(),
          store.describe(),
          e.getMessage());
    }
  }

  InputStream openStored(BackupMetadata backup) {
    return store.get(BackupKeys.dataKey(backup));
  }

  BackupMetadata verify(BackupMetadata backup) {
    try (InputStream in = open(backup, true)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (BackupCorruptException e) {
      throw e;
    } catch (BackupNotFoundException e) {
      String reason =
          "backup "
              + backup.backupId()
              + " in "
              + store.describe()
              + " has metadata but no data ("
              + BackupKeys.dataKey(backup)
              + ")";
      recordCorrupt(backup, reason);
      throw new BackupCorruptException(reason, e);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "verifying "
              + backup.backupId()
              + " in "
              + store.describe()
              + " failed: "
              + e.getMessage(),
          e);
    }
    BackupMetadata current = find(backup.service(), backup.backupId()).orElse(backup);
    Restorability next =
        current.restorability() == Restorability.VERIFIED
            ? Restorability.VERIFIED
            : Restorability.CHECKSUM_OK;
    return mark(current, next, null);
  }

  BackupMetadata mark(BackupMetadata backup, Restorability restorability, String note) {
    BackupMetadata current =
        find(backup.service(), backup.backupId())
            .orElseThrow(
                () ->
                    new BackupNotFoundException(
                        "backup "
                            + backup.backupId()
                            + " of "
                            + backup.service()
                            + " is not in "
                            + store.describe()));
    BackupMetadata updated = current.withRestorability(restorability, clock.instant(), note);
    try {
      store.put(BackupKeys.metadataKey(updated), CatalogJson.write(updated));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "updating metadata of "
              + backup.backupId()
              + " in "
              + store.describe()
              + " failed: "
              + e.getMessage(),
          e);
    }
    status.recordVerification(updated, note);
    return updated;
  }

  BackupMetadata replicate(BackupMetadata backup, BackupCatalog target) throws IOException {
    Optional<BackupMetadata> existing = target.find(backup.service(), backup.backupId());
    if (existing.isPresent() && existing.get().checksum().equals(backup.checksum())) {
      return existing.get();
    }
    ObjectStore destination = target.store();
    String key = BackupKeys.dataKey(backup);
    store.copyTo(key, destination, key);
    String copied;
    long size;
    try (HashingInputStream in = new HashingInputStream(destination.get(key))) {
      in.drain();
      copied = in.sha256();
      size = in.count();
    }
    if (!copied.equals(backup.storedSha256()) || size != backup.sizeBytes()) {
      destination.delete(key);
      throw new BackupCorruptException(
          "replica of "
              + backup.backupId()
              + " in "
              + destination.describe()
              + " has sha256 "
              + copied
              + " ("
              + size
              + " bytes), the source says "
              + backup.storedSha256()
              + " ("
              + backup.sizeBytes()
              + " bytes); the copy was removed");
    }
    BackupMetadata copy =
        new BackupMetadata(
            backup.backupId(),
            backup.type(),
            backup.service(),
            backup.timestamp(),
            backup.sizeBytes(),
            backup.sizeReadable(),
            backup.durationSeconds(),
            backup.files(),
            backup.checksum(),
            backup.verified(),
            backup.retention(),
            backup.restorability(),
            backup.notes(),
            backup.source(),
            backup.compression(),
            destination.encryption(),
            backup.wal(),
            backup.fingerprints(),
            backup.rawSizeBytes(),
            backup.rawSha256(),
            backup.verifiedAt());
    destination.put(BackupKeys.metadataKey(copy), CatalogJson.write(copy));
    return copy;
  }

  void delete(BackupMetadata backup) {
    store.delete(BackupKeys.metadataKey(backup));
    for (String file : backup.files()) {
      store.delete(BackupKeys.folder(backup) + file);
    }
  }

  BackupStatus status() {
    return status.read();
  }

  void recordFailure(String service, BackupType type, String message) {
    status.recordFailure(service, type, null, message);
  }
}
