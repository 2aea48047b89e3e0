package io.drctl.sandbox;

import java.util.Map;

/**
 * The image of each role. {@code DRCTL_SANDBOX_IMAGE} (default {@value #DEFAULT_IMAGE}, which
 * {@code bin/setup images} builds) serves every role; {@code DRCTL_SANDBOX_POSTGRES_IMAGE}, {@code
 * DRCTL_SANDBOX_REDIS_IMAGE} and {@code DRCTL_SANDBOX_BACKEND_IMAGE} override one role, e.g. with
 * the official {@code postgres:15} and {@code redis:7} where a registry is reachable: the
 * containers' commands only assume {@code sh}, {@code setpriv}, the {@code postgres} and {@code
 * redis} users and the servers on {@code PATH}, as in those images.
 *
 * @param postgres image of the primary, the replica and staging
 * @param redis image of Redis, its replica and the Sentinels
 * @param backend image of the backend, the registry, the notification sinks, the front proxy
 *     (nginx), the frontend, the task worker and the S3 store (must hold {@value #BACKEND_APP} and
 *     {@value #SINK_APP})
 * @param defaulted whether {@code postgres}, {@code redis} and {@code backend} all came from the
 *     shared default, so that a missing image is a matter of running {@code bin/setup images}
 */
public record SandboxImages(String postgres, String redis, String backend, boolean defaulted) {
  public static final String DEFAULT_IMAGE = "local/drctl-sandbox:latest";

  /** The backend application inside the image. */
  public static final String BACKEND_APP = "/opt/drctl-backend/app.py";

  /** The notification sink inside the image, beside the backend application it borrows from. */
  public static final String SINK_APP = "/opt/drctl-backend/sink.py";

  /** The images the given environment variables choose. */
  public static SandboxImages fromEnvironment(Map<String, String> environment) {
    String shared = value(environment, "DRCTL_SANDBOX_IMAGE", DEFAULT_IMAGE);
    String postgres = value(environment, "DRCTL_SANDBOX_POSTGRES_IMAGE", shared);
    String redis = value(environment, "DRCTL_SANDBOX_REDIS_IMAGE", shared);
    String backend = value(environment, "DRCTL_SANDBOX_BACKEND_IMAGE", shared);
    return new SandboxImages(
        postgres,
        redis,
        backend,
        postgres.equals(shared) && redis.equals(shared) && backend.equals(shared));
  }

  public String of(Role role) {
    return switch (role) {
      case PRIMARY, REPLICA, STAGING, PG_SECONDARY -> postgres;
      case REDIS, REDIS_REPLICA, SENTINEL_1, SENTINEL_2, SENTINEL_3, REDIS_SECONDARY -> redis;
      case BACKEND, REGISTRY, PAGERDUTY, SLACK, PROXY, FRONTEND, TASK_WORKER, S3 -> backend;
    };
  }

  /** The variable that chose the image of a role, for messages. */
  static String variable(Role role) {
    return switch (role) {
      case PRIMARY, REPLICA, STAGING, PG_SECONDARY -> "DRCTL_SANDBOX_POSTGRES_IMAGE";
      case REDIS, REDIS_REPLICA, SENTINEL_1, SENTINEL_2, SENTINEL_3, REDIS_SECONDARY ->
          "DRCTL_SANDBOX_REDIS_IMAGE";
      case BACKEND, REGISTRY, PAGERDUTY, SLACK, PROXY, FRONTEND, TASK_WORKER, S3 ->
          "DRCTL_SANDBOX_BACKEND_IMAGE";
    };
  }

  private static String value(Map<String, String> environment, String name, String fallback) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
