package io.drctl.activities.shell;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The shell backend, which runs local programs (shell.exec), as the worker registers it and as
 * other backends use it: its activities, what else they may call, and the only way to make one, so
 * that its implementation stays private to this package. Register the object with a Temporal
 * worker; only the {@link ShellActivities} methods are activities.
 */
public interface ShellBackend extends ShellActivities, AutoCloseable {

  /** Holds nothing to release. */
  @Override
  default void close() {}

  /** The backend the worker registers ({@code ShellActivitiesImpl}) with its default settings. */
  static ShellBackend create(SecretResolver secrets) {
    return new ShellActivitiesImpl(secrets);
  }
}
