package io.drctl.store.catalog;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.pipeline.StoringPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The backups of one {@link ObjectStore}: write, list, open, verify, replicate. Layout in {@link
 * BackupKeys}. A backup exists for the catalog only when its metadata.json exists, and metadata is
 * written after the data is complete, so a half-written backup is never listed.
 *
 * <p>Thread-safe. Concurrent writers of the same store in different processes are safe for backups
 * (distinct ids) but {@code .backup_status} is last-writer-wins.
 */
public final class BackupCatalog {

  private final CatalogCore core;

  /** A catalog without a replica. */
  public BackupCatalog(ObjectStore store) {
    this(store, null, Clock.systemUTC());
  }

  /**
   * @param store where backups live (not closed by the catalog)
   * @param replica the remote copy, the default replication target, or null
   * @param clock time source for ids, durations and status
   */
  public BackupCatalog(ObjectStore store, BackupCatalog replica, Clock clock) {
    this.core = new CatalogCore(this, store, replica, clock);
  }

  public ObjectStore store() {
    return core.store();
  }

  /** The replica given at construction, if any. */
  public Optional<BackupCatalog> replica() {
    return Optional.ofNullable(core.replica());
  }

  /**
   * Starts a streamed write; see {@link PendingBackup}.
   *
   * @throws IllegalArgumentException if {@code request.backupId()} is already a complete backup
   *     (use {@link #find} first, or {@link #write} which returns the existing one)
   */
  public PendingBackup begin(BackupRequest request) {
    return core.begin(request);
  }

  /**
   * Writes a backup from a producer and commits it. Producer exceptions propagate unchanged after
   * the write is aborted; store failures are {@link io.drctl.store.StoreException}s.
   *
   * <p>Idempotent for an explicit {@link BackupRequest#backupId()}: if that backup is already
   * complete (an earlier attempt committed but its caller did not learn it), it is returned and the
   * producer is not called.
   */
  public BackupMetadata write(BackupRequest request, BackupProducer producer) throws IOException {
    if (request.backupId() != null) {
      Optional<BackupMetadata> existing = find(request.service(), request.backupId());
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    try (PendingBackup pending = begin(request)) {
      try {
        producer.writeTo(pending.stream());
      } catch (IOException | RuntimeException e) {
        pending.abort(e.getClass().getSimpleName() + ": " + e.getMessage());
        throw e;
      }
      return pending.commit();
    }
  }

  /** Writes a backup from a stream (for example a process's stdout) and commits it. */
  public BackupMetadata write(BackupRequest request, InputStream raw) throws IOException {
    return write(
        request,
        out -> {
          if (out instanceof StoringPipeline pipeline) {
            pipeline.writeFrom(raw); // reads into the pipeline's chunks, without an 8 KiB copy loop
          } else {
            raw.transferTo(out);
          }
        });
  }

  /**
   * Complete backups of {@code service} (null for all), oldest first, including CORRUPT ones (check
   * {@link BackupMetadata#restorability()}).
   */
  public List<BackupMetadata> list(String service) {
    return core.list(service);
  }

  /** The backup with this id (any type), if complete. */
  public Optional<BackupMetadata> find(String service, String backupId) {
    return core.find(service, backupId);
  }

  /**
   * Opens the raw (decompressed) content. The stream checks the stored SHA-256 and size at EOF (and
   * the codec's own checksum: zstd frame checksum, gzip CRC-32) and throws {@link
   * BackupCorruptException} there on mismatch or a broken compressed stream, after marking the
   * backup CORRUPT in this catalog. Consume it to EOF before trusting what was restored; close it
   * when done.
   */
  public InputStream open(BackupMetadata backup) {
    return core.open(backup);
  }

  /** Opens the stored (still compressed) bytes, unchecked; e.g. to hand a .dump.gz to gunzip. */
  public InputStream openStored(BackupMetadata backup) {
    return core.openStored(backup);
  }

  /**
   * Re-reads the backup, checks the stored SHA-256, decompresses end to end with the codec's own
   * checksum of the raw stream and, for backups that recorded one ({@code raw_sha256}, written
   * before 2026-12-07), the SHA-256 of the decompressed bytes. Records CHECKSUM_OK (unless already
   * VERIFIED) and returns the updated metadata.
   *
   * @throws BackupCorruptException on any mismatch, after recording CORRUPT
   */
  public BackupMetadata verify(BackupMetadata backup) {
    return core.verify(backup);
  }

  /** Records that a restore test of this backup passed: restorability VERIFIED. */
  public BackupMetadata markRestoreTested(BackupMetadata backup, String note) {
    return core.mark(backup, Restorability.VERIFIED, note);
  }

  /** Records that this backup is corrupt: selectors skip it from now on. */
  public BackupMetadata markCorrupt(BackupMetadata backup, String reason) {
    return core.mark(backup, Restorability.CORRUPT, reason);
  }

  /**
   * Copies data then metadata to {@code target}, verifies the copy's SHA-256 at the destination by
   * reading it back, and only then writes the metadata there. Idempotent: an existing complete copy
   * with the same checksum is kept.
   *
   * @return the metadata at the destination
   * @throws BackupCorruptException if the copy does not match (the copy's data is deleted)
   */
  public BackupMetadata replicate(BackupMetadata backup, BackupCatalog target) throws IOException {
    return core.replicate(backup, target);
  }

  /** Deletes a backup: metadata first (it stops being listed), then its data. */
  public void delete(BackupMetadata backup) {
    core.delete(backup);
  }

  /** The current {@code .backup_status}, or an empty one. */
  public BackupStatus status() {
    return core.status();
  }

  /** Records a failed backup attempt in {@code .backup_status} (no data is written). */
  public void recordFailure(String service, BackupType type, String message) {
    core.recordFailure(service, type, message);
  }

  /** e.g. {@code local:/backups}; no secrets. */
  public String describe() {
    return core.store().describe();
  }
}
