package io.drctl.store.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reusable buffer handed between the stages of a {@link StoringPipeline}. It goes back to its
 * {@link ChunkPool} when every stage it was handed to has {@link #release released} it.
 */
final class Chunk {
  /** Marks the end of the stream in a stage's queue. */
  static final Chunk END = new Chunk(new byte[0], null);

  final byte[] bytes;
  int length;
  private final ChunkPool pool;
  private final AtomicInteger users = new AtomicInteger();

  Chunk(byte[] bytes, ChunkPool pool) {
    this.bytes = bytes;
    this.pool = pool;
  }

  /** Before handing the chunk to {@code count} stages. */
  void share(int count) {
    users.set(count);
  }

  /** One stage is done with the bytes; the last one returns the chunk to its pool. */
  void release() {
    if (pool != null && users.decrementAndGet() <= 0) {
      length = 0;
      pool.recycle(this);
    }
  }
}
