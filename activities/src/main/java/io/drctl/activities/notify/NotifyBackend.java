package io.drctl.activities.notify;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The notify backend (notifications and escalations) as the worker registers it and as other
 * backends use it: its activities, what else they may call, and the only way to make one, so that
 * its implementation stays private to this package. Register the object with a Temporal worker;
 * only the {@link NotifyActivities} methods are activities.
 */
public interface NotifyBackend extends NotifyActivities, AutoCloseable {

  /** Holds nothing to release. */
  @Override
  default void close() {}

  /**
   * A new backend ({@code NotifyActivitiesImpl}) with the worker's notify settings (e.g. the
   * Temporal UI link).
   */
  static NotifyBackend create(SecretResolver secrets, NotifyOptions options) {
    return new NotifyActivitiesImpl(secrets, options);
  }
}
