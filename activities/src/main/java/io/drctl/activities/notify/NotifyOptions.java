package io.drctl.activities.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Worker-side settings of the notify backend, validated once at construction.
 *
 * @param deliveryTimeout longest wait for a channel's full answer (the catalog has no per-step
 *     timeout for notifications; the step's start-to-close timeout still bounds the attempt)
 * @param clock where {@code sentAt} comes from
 */
public record NotifyOptions(Duration deliveryTimeout, Clock clock) {

  public NotifyOptions {
    if (deliveryTimeout == null || deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
      throw new IllegalArgumentException(
          "NotifyOptions.deliveryTimeout must be positive, was " + deliveryTimeout);
    }
    Objects.requireNonNull(clock, "NotifyOptions.clock");
  }

  /** 30 s per delivery, the system clock in UTC. */
  public static NotifyOptions defaults() {
    return new NotifyOptions(Duration.ofSeconds(30), Clock.systemUTC());
  }
}
