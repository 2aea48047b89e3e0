package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * The liveness of one postgres activity attempt: heartbeats {@link PostgresProgress} at each step
 * of the work and while it waits. A heartbeat is also how it learns that it was cancelled or timed
 * out on the server ({@link io.temporal.client.ActivityCompletionException}, which propagates). The
 * SDK throttles what reaches the server, so a heartbeat per step costs nothing.
 */
final class Progress implements ObjLongConsumer<String> {
  private final ActivityExecutionContext context;
  private final String action;
  private final long startNanos;
  private final LongSupplier measure;

  private Progress(
      ActivityExecutionContext context, String action, long startNanos, LongSupplier measure) {
    this.context = context;
    this.action = action;
    this.startNanos = startNanos;
    this.measure = measure;
  }

  /** The progress of the running activity. */
  static Progress of(String action) {
    return new Progress(Activity.getExecutionContext(), action, System.nanoTime(), null);
  }

  /**
   * The same progress (same clock), whose heartbeats report {@code measure}'s value instead of the
   * count they are given: for a tool that writes files, not to the stdout its runner counts
   * (pg_dump -Fd).
   */
  Progress measuring(LongSupplier measure) {
    return new Progress(context, action, startNanos, measure);
  }

  /** Heartbeats: {@code phase} is what is being done, {@code done} how many units of it. */
  void beat(String phase, long done) {
    long reported = measure == null ? done : measure.getAsLong();
    context.heartbeat(new PostgresProgress(action, phase, reported, (long) elapsedSeconds()));
  }

  /**
   * {@link #beat}: how the file helpers shared with other backends ({@link DumpDirectory}) report.
   */
  @Override
  public void accept(String phase, long done) {
    beat(phase, done);
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Sleeps between polls, heartbeating; {@link ActionFailures#INTERRUPTED} when interrupted. */
  void pause(Duration duration, String phase, long done) {
    beat(phase, done);
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ActionFailures.retryable(
          ActionFailures.INTERRUPTED, "the worker interrupted the activity: it is stopping");
    }
  }
}
