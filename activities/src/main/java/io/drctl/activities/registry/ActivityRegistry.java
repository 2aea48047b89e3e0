package io.drctl.activities.registry;

import io.drctl.activities.backup.BackupBackend;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.http.HttpBackend;
import io.drctl.activities.notify.NotifyBackend;
import io.drctl.activities.notify.NotifyOptions;
import io.drctl.activities.postgres.PostgresBackend;
import io.drctl.activities.redis.RedisBackend;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellBackend;
import io.temporal.activity.DynamicActivity;
import java.util.List;

/**
 * Every activity implementation a worker registers: the one factory of the backends, whose
 * implementations are private to their packages (each package's {@code *Backend.create}). This is
 * the one place to add a backend: the worker registers {@link #implementations} and then {@link
 * #fallback()}, and needs no change when a backend is added here.
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
        ShellBackend.create(secrets),
        HttpBackend.create(secrets),
        NotifyBackend.create(secrets, notify),
        DockerBackend.create(secrets),
        BackupBackend.create(secrets),
        PostgresBackend.create(secrets),
        RedisBackend.create(secrets));
  }

  /** The dynamic activity that answers every catalog action without an implementation above. */
  public static DynamicActivity fallback() {
    return new NotImplementedActivity();
  }
}
