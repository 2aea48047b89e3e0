package io.drctl.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of the live threads whose names match, per thread, so that a round's share can be taken
 * apart from the rest of the JVM (JIT, GC, gRPC, the client). A thread that ends within the round
 * loses what it did in it; the SDK keeps its worker threads alive, so that is rare.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * Workflow code: drctl's interpreter or the hand-written workflow, on the SDK's workflow threads.
   */
  static final Predicate<String> WORKFLOW_CODE =
      name -> name.startsWith("workflow-thread-") || name.startsWith("workflow-method-");

  /** The SDK's workflow task handling: history, replay, commands, payload conversion. */
  static final Predicate<String> WORKFLOW_TASKS = name -> name.startsWith("Workflow Executor");

  private final Predicate<String> names;
  private final Map<Long, Long> start;

  ThreadCpu(Predicate<String> names) {
    this.names = names;
    this.start = snapshot();
  }

  private Map<Long, Long> snapshot() {
    Map<Long, Long> nanos = new HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (names.test(thread.getName())) {
        long cpu = THREADS.getThreadCpuTime(thread.getId());
        if (cpu >= 0) {
          nanos.put(thread.getId(), cpu);
        }
      }
    }
    return nanos;
  }

  /** CPU the matching threads used since this was made, in ms. */
  double millisSince() {
    long total = 0;
    for (Map.Entry<Long, Long> now : snapshot().entrySet()) {
      total += now.getValue() - start.getOrDefault(now.getKey(), 0L);
    }
    return total / 1e6;
  }
}
