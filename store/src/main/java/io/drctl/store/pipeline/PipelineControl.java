package io.drctl.store.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shared state of a {@link StoringPipeline}'s threads: the first failure of any stage, or a
 * discard. Every blocking hand-off goes through {@link #take}/{@link #put}, which give up once the
 * pipeline has stopped, so no stage waits forever for one that died.
 */
final class PipelineControl {
  private static final long POLL_MILLIS = 20;

  private volatile Throwable failure;
  private volatile boolean discarded;

  /** Records {@code t} if it is the first failure. */
  synchronized void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    }
  }

  void discard() {
    discarded = true;
  }

  boolean stopped() {
    return failure != null || discarded;
  }

  <T> T take(BlockingQueue<T> queue) throws IOException {
    try {
      while (true) {
        T item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        throwIfStopped();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while streaming a backup");
    }
  }

  <T> void put(BlockingQueue<T> queue, T item) throws IOException {
    try {
      while (!queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        throwIfStopped();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while streaming a backup");
    }
  }

  /**
   * Throws the first stage failure as it was thrown (an IOException, a {@link
   * io.drctl.store.StoreException} or an Error), or an IOException after a discard.
   */
  void throwIfStopped() throws IOException {
    Throwable t = failure;
    if (t == null) {
      if (discarded) {
        throw new IOException("the backup stream was discarded");
      }
      return;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t.getMessage(), t);
  }
}
