package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a {@code pg_basebackup -Ft} tar into a directory as PostgreSQL wants a data directory:
 * directories 0700, files 0600, everything owned by {@code owner} (when given). Entries that would
 * land outside the directory are refused as a corrupt backup.
 */
final class BaseBackupTar {
  private BaseBackupTar() {}

  static long extract(
      InputStream raw,
      Path directory,
      UserPrincipal owner,
      ObjLongConsumer<String> progress,
      String phase)
      throws IOException {
    long bytes = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = directory.resolve(entry.getName()).normalize();
        if (!path.startsWith(directory)) {
          throw ActionFailures.nonRetryable(
              "BackupCorrupt",
              "the base backup has an entry outside the data" + " directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        } else if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
          bytes += entry.getSize();
        }
        progress.accept(phase, bytes);
      }
    }
    if (owner != null) {
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .setOwner(owner);
        }
      }
    }
    return bytes;
  }
}
