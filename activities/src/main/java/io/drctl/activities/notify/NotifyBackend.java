package io.drctl.activities.notify;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The notify backend (notifications and escalations) as the worker registers it and as other backends use it: its activities,
 * what else they may call, and the only way to make one, so that its implementation stays private
 * to this package. Register the object with a Temporal worker; only the {@link NotifyActivities}
 * methods are activities.
 */
public interface NotifyBackend extends NotifyActivities, AutoCloseable {

  /** Holds nothing to release. */
  @Override
  default void close() {}

  /** A new backend ({@code NotifyActivitiesImpl}) with these settings. */
  static NotifyBackend create(SecretResolver secrets) {
    return new NotifyActivitiesImpl(secrets);
  }

  /** A new backend ({@code NotifyActivitiesImpl}) with these settings. */
  static NotifyBackend create(SecretResolver secrets, NotifyOptions options) {
    return new NotifyActivitiesImpl(secrets, options);
  }

  /** A new backend ({@code NotifyActivitiesImpl}) with these settings. */
  static NotifyBackend create(SecretResolver secrets, io.drctl.activities.http.HttpOptions httpOptions, NotifyOptions options) {
    return new NotifyActivitiesImpl(secrets, httpOptions, options);
  }
}
