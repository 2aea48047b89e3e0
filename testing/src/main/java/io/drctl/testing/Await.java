package io.drctl.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling waits for tests. */
public final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every 300 ms until it is true. An exception from it counts as "not yet"
   * and is named in the failure; an {@link AssertionError} from it ends the wait at once.
   *
   * @throws AssertionError naming {@code what} and the last exception when {@code timeout} passes
   */
  public static void awaitTrue(Callable<Boolean> condition, Duration timeout, String what)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (AssertionError e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(
        "timed out waiting for " + what + (last == null ? "" : ": " + last), last);
  }
}
