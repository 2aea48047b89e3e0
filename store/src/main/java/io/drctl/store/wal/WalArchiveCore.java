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
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Implementation behind {@link WalArchive}. */
final class WalArchiveCore {
  private static final Pattern NAME = Pattern.compile(
      "[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|[0-9A-F]{8}\\.history");
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

  private String key(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a WAL segment, .partial, .backup"
          + " or timeline .history file name");
    }
    return prefix + name + SUFFIX;
  }

  WalArchive.PushResult push(String name, Path file) {
    String key = key(name);
    String fileSha = sha256Of(file);
    if (store.head(key).isPresent()) {
      String archivedSha = archivedSha256(name, key);
      if (archivedSha.equals(fileSha)) {
        return WalArchive.PushResult.ALREADY_ARCHIVED;
      }
      throw new WalConflictException("WAL file " + name + " is already archived in "
          + store.describe() + " with different content (sha256 " + archivedSha
          + ", pushed file " + fileSha + ")");
    }
    try (ObjectOutput out = store.create(key); InputStream in = Files.newInputStream(file)) {
      HashingOutputStream hashed = new HashingOutputStream(out);
      try (OutputStream z = new ZstdOutputStreamNoFinalizer(hashed, 1).setChecksum(true)) {
        in.transferTo(z);
      }
      out.commit();
      return WalArchive.PushResult.ARCHIVED;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("WAL file " + file + " does not exist");
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO,
          "archiving " + name + " to " + store.describe() + " failed: " + e.getMessage(), e);
    }
  }

  private static String sha256Of(Path file) {
    try (HashingInputStream in = new HashingInputStream(Files.newInputStream(file))) {
      in.drain();
      return in.sha256();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("WAL file " + file + " does not exist");
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO,
          "reading " + file + " failed: " + e.getMessage(), e);
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
    return new BackupCorruptException("archived WAL file " + name + " in " + store.describe()
        + " does not decompress: " + e.getMessage(), e);
  }

  WalArchive.FetchResult fetch(String name, Path target) {
    String key = key(name);
    InputStream stored;
    try {
      stored = store.get(key);
    } catch (BackupNotFoundException e) {
      return WalArchive.FetchResult.NOT_FOUND;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path temporary = dir.resolve("." + target.getFileName() + ".tmp-"
        + UUID.randomUUID().toString().substring(0, 8));
    try (InputStream in = decompress(name, stored);
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
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
      throw new StoreException(StoreException.Kind.IO,
          "writing " + target + " failed: " + e.getMessage(), e);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new StoreException(StoreException.Kind.IO,
          "moving fetched " + name + " to " + target + " failed: " + e.getMessage(), e);
    }
    return WalArchive.FetchResult.FOUND;
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
      if (rest.contains("/") || !rest.endsWith(SUFFIX)) {
        continue;
      }
      String name = rest.substring(0, rest.length() - SUFFIX.length());
      if (NAME.matcher(name).matches()) {
        result.add(new WalArchive.WalFile(name, info.size(), info.lastModified()));
      }
    }
    return result;
  }

  boolean delete(String name) {
    return store.delete(key(name));
  }
}
