package io.drctl.activities.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar stream from the engine's archive API onto the worker: the stream's top entry (the
 * copied file or directory) becomes {@code root}, which must not exist yet. Entries are checked to
 * stay under {@code root} (no {@code ..}, no absolute names, no writing through a symbolic link),
 * permission bits are kept (directories' at the end, so a read-only one can be filled first),
 * owners are not (the worker may not be root).
 */
final class TarUnpacker {
  private final Path root;
  private final TarPacker.Totals totals;
  private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

  TarUnpacker(Path root, TarPacker.Totals totals) {
    this.root = root.toAbsolutePath().normalize();
    this.totals = totals;
  }

  void unpack(InputStream stream) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = target(entry.getName());
        if (target == null) {
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          directoryModes.put(target, entry.getMode() & 07777);
        } else if (entry.isSymbolicLink()) {
          checkParent(target);
          Files.createSymbolicLink(target, Paths.get(entry.getLinkName()));
        } else if (entry.isLink()) {
          checkParent(target);
          Path existing = target(entry.getLinkName());
          if (existing == null || !Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("hard link " + entry.getName() + " points outside the copy");
          }
          Files.createLink(target, existing);
        } else if (entry.isFile()) {
          checkParent(target);
          try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = tar.read(buffer); read >= 0; read = tar.read(buffer)) {
              out.write(buffer, 0, read);
              totals.bytes.addAndGet(read);
            }
          }
          Files.setPosixFilePermissions(target, permissions(entry.getMode()));
          Files.setLastModifiedTime(target, FileTime.fromMillis(entry.getModTime().getTime()));
          totals.files.incrementAndGet();
        }
        // Devices, fifos and other special files cannot be meaningful on the worker: skipped.
      }
    }
    Deque<Map.Entry<Path, Integer>> deepestFirst = new ArrayDeque<>();
    directoryModes.entrySet().forEach(deepestFirst::push);
    for (Map.Entry<Path, Integer> directory : deepestFirst) {
      Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
    }
  }

  /** Where an entry goes: its first name component is the root. {@code null} for none. */
  private Path target(String name) throws IOException {
    String clean = name.startsWith("./") ? name.substring(2) : name;
    if (clean.isEmpty() || clean.equals(".")) {
      return null;
    }
    if (clean.startsWith("/")) {
      throw new IOException("the archive has an absolute name: " + name);
    }
    int slash = clean.indexOf('/');
    String rest = slash < 0 ? "" : clean.substring(slash + 1);
    Path target = rest.isEmpty() ? root : root.resolve(rest).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("the archive has a name outside the copy: " + name);
    }
    return target;
  }

  /** The parent exists as a real directory under the root (no symbolic link on the way). */
  private void checkParent(Path target) throws IOException {
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path real = parent.toRealPath();
    Path realRoot = (Files.exists(root) ? root : root.getParent()).toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new IOException("the archive writes through a symbolic link: " + target);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int index = 0; index < all.length; index++) {
      if ((mode & (1 << (8 - index))) != 0) {
        permissions.add(all[index]);
      }
    }
    return permissions;
  }
}
