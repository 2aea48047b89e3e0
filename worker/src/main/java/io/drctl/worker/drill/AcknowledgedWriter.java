package io.drctl.worker.drill;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application as the drill's measure of lost data: a thread that writes numbered records, one
 * every {@value #INTERVAL_MILLIS} ms, from the baseline backups to the end of the drill, through
 * every failure, and notes when each write was acknowledged. After a scenario, {@link #measure}
 * finds which acknowledged writes the platform no longer holds; the new ones are that scenario's
 * loss, expressed as the span of time they cover (the seed's RPO).
 *
 * <p>Thread-safe: the writing thread appends, the drill measures between scenarios.
 */
abstract class AcknowledgedWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AcknowledgedWriter.class);
  static final long INTERVAL_MILLIS = 100;

  private final List<Long> acknowledgedAt = new ArrayList<>();
  private final Set<Long> knownLost = new HashSet<>();
  private final Thread thread;
  private volatile boolean stopped;

  AcknowledgedWriter(String name) {
    thread = new Thread(this::loop, "drill-writer-" + name);
    thread.setDaemon(true);
  }

  /** What a measurement found. */
  record Loss(long acknowledged, long lost, double seconds) {
    static final Loss NONE = new Loss(0, 0, 0);
  }

  void start() {
    thread.start();
  }

  /** Writes record {@code n}; returns normally only once the server acknowledged it. */
  abstract void write(long n) throws Exception;

  /** Which of the records {@code 0..upTo} the platform holds now. */
  abstract Set<Long> present(long upTo) throws Exception;

  /** Drops a connection after a failed write, so the next write reconnects (perhaps elsewhere). */
  abstract void reset();

  private void loop() {
    long n = 0;
    while (!stopped) {
      try {
        write(n);
        synchronized (this) {
          acknowledgedAt.add(System.currentTimeMillis());
        }
        n++;
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.debug("drill writer: write {} not acknowledged: {}", n, e.getMessage());
        reset();
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Compares the acknowledged writes with what the platform holds. Writes found lost by an earlier
   * measurement are not counted again.
   *
   * @return the writes newly lost and the time they span: from the last write kept before the first
   *     of them to the last of them
   */
  synchronized Loss measure() throws Exception {
    List<Long> times = List.copyOf(acknowledgedAt);
    if (times.isEmpty()) {
      return Loss.NONE;
    }
    Set<Long> held = present(times.size() - 1);
    long lost = 0;
    long firstLost = -1;
    long lastLostAt = 0;
    for (long n = 0; n < times.size(); n++) {
      if (!held.contains(n) && knownLost.add(n)) {
        lost++;
        firstLost = firstLost < 0 ? n : firstLost;
        lastLostAt = times.get((int) n);
      }
    }
    if (lost == 0) {
      return new Loss(times.size(), 0, 0);
    }
    long keptBefore = firstLost == 0 ? times.get(0) : times.get((int) firstLost - 1);
    return new Loss(
        times.size(), lost, Math.max(INTERVAL_MILLIS, lastLostAt - keptBefore) / 1000.0);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(10_000);
    reset();
  }
}
