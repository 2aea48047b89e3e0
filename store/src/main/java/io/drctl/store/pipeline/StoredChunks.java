package io.drctl.store.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;

/**
 * The compressor's output side: fills chunks from a pool and hands each full one to the stage that
 * hashes and stores it. Used directly by the zstd compressor ({@link #current()}/{@link #emit()})
 * and as an OutputStream under stream codecs (gzip, none).
 */
final class StoredChunks extends OutputStream {
  private final ChunkPool pool;
  private final BlockingQueue<Chunk> queue;
  private final PipelineControl control;
  private Chunk current;

  StoredChunks(ChunkPool pool, BlockingQueue<Chunk> queue, PipelineControl control) {
    this.pool = pool;
    this.queue = queue;
    this.control = control;
  }

  /** The chunk being filled (taken from the pool when needed); advance its length when filling. */
  Chunk current() throws IOException {
    if (current == null) {
      current = pool.take(control);
      current.length = 0;
    }
    return current;
  }

  /** Hands the current chunk on if it holds anything. */
  void emit() throws IOException {
    if (current != null && current.length > 0) {
      Chunk full = current;
      current = null;
      full.share(1);
      control.put(queue, full);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      Chunk chunk = current();
      int n = Math.min(len, chunk.bytes.length - chunk.length);
      System.arraycopy(b, off, chunk.bytes, chunk.length, n);
      chunk.length += n;
      off += n;
      len -= n;
      if (chunk.length == chunk.bytes.length) {
        emit();
      }
    }
  }

  /** Hands on the last chunk and the end marker. */
  void end() throws IOException {
    emit();
    control.put(queue, Chunk.END);
  }

  /** Does nothing: the end of the stream is {@link #end()}. */
  @Override
  public void close() {}
}
