package io.drctl.store.local;

import io.drctl.store.BackupNotFoundException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.object.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory as object store (the seed's {@code /backups}). Keys map to files below the root.
 * Writes go to a hidden temporary file ({@code .<name>.tmp-<random>}) in the target directory,
 * which is fsynced, atomically renamed, and the directory fsynced; temporary files are never
 * listed. A full disk raises {@link io.drctl.store.StoreFullException} after removing the temporary
 * file.
 */
public final class LocalObjectStore implements ObjectStore {
  private final Path root;

  /** Opens (and creates if missing) the store directory. */
  public LocalObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw LocalFailures.classify("creating the store directory", this.root, e);
    }
  }

  public Path root() {
    return root;
  }

  /** The file a key maps to; rejects keys escaping the root. */
  Path resolve(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException("invalid object key '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("invalid object key '" + key + "'");
      }
    }
    return root.resolve(key);
  }

  @Override
  public ObjectOutput create(String key) {
    Path target = resolve(key);
    return LocalObjectOutput.open(key, target);
  }

  @Override
  public InputStream get(String key) {
    Path file = resolve(key);
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw notFound(key);
    } catch (IOException e) {
      throw LocalFailures.classify("opening", file, e);
    }
  }

  @Override
  public InputStream get(String key, long offset, long length) {
    Path file = resolve(key);
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      InputStream all = Channels.newInputStream(channel);
      return new BoundedInputStream(all, length);
    } catch (NoSuchFileException e) {
      throw notFound(key);
    } catch (IOException e) {
      throw LocalFailures.classify("opening", file, e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    Path file = resolve(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw LocalFailures.classify("reading attributes of", file, e);
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<ObjectInfo> result = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files.forEach(
          file -> {
            if (LocalObjectOutput.isTemporary(file.getFileName().toString())) {
              return;
            }
            String key = root.relativize(file).toString().replace('\\', '/');
            if (!key.startsWith(prefix)) {
              return;
            }
            try {
              BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
              if (a.isRegularFile()) {
                result.add(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
              }
            } catch (NoSuchFileException deletedMeanwhile) {
              // removed while listing: not part of the result
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException | UncheckedIOException e) {
      IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      throw LocalFailures.classify("listing", start, cause);
    }
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public boolean delete(String key) {
    Path file = resolve(key);
    try {
      boolean deleted = Files.deleteIfExists(file);
      removeEmptyParents(file.getParent());
      return deleted;
    } catch (IOException e) {
      throw LocalFailures.classify("deleting", file, e);
    }
  }

  private void removeEmptyParents(Path dir) {
    Path current = dir;
    while (current != null && current.startsWith(root) && !current.equals(root)) {
      try {
        Files.delete(current);
      } catch (IOException notEmptyOrGone) {
        return;
      }
      current = current.getParent();
    }
  }

  @Override
  public String describe() {
    return "local:" + root;
  }

  @Override
  public void close() {}

  private BackupNotFoundException notFound(String key) {
    return new BackupNotFoundException("no object " + key + " in " + describe());
  }

  /** Limits a stream to {@code length} bytes. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
