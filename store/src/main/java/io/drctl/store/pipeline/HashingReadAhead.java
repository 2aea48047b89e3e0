package io.drctl.store.pipeline;

import io.drctl.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and SHA-256-hashes a stored stream on its own thread, a few chunks ahead of the reader, so
 * that hashing overlaps with decompression. Memory: {@value #CHUNKS} chunks of {@value #CHUNK_SIZE}
 * bytes. A failure of the source reaches the reader as the {@link StoreException} it is (or, for an
 * IOException, as a retryable {@link StoreException.Kind#IO}), never as a plain IOException, so
 * that it cannot be taken for corruption by the decompressor above.
 */
final class HashingReadAhead extends InputStream {
  static final int CHUNK_SIZE = 1024 * 1024;
  static final int CHUNKS = 4;

  private final InputStream source;
  private final String name;
  private final PipelineControl control = new PipelineControl();
  private final ChunkPool pool = new ChunkPool(CHUNKS, CHUNK_SIZE);
  private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final Thread reader;
  // written by the reader thread before it queues END
  private volatile long count;
  private volatile String hex;
  private Chunk chunk;
  private int position;
  private boolean ended;

  HashingReadAhead(InputStream source, String name) {
    this.source = source;
    this.name = name;
    this.reader = new Thread(this::readAhead, "store-read-ahead");
    reader.setDaemon(true);
    reader.start();
  }

  private void readAhead() {
    MessageDigest digest = Sha256.newDigest();
    long total = 0;
    try (source) {
      while (true) {
        Chunk next = pool.take(control);
        int n = source.readNBytes(next.bytes, 0, next.bytes.length);
        if (n <= 0) {
          next.release();
          break;
        }
        next.length = n;
        next.share(1);
        digest.update(next.bytes, 0, n);
        total += n;
        control.put(ready, next);
      }
      count = total;
      hex = Sha256.hex(digest.digest());
      control.put(ready, Chunk.END);
    } catch (Throwable t) {
      control.fail(t);
    }
  }

  private boolean advance() throws IOException {
    while (chunk == null || position >= chunk.length) {
      if (ended) {
        return false;
      }
      if (chunk != null) {
        chunk.release();
        chunk = null;
      }
      Chunk next;
      try {
        next = control.take(ready);
      } catch (StoreException e) {
        throw e;
      } catch (IOException e) {
        throw new StoreException(
            StoreException.Kind.IO, "reading " + name + " failed: " + e.getMessage(), e);
      }
      if (next == Chunk.END) {
        ended = true;
        return false;
      }
      chunk = next;
      position = 0;
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!advance()) {
      return -1;
    }
    int n = Math.min(len, chunk.length - position);
    System.arraycopy(chunk.bytes, position, b, off, n);
    position += n;
    return n;
  }

  /** Reads the rest of the stream (hashing it). */
  void drain() throws IOException {
    while (advance()) {
      position = chunk.length;
    }
  }

  /** Stored bytes read, once the end has been reached. */
  long count() {
    return count;
  }

  /** The hex SHA-256 of the whole stream, once the end has been reached. */
  String sha256() {
    return hex;
  }

  /** Stops the read-ahead thread; it closes the source. */
  @Override
  public void close() {
    control.discard();
    reader.interrupt();
  }
}
