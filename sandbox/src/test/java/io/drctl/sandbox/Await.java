package io.drctl.sandbox;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling waits of the sandbox tests. */
final class Await {
  private Await() {}

  /** Polls {@code condition} every 300 ms until it is true; fails naming {@code what} and the last exception. */
  static void awaitTrue(Callable<Boolean> condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("timed out waiting for " + what + (last == null ? "" : ": " + last), last);
  }
}
