package io.drctl.store.wal;

import io.drctl.store.WalConflictException;
import io.drctl.store.object.ObjectStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Archived PostgreSQL WAL segments and timeline history files in an {@link ObjectStore}, for {@code
 * archive_command = 'drctl wal push %p'} and {@code restore_command = 'drctl wal fetch %f %p'},
 * kept apart per database system: each file is stored zstd-compressed (frame checksum on) at {@code
 * <prefix>/<system identifier>/<name>.zst}, so that a re-initialised cluster, whose segment names
 * start over, neither conflicts with the old one's archive nor gets its segments back.
 *
 * <p>Archives written before the per-cluster layout hold their files flat, at {@code
 * <prefix>/<name>.zst}. They stay readable: {@link #fetch(SystemIdentifier, String, Path)} falls
 * back to the flat copy when the cluster has none, and accepts a flat segment only when its page
 * header carries the same system identifier (a flat history or {@code .backup} file carries none
 * and is taken as it is). Nothing new is written flat. Thread-safe.
 */
public final class WalArchive {

  /** Result of a push. */
  public enum PushResult {
    /** Stored now. */
    ARCHIVED,
    /** The same name with identical content was already archived (PostgreSQL retried). */
    ALREADY_ARCHIVED
  }

  /** Result of a fetch. */
  public enum FetchResult {
    /** Written to the target path. */
    FOUND,
    /** No such file in the archive: {@code restore_command} should exit 1. */
    NOT_FOUND
  }

  /**
   * One archived file.
   *
   * @param name the file name PostgreSQL gave it
   * @param storedSize compressed bytes in the store
   * @param archivedAt when it was stored
   * @param cluster the database system it is filed under; {@code null} for a file of the older flat
   *     layout, whose cluster is not recorded
   */
  public record WalFile(
      String name, long storedSize, java.time.Instant archivedAt, SystemIdentifier cluster) {
    /** Whether it is a timeline history file ({@code 00000002.history}). */
    public boolean isHistory() {
      return name.endsWith(".history");
    }

    /**
     * Where it lives below the archive's prefix: {@code <cluster>/<name>} or, flat, {@code <name>}.
     */
    public String location() {
      return cluster == null ? name : cluster + "/" + name;
    }
  }

  private final WalArchiveCore core;

  /**
   * @param store where WAL lives (not closed by the archive)
   * @param prefix key prefix, e.g. {@code wal-archive/postgresql}; clusters are folders below it
   */
  public WalArchive(ObjectStore store, String prefix) {
    this.core = new WalArchiveCore(store, prefix);
  }

  /**
   * Archives a WAL segment (or {@code .partial} segment) under its own name and under the system
   * identifier in its first page header, idempotently: the same name with the same bytes again
   * returns {@link PushResult#ALREADY_ARCHIVED}.
   *
   * @throws WalConflictException if that cluster has the name archived with different content
   * @throws IllegalArgumentException for a history or {@code .backup} file (no header: use {@link
   *     #push(SystemIdentifier, String, Path)}) or a file that is not a segment
   */
  public PushResult push(Path file) {
    return core.push(null, file.getFileName().toString(), file);
  }

  /**
   * Archives {@code file} under {@code name} (a WAL segment, .history, .backup or .partial) for the
   * cluster {@code cluster}. For a segment the page header must carry the same identifier.
   *
   * @throws WalConflictException if that cluster has the name archived with different content
   * @throws IllegalArgumentException if a segment's header names another cluster
   */
  public PushResult push(SystemIdentifier cluster, String name, Path file) {
    return core.push(java.util.Objects.requireNonNull(cluster, "cluster"), name, file);
  }

  /**
   * Archives {@code file} at the same place as {@code placement} of another archive (its cluster,
   * or the flat layout for a flat file): for copying one archive into another unchanged.
   */
  public PushResult pushLike(WalFile placement, Path file) {
    return core.pushAt(placement.cluster(), placement.name(), file);
  }

  /**
   * Decompresses the cluster's {@code name} to {@code target} (written to a temporary name, then
   * renamed); falls back to the flat layout as the class comment says.
   *
   * @throws io.drctl.store.BackupCorruptException if the archived copy fails its checksum
   */
  public FetchResult fetch(SystemIdentifier cluster, String name, Path target) {
    return core.fetch(java.util.Objects.requireNonNull(cluster, "cluster"), name, target);
  }

  /** Decompresses exactly {@code file} (as listed) to {@code target}, without fallback. */
  public FetchResult fetch(WalFile file, Path target) {
    return core.fetchAt(file.cluster(), file.name(), target);
  }

  /** The clusters that have a folder in the archive, in listing order. */
  public List<SystemIdentifier> clusters() {
    return core.clusters();
  }

  /** Every archived file, of every cluster and of the flat layout, sorted by location. */
  public List<WalFile> list() {
    return core.list();
  }

  /**
   * What a recovery of {@code cluster} can fetch: the cluster's own files, plus the flat layout's
   * files it has no own copy of (a flat segment of another cluster is listed but not fetched),
   * sorted by name.
   */
  public List<WalFile> listFor(SystemIdentifier cluster) {
    return core.listFor(cluster);
  }

  /** The timeline history files {@link #listFor} lists for {@code cluster}, sorted by name. */
  public List<WalFile> timelineHistories(SystemIdentifier cluster) {
    return listFor(cluster).stream().filter(WalFile::isHistory).toList();
  }

  /**
   * Deletes one archived file (retention); false if absent.
   *
   * @param cluster its cluster, {@code null} for the flat layout
   */
  public boolean delete(SystemIdentifier cluster, String name) {
    return core.delete(cluster, name);
  }
}
