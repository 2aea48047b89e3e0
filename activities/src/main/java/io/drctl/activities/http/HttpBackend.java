package io.drctl.activities.http;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The http backend (HTTP checks and requests) as the worker registers it and as other backends use
 * it: its activities, what else they may call, and the only way to make one, so that its
 * implementation stays private to this package. Register the object with a Temporal worker; only
 * the {@link HttpActivities} methods are activities.
 */
public interface HttpBackend extends HttpActivities, AutoCloseable {

  /** Holds nothing to release. */
  @Override
  default void close() {}

  /** The backend the worker registers ({@code HttpActivitiesImpl}) with its default settings. */
  static HttpBackend create(SecretResolver secrets) {
    return new HttpActivitiesImpl(secrets);
  }
}
