package io.drctl.activities.notify;

/**
 * Error types of the {@code notify} actions, as the catalog ({@code io/drctl/catalog/notify.json})
 * names them. Runbooks list them in {@code retry.nonRetryable}; the activity marks each failure
 * retryable or not as documented here.
 */
public final class NotifyFailures {
  /** No answer from the channel, or a status other than 2xx, 401 and 403. Retryable. */
  public static final String DELIVERY_FAILED = "DeliveryFailed";

  /**
   * The channel answered 401 or 403: the target's token is wrong or lacks rights. Not retryable.
   */
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

  /**
   * {@code notify.escalate} with {@code failAfterPaging}: the page went out and the step fails on
   * purpose, so that an operator decides. Not retryable: a retry would page again.
   */
  public static final String ESCALATED = "Escalated";

  private NotifyFailures() {}
}
