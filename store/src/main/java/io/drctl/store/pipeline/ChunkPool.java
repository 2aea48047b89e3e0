package io.drctl.store.pipeline;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed number of equal chunks, allocated on first use and then reused: the pipeline's memory
 * bound. {@link #take} blocks while all chunks are in use (back-pressure on the stage before).
 */
final class ChunkPool {
  private final BlockingQueue<Chunk> free;
  private final int chunkSize;
  private final int capacity;
  private int allocated;

  ChunkPool(int capacity, int chunkSize) {
    this.free = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.chunkSize = chunkSize;
  }

  /** A free chunk; blocks until one is returned, or throws once the pipeline has stopped. */
  Chunk take(PipelineControl control) throws IOException {
    Chunk chunk = free.poll();
    if (chunk != null) {
      return chunk;
    }
    synchronized (this) {
      if (allocated < capacity) {
        allocated++;
        return new Chunk(new byte[chunkSize], this);
      }
    }
    return control.take(free);
  }

  void recycle(Chunk chunk) {
    free.offer(chunk);
  }

  int chunkSize() {
    return chunkSize;
  }

  /** Chunks allocated so far (at most the capacity). */
  synchronized int allocated() {
    return allocated;
  }
}
