package io.drctl.store.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A backup being written, from {@link BackupCatalog#begin(BackupRequest)}. The producer writes raw
 * bytes to {@link #stream()}; they are compressed and hashed on the way to the store. {@link
 * #commit()} commits the data object, then writes metadata.json: only then is the backup listed.
 * {@link #close()} without commit aborts (nothing visible, temporary data removed) and records the
 * failure in {@code .backup_status}. Not thread-safe: one producer thread.
 */
public interface PendingBackup extends AutoCloseable {

  /** The raw stream; do not close it, call {@link #commit()}. */
  OutputStream stream();

  /** Per-table fingerprints to record; may be called any time before commit. */
  void fingerprints(Map<String, BackupMetadata.TableFingerprint> fingerprints);

  /** The backup id this write will get. */
  String backupId();

  /**
   * Finishes compression, commits the data, writes metadata last and updates {@code
   * .backup_status}.
   *
   * @return the stored metadata, restorability NONE
   */
  BackupMetadata commit() throws IOException;

  /** Aborts unless committed; {@code reason} goes to {@code .backup_status}. Idempotent. */
  void abort(String reason);

  /** Aborts unless committed. */
  @Override
  void close();
}
