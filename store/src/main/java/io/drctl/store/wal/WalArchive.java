package io.drctl.store.wal;

import io.drctl.store.WalConflictException;
import io.drctl.store.object.ObjectStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Archived PostgreSQL WAL segments and timeline history files in an {@link ObjectStore}, for
 * {@code archive_command = 'drctl wal push %p'} and {@code restore_command = 'drctl wal fetch %f
 * %p'}. Each file is stored zstd-compressed (frame checksum on) at {@code <prefix>/<name>.zst}.
 * Thread-safe.
 */
public final class WalArchive {

  /** Result of {@link #push(Path)}. */
  public enum PushResult {
    /** Stored now. */
    ARCHIVED,
    /** The same name with identical content was already archived (PostgreSQL retried). */
    ALREADY_ARCHIVED
  }

  /** Result of {@link #fetch(String, Path)}. */
  public enum FetchResult {
    /** Written to the target path. */
    FOUND,
    /** No such file in the archive: {@code restore_command} should exit 1. */
    NOT_FOUND
  }

  /** One archived file. */
  public record WalFile(String name, long storedSize, java.time.Instant archivedAt) {
    /** Whether it is a timeline history file ({@code 00000002.history}). */
    public boolean isHistory() {
      return name.endsWith(".history");
    }
  }

  private final WalArchiveCore core;

  /**
   * @param store where WAL lives (not closed by the archive)
   * @param prefix key prefix, e.g. {@code wal-archive/postgresql}
   */
  public WalArchive(ObjectStore store, String prefix) {
    this.core = new WalArchiveCore(store, prefix);
  }

  /**
   * Archives the file under its own name, idempotently: pushing the same name with the same bytes
   * again returns {@link PushResult#ALREADY_ARCHIVED}.
   *
   * @throws WalConflictException if the name is archived with different content
   */
  public PushResult push(Path file) {
    return core.push(file.getFileName().toString(), file);
  }

  /** Archives {@code file} under {@code name} (a WAL segment, .history, .backup or .partial). */
  public PushResult push(String name, Path file) {
    return core.push(name, file);
  }

  /**
   * Decompresses {@code name} to {@code target} (written to a temporary name, then renamed).
   *
   * @throws io.drctl.store.BackupCorruptException if the archived copy fails its checksum
   */
  public FetchResult fetch(String name, Path target) {
    return core.fetch(name, target);
  }

  /** Every archived file, sorted by name. */
  public List<WalFile> list() {
    return core.list();
  }

  /** The archived timeline history files, sorted by name. */
  public List<WalFile> timelineHistories() {
    return list().stream().filter(WalFile::isHistory).toList();
  }

  /** Deletes one archived file (retention); false if absent. */
  public boolean delete(String name) {
    return core.delete(name);
  }
}
