package io.drctl.store.wal;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.drctl.store.BackupCorruptException;
import io.drctl.store.BackupNotFoundException;
import io.drctl.store.StoreException;
import io.drctl.store.WalConflictException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.pipeline.HashingInputStream;
import io.drctl.store.pipeline.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Implementation behind {@link WalArchive}. */
final class WalArchiveCore {
  private static final Pattern NAME =
      Pattern.compile("[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|[0-9A-F]{8}\\.history");
  private static final String SUFFIX = ".zst";

  private final ObjectStore store;
  private final String prefix;

  WalArchiveCore(ObjectStore store, String prefix) {
    this.store = store;
    String p = prefix == null ? "" : prefix;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    this.prefix = p.isEmpty() ? "" : p + "/";
  }

  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.partial)?");
  private static final Pattern CLUSTER = Pattern.compile("[0-9]{1,20}");

  private String key(SystemIdentifier cluster, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a WAL segment, .partial, .backup"
              + " or timeline .history file name");
    }
    return prefix + (cluster == null ? "" : cluster + "/") + name + SUFFIX;
  }

  /** push with the cluster checked against, or taken from, a segment's page header. */
  WalArchive.PushResult push(SystemIdentifier cluster, String name, Path file) {
    key(null, name);
    SystemIdentifier filed = cluster;
    if (SEGMENT.matcher(name).matches()) {
      SystemIdentifier header = header(file);
      if (cluster != null && !cluster.equals(header)) {
        throw new IllegalArgumentException(
            "WAL segment " + file + " belongs to database system " + header + ", not " + cluster);
      }
      filed = header;
    } else if (cluster == null) {
      throw new IllegalArgumentException(
          name
              + " carries no database system identifier: archive it"
              + " with its cluster's (from the data directory's pg_control)");
    }
    return pushAt(filed, name, file);
  }

  private static SystemIdentifier header(Path file) {
    try {
      return SystemIdentifier.ofSegment(file);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  WalArchive.PushResult pushAt(SystemIdentifier cluster, String name, Path file) {
    String key = key(cluster, name);
    String fileSha = sha256Of(file);
    if (store.head(key).isPresent()) {
      String archivedSha = archivedSha256(name, key);
      if (archivedSha.equals(fileSha)) {
        return WalArchive.PushResult.ALREADY_ARCHIVED;
      }
      throw new WalConflictException(
          "WAL file "
              + name
              + " of database system "
              + (cluster == null ? "(flat layout)" : cluster)
              + " is already archived in "
              + store.describe()
              + " with different content (sha256 "
              + archivedSha
              + ", pushed file "
              + fileSha
              + ")");
    }
    try (ObjectOutput out = store.create(key);
        InputStream in = Files.newInputStream(file)) {
      HashingOutputStream hashed = new HashingOutputStream(out);
      try (OutputStream z = new ZstdOutputStreamNoFinalizer(hashed, 1).setChecksum(true)) {
        in.transferTo(z);
      }
      out.commit();
      return WalArchive.PushResult.ARCHIVED;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("WAL file " + file + " does not exist");
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "archiving " + name + " to " + store.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  private static String sha256Of(Path file) {
    try (HashingInputStream in = new HashingInputStream(Files.newInputStream(file))) {
      in.drain();
      return in.sha256();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("WAL file " + file + " does not exist");
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  private String archivedSha256(String name, String key) {
    try (HashingInputStream in = new HashingInputStream(decompress(name, store.get(key)))) {
      in.drain();
      return in.sha256();
    } catch (IOException e) {
      throw corrupt(name, e);
    }
  }

  private InputStream decompress(String name, InputStream stored) {
    try {
      return new ZstdInputStreamNoFinalizer(stored);
    } catch (IOException e) {
      throw corrupt(name, e);
    }
  }

  private BackupCorruptException corrupt(String name, IOException e) {
    return new BackupCorruptException(
        "archived WAL file "
            + name
            + " in "
            + store.describe()
            + " does not decompress: "
            + e.getMessage(),
        e);
  }

  /**
   * The cluster's copy, else a flat-layout copy whose segment header (if any) names the cluster.
   */
  WalArchive.FetchResult fetch(SystemIdentifier cluster, String name, Path target) {
    WalArchive.FetchResult own = fetchAt(cluster, name, target);
    if (own == WalArchive.FetchResult.FOUND) {
      return own;
    }
    return fetch(key(null, name), name, target, SEGMENT.matcher(name).matches() ? cluster : null);
  }

  WalArchive.FetchResult fetchAt(SystemIdentifier cluster, String name, Path target) {
    return fetch(key(cluster, name), name, target, null);
  }

  private WalArchive.FetchResult fetch(
      String key, String name, Path target, SystemIdentifier expected) {
    InputStream stored;
    try {
      stored = store.get(key);
    } catch (BackupNotFoundException e) {
      return WalArchive.FetchResult.NOT_FOUND;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path temporary =
        dir.resolve(
            "." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    try (InputStream in = decompress(name, stored);
        FileChannel channel =
            FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      try {
        in.transferTo(java.nio.channels.Channels.newOutputStream(channel));
      } catch (IOException e) {
        throw corrupt(name, e);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException(
          StoreException.Kind.IO, "writing " + target + " failed: " + e.getMessage(), e);
    }
    if (expected != null && !belongsTo(temporary, expected)) {
      deleteQuietly(temporary);
      return WalArchive.FetchResult.NOT_FOUND;
    }
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new StoreException(
          StoreException.Kind.IO,
          "moving fetched " + name + " to " + target + " failed: " + e.getMessage(),
          e);
    }
    return WalArchive.FetchResult.FOUND;
  }

  /**
   * Whether a fetched flat-layout segment is the expected cluster's: another cluster's is absent
   * for it.
   */
  private static boolean belongsTo(Path segment, SystemIdentifier expected) {
    try {
      return expected.equals(SystemIdentifier.ofSegment(segment));
    } catch (IllegalArgumentException notASegment) {
      return false;
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "reading fetched " + segment + " failed: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: a leftover hidden temp file is harmless and never mistaken for the target
    }
  }

  List<WalArchive.WalFile> list() {
    List<WalArchive.WalFile> result = new ArrayList<>();
    for (ObjectInfo info : store.list(prefix)) {
      String rest = info.key().substring(prefix.length());
      if (!rest.endsWith(SUFFIX)) {
        continue;
      }
      String[] parts = rest.substring(0, rest.length() - SUFFIX.length()).split("/", -1);
      SystemIdentifier cluster = null;
      if (parts.length == 2 && CLUSTER.matcher(parts[0]).matches()) {
        try {
          cluster = SystemIdentifier.parse(parts[0]);
        } catch (IllegalArgumentException notACluster) {
          continue; // a folder that only looks like one (0, or beyond 64 bits): not ours
        }
      } else if (parts.length != 1) {
        continue;
      }
      String name = parts[parts.length - 1];
      if (NAME.matcher(name).matches()) {
        result.add(new WalArchive.WalFile(name, info.size(), info.lastModified(), cluster));
      }
    }
    return result;
  }

  List<SystemIdentifier> clusters() {
    return list().stream()
        .map(WalArchive.WalFile::cluster)
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }

  List<WalArchive.WalFile> listFor(SystemIdentifier cluster) {
    List<WalArchive.WalFile> all = list();
    Set<String> own = new HashSet<>();
    all.stream()
        .filter(file -> cluster.equals(file.cluster()))
        .forEach(file -> own.add(file.name()));
    return all.stream()
        .filter(
            file ->
                cluster.equals(file.cluster())
                    || (file.cluster() == null && !own.contains(file.name())))
        .sorted(Comparator.comparing(WalArchive.WalFile::name))
        .toList();
  }

  boolean delete(SystemIdentifier cluster, String name) {
    return store.delete(key(cluster, name));
  }
}
