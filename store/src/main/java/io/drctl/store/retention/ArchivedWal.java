package io.drctl.store.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One file of a store's WAL archive, as retention sees it. Immutable.
 *
 * @param name the file name PostgreSQL gave it: a segment ({@code 000000010000000000000003}), a
 *     backup label ({@code 000000010000000000000003.00000028.backup}), a timeline history ({@code
 *     00000002.history}), optionally with a compression suffix
 * @param archivedAt when it was archived; the WAL window is measured on this
 * @param sizeBytes stored size
 * @param cluster the database system identifier it is archived under; {@code null} for a file of
 *     the older flat layout, which any cluster's kept base backups may need
 */
public record ArchivedWal(String name, Instant archivedAt, long sizeBytes, String cluster) {

  public ArchivedWal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(archivedAt, "archivedAt");
  }

  /** A file of the flat layout (no cluster recorded). */
  public ArchivedWal(String name, Instant archivedAt, long sizeBytes) {
    this(name, archivedAt, sizeBytes, null);
  }

  /** {@code <cluster>/<name>}, or the name alone for a flat-layout file: how plans show it. */
  public String location() {
    return cluster == null ? name : cluster + "/" + name;
  }

  /** A timeline history file, which every later recovery on that timeline reads. */
  public boolean history() {
    return name.contains(".history");
  }

  /**
   * The file's position in the WAL stream, comparable across files: the log and segment numbers
   * (the last 16 of the first 24 hex digits), without the timeline; {@code null} for history files
   * and names that are not WAL.
   */
  public String position() {
    return WalPositions.of(name);
  }
}
