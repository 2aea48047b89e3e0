package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The liveness of one backup activity attempt: heartbeats {@link BackupProgress} while a long
 * store operation runs on another thread, which is also how the attempt learns it was cancelled or
 * timed out ({@link ActivityExecutionContext#heartbeat} throws, the work is interrupted, the
 * exception propagates). The SDK throttles what reaches the server.
 */
final class BackupHeartbeat {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final ActivityExecutionContext context;
  private final Duration interval;
  private final long startNanos = System.nanoTime();

  private BackupHeartbeat(ActivityExecutionContext context) {
    this.context = context;
    Duration timeout = context.getInfo().getHeartbeatTimeout();
    this.interval =
        timeout != null && !timeout.isZero() && !timeout.isNegative() && timeout.dividedBy(2).compareTo(INTERVAL) < 0
            ? timeout.dividedBy(2)
            : INTERVAL;
  }

  /** The heartbeat of the activity attempt running on this thread. */
  static BackupHeartbeat current() {
    return new BackupHeartbeat(Activity.getExecutionContext());
  }

  void beat(String phase, int done, int total, String current) {
    context.heartbeat(new BackupProgress(phase, done, total, current, elapsedSeconds()));
  }

  /** Runs {@code work} on {@code pool}, heartbeating the progress until it ends. */
  <T> T await(
      ExecutorService pool, Callable<T> work, String phase, int done, int total, String current) {
    Future<T> future = pool.submit(work);
    boolean finished = false;
    try {
      while (true) {
        try {
          T value = future.get(interval.toMillis(), TimeUnit.MILLISECONDS);
          finished = true;
          return value;
        } catch (TimeoutException stillRunning) {
          beat(phase, done, total, current);
        }
      }
    } catch (ExecutionException e) {
      finished = true;
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ActionFailures.retryable(
          ActionFailures.INTERRUPTED, "the worker interrupted the activity: it is stopping");
    } finally {
      if (!finished) {
        future.cancel(true);
      }
    }
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
