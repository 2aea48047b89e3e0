package io.drctl.plan;

import java.util.List;

/** A resolved retry policy of an action step: every field set. */
public record RetryPolicy(
    int maxAttempts,
    String initialInterval,
    double backoffCoefficient,
    String maxInterval,
    List<String> nonRetryable) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(3, "1s", 2.0, "1m", List.of());

  public RetryPolicy {
    nonRetryable = List.copyOf(nonRetryable);
  }
}
