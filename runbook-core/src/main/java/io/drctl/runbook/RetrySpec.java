package io.drctl.runbook;

import java.util.List;

/** A retry policy as written; any field may be absent and is then inherited. */
public record RetrySpec(
    Integer maxAttempts,
    String initialInterval,
    Double backoffCoefficient,
    String maxInterval,
    List<String> nonRetryable) {

  /** This policy with absent fields taken from {@code parent}. */
  public RetrySpec inheriting(RetrySpec parent) {
    if (parent == null) {
      return this;
    }
    return new RetrySpec(
        maxAttempts != null ? maxAttempts : parent.maxAttempts,
        initialInterval != null ? initialInterval : parent.initialInterval,
        backoffCoefficient != null ? backoffCoefficient : parent.backoffCoefficient,
        maxInterval != null ? maxInterval : parent.maxInterval,
        nonRetryable != null ? nonRetryable : parent.nonRetryable);
  }
}
