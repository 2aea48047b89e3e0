package io.drctl.activities.http;

/**
 * Error types of the {@code http} actions, as the catalog ({@code io/drctl/catalog/http.json})
 * names them. Runbooks list them in {@code retry.nonRetryable}; the activity marks each failure
 * retryable or not as documented here.
 */
public final class HttpFailures {
  /**
   * {@code http.check}: a check did not hold (status, latency, jsonPath, bodyContains, or no
   * response at all). Retryable, so the step's retry policy checks again.
   */
  public static final String CHECK_FAILED = "CheckFailed";

  /**
   * {@code http.request}: no response within the timeout, the endpoint cannot be reached, or it
   * answered 5xx, 408 or 429. Retryable.
   */
  public static final String REQUEST_FAILED = "RequestFailed";

  /** {@code http.request}: any other status than the expected one. Not retryable. */
  public static final String REQUEST_REJECTED = "RequestRejected";

  private HttpFailures() {}
}
