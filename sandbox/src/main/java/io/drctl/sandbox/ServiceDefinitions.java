package io.drctl.sandbox;

/**
 * The sandbox's containers as {@link ServiceSpec}s. Commands use only what the sandbox image and
 * the official {@code postgres:15} and {@code redis:7} images share: {@code sh}, {@code setpriv}
 * (util-linux), the {@code postgres} and {@code redis} users, the servers on {@code PATH}. Each
 * container starts as root, prepares its volume, and runs its server as the service user.
 */
public final class ServiceDefinitions {
  /**
   * The fallback {@code archive_command}, used when no drctl jar is available ({@link
   * WalArchiving#throughDrctl()} false): copies a finished WAL segment into the archive volume
   * through a temporary name, so the archive never holds half a segment, and succeeds when the
   * segment is already there (PostgreSQL archives a segment again after a crash). With a jar the
   * servers run {@code drctl wal push --store /backups %p} instead.
   */
  public static final String ARCHIVE_COMMAND =
      "test -f "
          + SandboxLayout.WAL_ARCHIVE
          + "/%f || (cp %p "
          + SandboxLayout.WAL_ARCHIVE
          + "/%f.part && mv "
          + SandboxLayout.WAL_ARCHIVE
          + "/%f.part "
          + SandboxLayout.WAL_ARCHIVE
          + "/%f)";

  /** The fallback {@code restore_command}: the counterpart of {@link #ARCHIVE_COMMAND}. */
  public static final String RESTORE_COMMAND = "cp " + SandboxLayout.WAL_ARCHIVE + "/%f %p";

  /** The path the front proxy answers itself, 200 {@code ok}, whatever is behind it. */
  public static final String PROXY_HEALTH = "/nginx-health";

  private final PostgresServices postgres;
  private final RedisServices redis;
  private final ApplicationServices applications;

  /** Services that archive WAL by copying it into the archive volume. */
  public ServiceDefinitions(SandboxLayout layout, SandboxImages images) {
    this(layout, images, WalArchiving.volumeCopy());
  }

  public ServiceDefinitions(SandboxLayout layout, SandboxImages images, WalArchiving archiving) {
    this.postgres = new PostgresServices(layout, images, archiving);
    this.redis = new RedisServices(layout, images);
    this.applications = new ApplicationServices(layout, images, archiving);
  }

  public ServiceSpec of(Role role) {
    return switch (role) {
      case PRIMARY -> postgres.primary();
      case REPLICA -> postgres.replica();
      case REDIS -> redis.redis();
      case BACKEND -> applications.backend();
      case STAGING -> postgres.staging();
      case REGISTRY -> applications.registry();
      case PAGERDUTY -> applications.sink(Role.PAGERDUTY, "pagerduty");
      case SLACK -> applications.sink(Role.SLACK, "slack");
      case REDIS_REPLICA -> redis.redisReplica();
      case SENTINEL_1, SENTINEL_2, SENTINEL_3 -> redis.sentinel(role);
      case PROXY -> applications.proxy();
      case FRONTEND -> applications.frontend();
      case TASK_WORKER -> applications.taskWorker();
      case PG_SECONDARY -> postgres.secondary();
      case REDIS_SECONDARY -> redis.secondary();
      case S3 -> applications.s3();
    };
  }

  /**
   * Everything the primary's data directory needs beyond initdb's defaults, archiving into the
   * volume.
   */
  static String primaryConfiguration() {
    return PostgresServices.primaryConfiguration();
  }

  /** The settings of both servers with this sandbox's archiving. */
  String configuration() {
    return postgres.configuration();
  }
}
