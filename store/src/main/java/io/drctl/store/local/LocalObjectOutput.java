package io.drctl.store.local;

import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Temp file, fsync, atomic rename, directory fsync. Any failure deletes the temporary file, so a
 * full disk or a crash never leaves a file under the final name.
 */
final class LocalObjectOutput extends ObjectOutput {
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.tmp-[0-9a-f]{12}");
  private static final int BUFFER = 1024 * 1024;

  private final String key;
  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private long written;
  private boolean done;

  private LocalObjectOutput(String key, Path target, Path temporary, FileChannel channel) {
    this.key = key;
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
  }

  static boolean isTemporary(String fileName) {
    return TEMPORARY.matcher(fileName).matches();
  }

  static LocalObjectOutput open(String key, Path target) {
    Path dir = target.getParent();
    Path temporary =
        dir.resolve(
            "."
                + target.getFileName()
                + ".tmp-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new LocalObjectOutput(key, target, temporary, channel);
    } catch (IOException e) {
      throw LocalFailures.classify("creating", temporary, e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
    written++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    int offset = off;
    int left = len;
    while (left > 0) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(left, buffer.remaining());
      buffer.put(b, offset, n);
      offset += n;
      left -= n;
      written += n;
    }
  }

  private void drain() {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      abort();
      throw LocalFailures.classify("writing", target, e);
    }
    buffer.clear();
  }

  private void ensureOpen() throws IOException {
    if (done) {
      throw new IOException("the write of " + key + " is already committed or aborted");
    }
  }

  @Override
  public ObjectInfo commit() throws IOException {
    ensureOpen();
    drain();
    try {
      channel.force(true);
      channel.close();
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } catch (IOException e) {
      abort();
      throw LocalFailures.classify("committing", target, e);
    }
    syncDirectory(target.getParent());
    return new ObjectInfo(key, written, Instant.now());
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      throw LocalFailures.classify("syncing directory", dir, e);
    }
  }

  @Override
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // the file is deleted next; a close error changes nothing
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "could not remove the temporary file " + temporary + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public long bytesWritten() {
    return written;
  }
}
