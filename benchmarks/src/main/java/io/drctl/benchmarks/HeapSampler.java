package io.drctl.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest heap use seen, sampled every few milliseconds from {@link MemoryMXBean} on a daemon
 * thread. Sampling can miss a short spike between two samples; with a 5 ms period and streams of
 * many seconds it sees the steady state and the GC cycles.
 */
final class HeapSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 5;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong maxUsed = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  HeapSampler() {
    thread = new Thread(this::sample, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      long used = memory.getHeapMemoryUsage().getUsed();
      maxUsed.accumulateAndGet(used, Math::max);
      samples.incrementAndGet();
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Starts a new measurement window. */
  void reset() {
    maxUsed.set(memory.getHeapMemoryUsage().getUsed());
  }

  /** The highest heap use since the last {@link #reset()}, in bytes. */
  long maxUsed() {
    return maxUsed.get();
  }

  /** The heap's limit ({@code -Xmx}), in bytes. */
  long limit() {
    return memory.getHeapMemoryUsage().getMax();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
