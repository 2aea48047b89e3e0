package io.drctl.worker.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The things a long-running command started (server, metrics, connection, worker) and how to stop
 * each, run in reverse order exactly once: when start-up fails half-way, when the command ends, or
 * on SIGTERM or Ctrl-C, even one that comes while things are still starting. Nothing the command
 * started is left running.
 */
final class WorkerSession implements AutoCloseable {
  private final Deque<Step> steps = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final PrintWriter err;
  private final Thread hook = new Thread(this::close, "drctl-shutdown");
  private boolean closed;

  private record Step(String name, Runnable action) {}

  /** Creates the session and arms its shutdown hook at once. */
  WorkerSession(PrintWriter err) {
    this.err = err;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Registers how to stop something just started; later ones stop first. After the session has
   * closed (a signal came during start-up), the thing is stopped right away.
   */
  void onStop(String name, Runnable action) {
    synchronized (this) {
      if (!closed) {
        steps.push(new Step(name, action));
        return;
      }
    }
    run(new Step(name, action));
  }

  /** Blocks until SIGTERM or Ctrl-C has stopped everything. */
  void awaitSignal() throws InterruptedException {
    stopped.await();
  }

  /**
   * Blocks until SIGTERM or Ctrl-C has stopped everything, or {@code timeout} has passed.
   *
   * @return whether a signal stopped everything
   */
  boolean awaitSignal(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Whether a signal (or the command's end) has begun stopping everything; while the steps run, it
   * waits for them to finish.
   */
  synchronized boolean stopping() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      while (!steps.isEmpty()) {
        run(steps.pop());
      }
    }
    stopped.countDown();
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook finds the session closed and returns.
      }
    }
  }

  private void run(Step step) {
    try {
      step.action().run();
    } catch (RuntimeException e) {
      // Keep stopping the rest; say what could not be stopped cleanly.
      err.println("drctl: while stopping the " + step.name() + ": " + e);
      err.flush();
    }
  }
}
