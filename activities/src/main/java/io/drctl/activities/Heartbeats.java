package io.drctl.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The liveness of one activity attempt: heartbeats while it waits, which is also how it learns that
 * it was cancelled or timed out on the server ({@link ActivityExecutionContext#heartbeat} then
 * throws {@link io.temporal.client.ActivityCompletionException}, which the caller lets propagate
 * after cleaning up). The SDK throttles what reaches the server, so a heartbeat per poll costs
 * nothing. Every backend that waits on long work uses it.
 */
public final class Heartbeats {
  private final ActivityExecutionContext context;
  private final Duration interval;
  private final long startNanos = System.nanoTime();

  public Heartbeats(ActivityExecutionContext context, Duration configured) {
    this.context = context;
    this.interval = interval(context.getInfo(), configured);
  }

  /** Heartbeats with {@code details}: what an operator sees, and what a retry resumes from. */
  public void beat(Object details) {
    context.heartbeat(details);
  }

  /** The details of the previous attempt's last heartbeat, or {@code null} on a first attempt. */
  public <T> T previous(Class<T> type) {
    return context.getHeartbeatDetails(type).orElse(null);
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Sleeps, {@link ActionFailures#INTERRUPTED} when the worker interrupts the thread. */
  public static void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    }
  }

  /**
   * Waits for {@code future}, heartbeating {@code details} every interval. Cancels the future when
   * the wait ends any other way than with its result (cancellation, interruption).
   */
  public <T> T await(Future<T> future, Supplier<Object> details) {
    boolean done = false;
    try {
      while (true) {
        try {
          T value = future.get(interval.toMillis(), TimeUnit.MILLISECONDS);
          done = true;
          return value;
        } catch (TimeoutException stillRunning) {
          beat(details.get());
        }
      }
    } catch (ExecutionException e) {
      done = true;
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
      throw interrupted();
    } finally {
      if (!done) {
        future.cancel(true);
      }
    }
  }

  public static RuntimeException interrupted() {
    return ActionFailures.retryable(
        ActionFailures.INTERRUPTED, "the worker interrupted the activity: it is stopping");
  }

  private static Duration interval(ActivityInfo info, Duration configured) {
    Duration timeout = info.getHeartbeatTimeout();
    if (timeout != null
        && !timeout.isZero()
        && !timeout.isNegative()
        && timeout.dividedBy(2).compareTo(configured) < 0) {
      return timeout.dividedBy(2);
    }
    return configured;
  }
}
