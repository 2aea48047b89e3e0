package io.drctl.worker.drill;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling until something holds, for the drill's waits on containers and servers. */
final class Waits {
  private static final long POLL_MILLIS = 300;

  private Waits() {}

  /**
   * Polls {@code condition} until it is true.
   *
   * @throws DrillException after {@code timeout}, naming {@code what} and the last error the
   *     condition threw
   */
  static void until(Callable<Boolean> condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new DrillException(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + (last == null ? "" : ": " + last.getMessage()));
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
