package io.drctl.activities.redis;

import io.drctl.activities.Heartbeats;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * The liveness of one redis activity attempt: heartbeats {@link RedisProgress} at each step and
 * while it waits (through {@link Heartbeats}, which also learns so that the activity was
 * cancelled). Also the {@code (phase, bytes)} callback of the file helpers.
 */
final class RedisHeartbeat implements ObjLongConsumer<String> {
  private final Heartbeats heartbeats;
  private final String action;
  private final ServerLaunch previousServer;
  private ServerLaunch server;

  private RedisHeartbeat(Heartbeats heartbeats, String action) {
    this.heartbeats = heartbeats;
    this.action = action;
    RedisProgress previous = heartbeats.previous(RedisProgress.class);
    this.previousServer = previous == null ? null : previous.server();
  }

  /** The heartbeats of the running activity {@code action}. */
  static RedisHeartbeat of(String action, RedisOptions options) {
    return new RedisHeartbeat(
        new Heartbeats(Activity.getExecutionContext(), options.pollInterval()), action);
  }

  void beat(String phase, long done) {
    heartbeats.beat(
        new RedisProgress(action, phase, done, (long) heartbeats.elapsedSeconds(), server));
  }

  @Override
  public void accept(String phase, long done) {
    beat(phase, done);
  }

  /** Heartbeats, then sleeps {@code interval}. */
  void pause(Duration interval, String phase, long done) {
    beat(phase, done);
    Heartbeats.sleep(interval);
  }

  /**
   * Waits for {@code future} (work on another thread), heartbeating {@code phase} with {@code
   * done}; cancels it when the wait ends otherwise (cancellation, interruption).
   */
  <T> T await(Future<T> future, String phase, LongSupplier done) {
    return heartbeats.await(
        future,
        () ->
            new RedisProgress(
                action, phase, done.getAsLong(), (long) heartbeats.elapsedSeconds(), server));
  }

  /** Records how the server is started; every later heartbeat carries it for a retry. */
  void server(ServerLaunch launch) {
    this.server = launch;
    beat("read how " + launch.executable() + " is started", 0);
  }

  /** What the previous attempt's heartbeats recorded of the server, or {@code null}. */
  ServerLaunch previousServer() {
    return previousServer;
  }

  double elapsedSeconds() {
    return heartbeats.elapsedSeconds();
  }
}
