package io.drctl.activities.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a file or directory of the worker as a tar stream whose top entry is {@code rootName}:
 * what the engine's archive API extracts into the destination's parent directory. Symbolic links
 * are stored as links (never followed); other special files are skipped. Owner and mode are set on
 * every entry as asked, so no worker uid leaks into the container.
 */
final class TarPacker {
  /** Regular files and their bytes written so far; readable from another thread. */
  static final class Totals {
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong files = new AtomicLong();
  }

  private final Path source;
  private final String rootName;
  private final int uid;
  private final int gid;
  private final Integer mode;

  /**
   * @param mode permission bits for files ({@code null}: the source's); directories get search
   *     permission wherever they get read permission
   */
  TarPacker(Path source, String rootName, int uid, int gid, Integer mode) {
    this.source = source;
    this.rootName = rootName;
    this.uid = uid;
    this.gid = gid;
    this.mode = mode;
  }

  void write(OutputStream out, Totals totals) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        add(
            tar,
            source,
            rootName,
            Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS),
            totals);
        return;
      }
      Files.walkFileTree(
          source,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                throws IOException {
              add(tar, directory, name(directory) + "/", attributes, totals);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              add(tar, file, name(file), attributes, totals);
              return FileVisitResult.CONTINUE;
            }
          });
    }
  }

  private String name(Path path) {
    String relative = source.relativize(path).toString();
    return relative.isEmpty() ? rootName : rootName + "/" + relative;
  }

  private void add(
      TarArchiveOutputStream tar,
      Path path,
      String name,
      BasicFileAttributes attributes,
      Totals totals)
      throws IOException {
    TarArchiveEntry entry;
    if (attributes.isSymbolicLink()) {
      entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(path).toString());
      entry.setMode(0120777);
    } else if (attributes.isDirectory()) {
      entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
      entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | directoryMode(permissions(path)));
    } else if (attributes.isRegularFile()) {
      entry = new TarArchiveEntry(name);
      entry.setSize(attributes.size());
      entry.setMode(
          TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | (mode != null ? mode : permissions(path)));
    } else {
      return;
    }
    entry.setModTime(attributes.lastModifiedTime().toMillis());
    entry.setIds(uid, gid);
    tar.putArchiveEntry(entry);
    if (attributes.isRegularFile()) {
      try (InputStream in = Files.newInputStream(path)) {
        byte[] buffer = new byte[64 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          tar.write(buffer, 0, read);
          totals.bytes.addAndGet(read);
        }
      }
      totals.files.incrementAndGet();
    }
    tar.closeArchiveEntry();
  }

  private int directoryMode(int sourceMode) {
    if (mode == null) {
      return sourceMode;
    }
    int withSearch = mode;
    for (int shift = 0; shift <= 6; shift += 3) {
      if ((mode & (04 << shift)) != 0) {
        withSearch |= 01 << shift;
      }
    }
    return withSearch;
  }

  static int permissions(Path path) throws IOException {
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    int bits = 0;
    for (PosixFilePermission permission : permissions) {
      bits |= 1 << (8 - permission.ordinal());
    }
    return bits;
  }
}
