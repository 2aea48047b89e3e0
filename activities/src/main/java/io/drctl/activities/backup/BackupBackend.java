package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;

/**
 * The backup backend (the backup store: listing, selection, verification, retention, replication)
 * as the worker registers it and as other backends use it: its activities, what else they may call,
 * and the only way to make one, so that its implementation stays private to this package. Register
 * the object with a Temporal worker; only the {@link BackupActivities} methods are activities.
 */
public interface BackupBackend extends BackupActivities, AutoCloseable {

  /** Releases what the backend holds (clients, pools); the backend is not used afterwards. */
  @Override
  void close();

  /** The backend the worker registers ({@code BackupActivitiesImpl}) with its default settings. */
  static BackupBackend create(SecretResolver secrets) {
    return new BackupActivitiesImpl(secrets);
  }
}
