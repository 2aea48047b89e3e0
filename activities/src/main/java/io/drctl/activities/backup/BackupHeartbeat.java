package io.drctl.activities.backup;

import io.drctl.activities.Heartbeats;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * The liveness of one backup activity attempt: heartbeats {@link BackupProgress} while a long store
 * operation runs on another thread, which is also how the attempt learns it was cancelled or timed
 * out ({@link ActivityExecutionContext#heartbeat} throws, the work is interrupted, the exception
 * propagates). The SDK throttles what reaches the server.
 */
final class BackupHeartbeat {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final Heartbeats heartbeats;

  private BackupHeartbeat(ActivityExecutionContext context) {
    this.heartbeats = new Heartbeats(context, INTERVAL);
  }

  /** The heartbeat of the activity attempt running on this thread. */
  static BackupHeartbeat current() {
    return new BackupHeartbeat(Activity.getExecutionContext());
  }

  void beat(String phase, int done, int total, String current) {
    heartbeats.beat(new BackupProgress(phase, done, total, current, heartbeats.elapsedSeconds()));
  }

  /** Runs {@code work} on {@code pool}, heartbeating the progress until it ends. */
  <T> T await(
      ExecutorService pool, Callable<T> work, String phase, int done, int total, String current) {
    return heartbeats.await(
        pool.submit(work),
        () -> new BackupProgress(phase, done, total, current, heartbeats.elapsedSeconds()));
  }
}
