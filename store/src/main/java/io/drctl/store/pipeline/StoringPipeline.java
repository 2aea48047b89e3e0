package io.drctl.store.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw bytes in → compression → SHA-256 of stored → {@code sink}. Each stage runs on its own thread
 * and stages hand each other reusable chunks through bounded queues:
 *
 * <pre>
 *   writer's thread ──raw chunks──▶ compress thread (zstd adds its own workers)
 *                                        ──stored chunks──▶ store thread: SHA-256, sink.write
 * </pre>
 *
 * <p>The raw bytes are counted, not hashed: the codec's own checksum of the raw stream (the zstd
 * frame's content checksum, gzip's CRC-32) is checked on every read, and the stored SHA-256 covers
 * the bytes that are kept. A second SHA-256 over the raw bytes cost a quarter of zstd's CPU.
 *
 * <p>Memory is bounded by {@value #RAW_CHUNKS} raw and {@value #STORED_CHUNKS} stored chunks of
 * {@value #CHUNK_SIZE} bytes (plus zstd's native buffers); a slow sink blocks the writer once they
 * are all in use. The first failure of any stage stops the others and is thrown, unchanged, to the
 * writer: from its next {@code write} or from {@link #finish()} (so a failing sink's {@link
 * io.drctl.store.StoreException} keeps its kind). The sink is only written by the store thread, and
 * not at all once {@link #finish()} or {@link #discard()} has returned.
 */
public final class StoringPipeline extends OutputStream {
  static final int CHUNK_SIZE = 2 * 1024 * 1024;
  static final int RAW_CHUNKS = 4;
  static final int STORED_CHUNKS = 3;
  private static final long DISCARD_WAIT_MILLIS = 10_000;
  private static final AtomicInteger PIPELINES = new AtomicInteger();

  private final PipelineControl control = new PipelineControl();
  private final ChunkPool rawPool = new ChunkPool(RAW_CHUNKS, CHUNK_SIZE);
  private final ChunkPool storedPool = new ChunkPool(STORED_CHUNKS, CHUNK_SIZE);
  private final BlockingQueue<Chunk> toCompress = new ArrayBlockingQueue<>(RAW_CHUNKS + 1);
  private final BlockingQueue<Chunk> toStore = new ArrayBlockingQueue<>(STORED_CHUNKS + 1);
  private final OutputStream sink;
  private final StoredChunks stored;
  private final ChunkCompressor compressor;
  private final List<Thread> threads;
  private Chunk current;
  private boolean finished;
  private long rawCount;
  // written by the stage threads, read after they have been joined
  private long storedCount;
  private String storedHex;

  public StoringPipeline(Compression compression, int level, OutputStream sink) throws IOException {
    this.sink = sink;
    this.stored = new StoredChunks(storedPool, toStore, control);
    this.compressor = ChunkCompressor.of(compression, level, stored);
    int id = PIPELINES.incrementAndGet();
    this.threads =
        List.of(
            stage("store-pipeline-" + id + "-compress", this::compress),
            stage("store-pipeline-" + id + "-store", this::store));
    threads.forEach(Thread::start);
  }

  private interface Stage {
    void run() throws Exception;
  }

  private Thread stage(String name, Stage body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                control.fail(t);
              }
            },
            name);
    thread.setDaemon(true);
    return thread;
  }

  private void compress() throws IOException {
    try {
      for (Chunk chunk; (chunk = control.take(toCompress)) != Chunk.END; ) {
        try {
          compressor.compress(chunk.bytes, chunk.length);
        } finally {
          chunk.release();
        }
      }
      compressor.finish();
      stored.end();
    } finally {
      compressor.close();
    }
  }

  private void store() throws IOException {
    MessageDigest digest = Sha256.newDigest();
    long count = 0;
    for (Chunk chunk; (chunk = control.take(toStore)) != Chunk.END; ) {
      digest.update(chunk.bytes, 0, chunk.length);
      sink.write(chunk.bytes, 0, chunk.length);
      count += chunk.length;
      chunk.release();
    }
    sink.flush();
    storedCount = count;
    storedHex = Sha256.hex(digest.digest());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IOException("the backup stream is already finished or discarded");
    }
    control.throwIfStopped();
    while (len > 0) {
      if (current == null) {
        current = rawPool.take(control);
        current.length = 0;
      }
      int n = Math.min(len, current.bytes.length - current.length);
      System.arraycopy(b, off, current.bytes, current.length, n);
      current.length += n;
      off += n;
      len -= n;
      if (current.length == current.bytes.length) {
        handOff();
      }
    }
  }

  /**
   * Reads {@code in} to its end straight into the pipeline's chunks (no intermediate buffer, large
   * reads), as {@code in.transferTo(this)} would; {@code in} is not closed.
   *
   * @return the bytes read
   */
  public long writeFrom(InputStream in) throws IOException {
    if (finished) {
      throw new IOException("the backup stream is already finished or discarded");
    }
    long total = 0;
    while (true) {
      control.throwIfStopped();
      if (current == null) {
        current = rawPool.take(control);
        current.length = 0;
      }
      int n = in.read(current.bytes, current.length, current.bytes.length - current.length);
      if (n < 0) {
        return total;
      }
      current.length += n;
      total += n;
      if (current.length == current.bytes.length) {
        handOff();
      }
    }
  }

  private void handOff() throws IOException {
    Chunk full = current;
    current = null;
    rawCount += full.length;
    full.share(1);
    control.put(toCompress, full);
  }

  /** Flushing is deferred to {@link #finish()}: a flush must not close a zstd frame. */
  @Override
  public void flush() {}

  /**
   * Ends the compressed stream and waits until every byte is hashed and written to the sink (the
   * sink stays open). Throws the first failure of any stage. Idempotent once it has succeeded.
   */
  public void finish() throws IOException {
    if (finished) {
      control.throwIfStopped();
      return;
    }
    finished = true;
    try {
      control.throwIfStopped();
      if (current != null && current.length > 0) {
        handOff();
      }
      control.put(toCompress, Chunk.END);
    } catch (IOException | RuntimeException | Error e) {
      control.discard();
      awaitStages(DISCARD_WAIT_MILLIS);
      throw e;
    }
    awaitStages(Long.MAX_VALUE);
    control.throwIfStopped();
  }

  /**
   * Waits for the stage threads to end; once any stage has failed the others are interrupted, so
   * that one blocked in the sink (back-pressure from a dead server) gives up too.
   */
  private void awaitStages(long maxMillis) throws InterruptedIOException {
    long deadline =
        maxMillis == Long.MAX_VALUE
            ? Long.MAX_VALUE
            : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    boolean interrupted = false;
    try {
      for (Thread thread : threads) {
        while (thread.isAlive() && System.nanoTime() < deadline) {
          if (control.stopped() && !interrupted) {
            interrupted = true;
            threads.forEach(Thread::interrupt);
          }
          thread.join(20);
        }
      }
    } catch (InterruptedException e) {
      control.discard();
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing a backup stream");
    }
  }

  /**
   * Stops the stages after a failure and waits (up to ten seconds) until they no longer touch the
   * sink, so the caller can abort it; the compressor's native memory is released by its thread.
   * No-op once finished.
   */
  public void discard() {
    if (finished && !control.stopped()) {
      return;
    }
    finished = true;
    control.discard();
    threads.forEach(Thread::interrupt);
    try {
      awaitStages(DISCARD_WAIT_MILLIS);
    } catch (InterruptedIOException e) {
      // the interrupt flag is set again; the stages were told to stop
    }
  }

  /** Does nothing: call {@link #finish()} (so a producer closing its stream cannot commit). */
  @Override
  public void close() {}

  /** Raw bytes written, once {@link #finish()} has returned. */
  public long rawBytes() {
    return rawCount;
  }

  public long storedBytes() {
    return storedCount;
  }

  public String storedSha256() {
    return storedHex;
  }
}
