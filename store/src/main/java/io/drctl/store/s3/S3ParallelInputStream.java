package io.drctl.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Reads an object with up to {@code parallelism} ranged GETs in flight and returns the bytes in
 * order. It owns {@code parallelism + 1} chunk buffers, allocated once and reused (one being read
 * by the caller, the others filling), so memory stays at {@code (parallelism + 1) × chunkSize} and
 * the steady state allocates nothing.
 */
final class S3ParallelInputStream extends InputStream {

  private record Chunk(byte[] buffer, int length) {}

  private final S3ObjectStore store;
  private final String key;
  private final long size;
  private final int chunkSize;
  private final int parallelism;
  private final ArrayDeque<Future<Chunk>> window = new ArrayDeque<>();
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private int allocated;
  private long nextOffset;
  private Chunk chunk;
  private int position;
  private boolean closed;

  S3ParallelInputStream(
      S3ObjectStore store, String key, long size, int chunkSize, int parallelism) {
    this.store = store;
    this.key = key;
    this.size = size;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
    fill();
  }

  private byte[] buffer() {
    byte[] reused = free.poll();
    if (reused != null) {
      return reused;
    }
    allocated++;
    return new byte[chunkSize];
  }

  private void fill() {
    while (window.size() < parallelism && nextOffset < size) {
      long offset = nextOffset;
      int length = (int) Math.min(chunkSize, size - offset);
      nextOffset += length;
      byte[] buffer = buffer();
      window.add(
          store
              .transfers()
              .submit(
                  () -> {
                    store.readRange(key, offset, buffer, length);
                    return new Chunk(buffer, length);
                  }));
    }
  }

  private boolean advance() throws IOException {
    while (chunk == null || position >= chunk.length()) {
      if (chunk != null) {
        free.add(chunk.buffer());
        chunk = null;
      }
      Future<Chunk> next = window.poll();
      if (next == null) {
        return false;
      }
      try {
        chunk = next.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while downloading " + key);
      } catch (ExecutionException e) {
        close();
        throw S3Failures.classify(store.describe(), "get", key, e.getCause());
      }
      position = 0;
      fill();
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (closed || !advance()) {
      return -1;
    }
    return chunk.buffer()[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (closed) {
      throw new IOException("stream of " + key + " is closed");
    }
    if (!advance()) {
      return -1;
    }
    int n = Math.min(len, chunk.length() - position);
    System.arraycopy(chunk.buffer(), position, b, off, n);
    position += n;
    return n;
  }

  /** Chunk buffers allocated so far (at most parallelism + 1). */
  int buffersAllocated() {
    return allocated;
  }

  @Override
  public void close() {
    closed = true;
    chunk = null;
    for (Future<Chunk> pending : window) {
      pending.cancel(true);
    }
    window.clear();
    free.clear();
  }
}
