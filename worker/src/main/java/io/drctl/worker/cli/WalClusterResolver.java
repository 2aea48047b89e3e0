package io.drctl.worker.cli;

import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which database system a {@code drctl wal} call is about. The archive keeps each cluster's WAL
 * under its system identifier: a segment names it in its own page header; a history or {@code
 * .backup} file does not, so push reads it from the data directory's {@code global/pg_control}.
 * PostgreSQL runs archive_command and restore_command in the data directory, so that is found
 * without configuration: {@code --pgdata}, else the directory holding {@code pg_wal} (for push),
 * else {@code $PGDATA}, else the current directory.
 */
final class WalClusterResolver {
  private WalClusterResolver() {}

  /**
   * The cluster a history or {@code .backup} file is pushed for (segments need none: their header
   * names it; an explicit {@code --system-id} is still checked against it by the archive).
   */
  static SystemIdentifier forPush(Path file, SystemIdentifier explicit, Path pgdata) {
    if (explicit != null) {
      return explicit;
    }
    Path parent = file.toAbsolutePath().getParent();
    Path beside =
        parent != null
                && parent.getFileName() != null
                && "pg_wal".equals(parent.getFileName().toString())
            ? parent.getParent()
            : null;
    Optional<Path> data = dataDirectory(pgdata, beside);
    if (data.isEmpty()) {
      throw new Failures.UserError(
          file.getFileName()
              + " carries no database system identifier and no data"
              + " directory was found (tried --pgdata, the directory holding pg_wal, $PGDATA and the current directory):"
              + " pass --pgdata DIR or --system-id ID");
    }
    return read(data.get());
  }

  /**
   * The cluster a fetch serves: {@code --system-id}, else the data directory's pg_control (the
   * server in recovery runs restore_command there), else the only cluster in the archive. Empty
   * when the archive has only files of the older flat layout.
   *
   * @throws Failures.UserError when the archive holds several clusters and none was named
   */
  static Optional<SystemIdentifier> forFetch(
      WalArchive archive, SystemIdentifier explicit, Path pgdata) {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    Optional<Path> data = dataDirectory(pgdata, null);
    if (data.isPresent()) {
      return Optional.of(read(data.get()));
    }
    List<SystemIdentifier> clusters = archive.clusters();
    if (clusters.size() > 1) {
      throw new Failures.UserError(
          "the WAL archive holds "
              + clusters.size()
              + " database systems ("
              + clusters.stream().map(SystemIdentifier::toString).collect(Collectors.joining(", "))
              + ") and no data directory was found to tell which: pass --system-id (pg_controldata's"
              + " \"Database system identifier\") or --pgdata");
    }
    return clusters.stream().findFirst();
  }

  private static Optional<Path> dataDirectory(Path pgdata, Path besidePgWal) {
    if (pgdata != null) {
      if (!Files.isRegularFile(control(pgdata))) {
        throw new Failures.UserError(
            "--pgdata " + pgdata + " is not a PostgreSQL data directory (no global/pg_control)");
      }
      return Optional.of(pgdata);
    }
    String environment = System.getenv("PGDATA");
    for (Path candidate :
        new Path[] {
          besidePgWal,
          environment == null || environment.isBlank() ? null : Path.of(environment),
          Path.of("").toAbsolutePath()
        }) {
      if (candidate != null && Files.isRegularFile(control(candidate))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path control(Path data) {
    return data.resolve("global").resolve("pg_control");
  }

  private static SystemIdentifier read(Path data) {
    try {
      return SystemIdentifier.ofDataDirectory(data);
    } catch (IllegalArgumentException e) {
      throw new Failures.UserError(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + control(data) + " failed: " + e.getMessage(), e);
    }
  }
}
