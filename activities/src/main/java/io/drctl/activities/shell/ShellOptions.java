package io.drctl.activities.shell;

import java.time.Duration;
import java.util.Map;

/**
 * Worker-side settings of the shell backend, validated once at construction.
 *
 * @param workerEnvironment where {@code PATH}, {@code HOME} and {@code LANG} for the child come
 *     from
 * @param heartbeatInterval how often a running program heartbeats (shortened to half the activity's
 *     heartbeat timeout when that is shorter)
 * @param killGrace how long a program has to exit after SIGTERM before it gets SIGKILL
 */
public record ShellOptions(
    Map<String, String> workerEnvironment, Duration heartbeatInterval, Duration killGrace) {

  public ShellOptions {
    workerEnvironment = Map.copyOf(workerEnvironment);
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("killGrace", killGrace);
  }

  /** The worker's own environment, a heartbeat every 3 s and 2 s between SIGTERM and SIGKILL. */
  public static ShellOptions defaults() {
    return new ShellOptions(System.getenv(), Duration.ofSeconds(3), Duration.ofSeconds(2));
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "ShellOptions." + field + " must be positive, was " + value);
    }
  }
}
