package io.drctl.activities;

import io.drctl.activities.http.HttpActivitiesImpl;
import io.drctl.activities.notify.NotifyActivitiesImpl;
import io.drctl.activities.notify.NotifyOptions;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellActivitiesImpl;
import io.temporal.activity.DynamicActivity;
import java.util.List;

/**
 * Every activity implementation a worker registers. This is the one place to add a backend: the
 * worker registers {@link #implementations} and then {@link #fallback()}, and needs no change when
 * a backend is added here.
 */
public final class ActivityRegistry {

  private ActivityRegistry() {}

  /**
   * A fresh instance of every backend, sharing one secret resolver. Temporal rejects two
   * implementations of one activity type at registration, so a duplicate here fails the worker at
   * start.
   */
  public static List<Object> implementations(SecretResolver secrets) {
    return implementations(secrets, NotifyOptions.defaults());
  }

  /** The same, with the notify backend's worker-side settings (such as the Temporal UI link). */
  public static List<Object> implementations(SecretResolver secrets, NotifyOptions notify) {
    return List.of(
        new ShellActivitiesImpl(secrets),
        new HttpActivitiesImpl(secrets),
        new NotifyActivitiesImpl(secrets, notify),
        new io.drctl.activities.docker.DockerActivitiesImpl(secrets),
        new io.drctl.activities.backup.BackupActivitiesImpl(secrets),
        new io.drctl.activities.postgres.PostgresActivitiesImpl(secrets),
        new io.drctl.activities.redis.RedisActivitiesImpl(secrets));
  }

  /** The dynamic activity that answers every catalog action without an implementation above. */
  public static DynamicActivity fallback() {
    return new NotImplementedActivity();
  }
}
