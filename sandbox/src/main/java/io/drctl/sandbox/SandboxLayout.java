package io.drctl.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Names, labels and ports of one sandbox, all derived from its name. Immutable.
 *
 * <p>The default sandbox ({@value #DEFAULT_NAME}) is what {@code runbooks/dr-runbook.json}'s
 * targets describe: containers {@code drctl-sandbox-postgres}, {@code
 * drctl-sandbox-postgres-replica}, {@code drctl-sandbox-redis}, {@code drctl-sandbox-backend},
 * {@code drctl-sandbox-postgres-staging}, {@code drctl-sandbox-registry}, {@code
 * drctl-sandbox-notify-pagerduty}, {@code drctl-sandbox-notify-slack}, {@code
 * drctl-sandbox-redis-replica}, {@code drctl-sandbox-redis-sentinel-1} to {@code -3}, {@code
 * drctl-sandbox-proxy}, {@code drctl-sandbox-frontend}, {@code drctl-sandbox-task-worker}, {@code
 * drctl-sandbox-postgres-secondary}, {@code drctl-sandbox-redis-secondary} and {@code
 * drctl-sandbox-s3} on ports 55432, 55433, 56379, 58000, 55434, 58081, 58082, 58083, 56381, 26379
 * to 26381, 58080, 58084, 58085, 55435, 56380 and 59000. A named sandbox {@code N} uses {@code
 * drctl-sandbox-N-ROLE} and a block of {@value #BLOCK_SIZE} ports at {@link #portBase()}, one per
 * role in {@link Role}'s order: primary +0, replica +1, Redis +2, backend +3, staging +4, registry
 * +5, PagerDuty +6, Slack +7, Redis replica +8, Sentinels +9 to +11, proxy +12, frontend +13, task
 * worker +14, secondary PostgreSQL +15, secondary Redis +16, S3 +17 (+18 and +19 are free). The
 * base is derived from the name ({@link #derivedPortBase}) unless given.
 *
 * @param name the sandbox's name, the value of the {@value #SANDBOX_LABEL} label
 * @param prefix what every container and volume name starts with
 * @param portBase the first port of a named sandbox's block, 0 for the default sandbox
 * @param ports each role's loopback port
 */
public record SandboxLayout(String name, String prefix, int portBase, Map<Role, Integer> ports) {
  /** Label naming the sandbox a container or volume belongs to. */
  public static final String SANDBOX_LABEL = "io.drctl.sandbox";

  /** Label naming a container's role (a {@link Role#suffix()}) or a volume's purpose. */
  public static final String ROLE_LABEL = "io.drctl.sandbox.role";

  /** The sandbox the runbook's own targets describe. */
  public static final String DEFAULT_NAME = "default";

  /** The database the dataset lives in, as the runbook's targets say. */
  public static final String DATABASE = "thebot_db";

  /** The superuser the sandbox connects as, as the runbook's targets say. */
  public static final String USER = "postgres";

  /**
   * The password the sandbox gives {@value #USER}. The runbook's targets refer to it as {@code
   * env:PGPASSWORD}: export {@code PGPASSWORD=drctl-sandbox} for runbooks against a sandbox.
   */
  public static final String PASSWORD = "drctl-sandbox";

  /**
   * Redis's {@code requirepass}; the runbook's redis target refers to it as {@code
   * env:REDIS_PASSWORD}. Like {@link #PASSWORD}, a known value: the sandbox holds no real secret.
   */
  public static final String REDIS_PASSWORD = "drctl-sandbox";

  /**
   * The registry's token: requests must carry {@code Authorization: drctl-sandbox} (or {@code
   * Bearer drctl-sandbox}). The runbook's dns-webhook target refers to it as {@code
   * env:DNS_WEBHOOK_TOKEN}. Like {@link #PASSWORD}, a known value.
   */
  public static final String REGISTRY_TOKEN = "drctl-sandbox";

  /**
   * The Slack sink's token and the PagerDuty sink's routing key. The runbook's slack and pagerduty
   * targets refer to them as {@code env:SLACK_TOKEN} and {@code env:PAGERDUTY_ROUTING_KEY}. Like
   * {@link #PASSWORD}, a known value.
   */
  public static final String NOTIFY_TOKEN = "drctl-sandbox";

  /** Where both notification sinks keep the messages they receive, one JSON file each. */
  public static final String NOTIFICATIONS = "/notifications";

  /**
   * Where the registry keeps its records ({@code NAME.json}), on a volume the backend mounts
   * read-only at the same path.
   */
  public static final String RECORDS = "/records";

  /** Physical replication slot of the replica on the primary. */
  public static final String REPLICATION_SLOT = "drctl_sandbox_replica";

  /** Where the PostgreSQL data directory is in both PostgreSQL containers. */
  public static final String PG_DATA = "/var/lib/postgresql/data";

  /** Where the WAL archive volume is mounted in both PostgreSQL containers. */
  public static final String WAL_ARCHIVE = "/archive";

  /**
   * The name the Sentinels monitor the sandbox's Redis master under ({@code sentinel monitor
   * NAME}).
   */
  public static final String REDIS_MASTER_NAME = "mymaster";

  /** How many Sentinels must agree that the master is down before one of them fails it over. */
  public static final int SENTINEL_QUORUM = 2;

  /** How long a Sentinel waits for the master to answer before it counts it as down. */
  public static final int SENTINEL_DOWN_AFTER_MILLIS = 3000;

  /**
   * The key the backend sets in its Redis to the time in epoch milliseconds every 250 ms: the
   * replication heartbeat {@code redis.sentinelFailover} measures a lost master's data loss from.
   */
  public static final String REDIS_HEARTBEAT_KEY = "drctl:heartbeat";

  /** Where Redis keeps its AOF and RDB files. */
  public static final String REDIS_DATA = "/data";

  /** The bucket of the sandbox's S3 store, as the runbook's backups-s3 target names it. */
  public static final String S3_BUCKET = "thebot-backups";

  /**
   * The S3 store's access key id and secret key. The runbook's backups-s3 target refers to them as
   * {@code env:DRCTL_S3_ACCESS_KEY_ID} and {@code env:DRCTL_S3_SECRET_ACCESS_KEY}. Known values,
   * like {@link #PASSWORD}.
   */
  public static final String S3_ACCESS_KEY = "drctl-sandbox";

  public static final String S3_SECRET_KEY = "drctl-sandbox-secret";

  /** Where the S3 store keeps its buckets (one directory each) in its container. */
  public static final String S3_DATA = "/s3";

  static final String NAME_PREFIX = "drctl-sandbox";
  static final int FIRST_DERIVED_BASE = 21000;
  static final int DERIVED_BLOCKS = 200;
  static final int BLOCK_SIZE = 20;
  private static final Pattern VALID_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final int MAX_NAME_LENGTH = 24;

  public SandboxLayout {
    ports = Map.copyOf(ports);
  }

  /** The default sandbox: the runbook's targets. */
  public static SandboxLayout defaults() {
    Map<Role, Integer> ports = new EnumMap<>(Role.class);
    ports.put(Role.PRIMARY, 55432);
    ports.put(Role.REPLICA, 55433);
    ports.put(Role.REDIS, 56379);
    ports.put(Role.BACKEND, 58000);
    ports.put(Role.STAGING, 55434);
    ports.put(Role.REGISTRY, 58081);
    ports.put(Role.PAGERDUTY, 58082);
    ports.put(Role.SLACK, 58083);
    ports.put(Role.REDIS_REPLICA, 56381);
    ports.put(Role.SENTINEL_1, 26379);
    ports.put(Role.SENTINEL_2, 26380);
    ports.put(Role.SENTINEL_3, 26381);
    ports.put(Role.PROXY, 58080);
    ports.put(Role.FRONTEND, 58084);
    ports.put(Role.TASK_WORKER, 58085);
    ports.put(Role.PG_SECONDARY, 55435);
    ports.put(Role.REDIS_SECONDARY, 56380);
    ports.put(Role.S3, 59000);
    return new SandboxLayout(DEFAULT_NAME, NAME_PREFIX, 0, ports);
  }

  /**
   * The sandbox called {@code name}; {@value #DEFAULT_NAME} (or {@code null}) is the default one.
   *
   * @param portBase first port of the block, or {@code null} to derive it from the name
   * @throws SandboxException for a malformed name, or a port base out of range
   */
  public static SandboxLayout of(String name, Integer portBase) {
    if (name == null || name.equals(DEFAULT_NAME)) {
      if (portBase != null) {
        throw new SandboxException(
            "--port-base "
                + portBase
                + ": the default sandbox has the runbook's ports;"
                + " give --name too for a sandbox of its own");
      }
      return defaults();
    }
    if (name.length() > MAX_NAME_LENGTH || !VALID_NAME.matcher(name).matches()) {
      throw new SandboxException(
          "--name '"
              + name
              + "': use lower-case letters, digits and single '-', starting with"
              + " a letter, at most "
              + MAX_NAME_LENGTH
              + " characters");
    }
    int base = portBase != null ? portBase : derivedPortBase(name);
    if (base < 1024 || base + Role.values().length - 1 > 65535) {
      throw new SandboxException(
          "--port-base " + base + ": must be between 1024 and " + (65536 - Role.values().length));
    }
    Map<Role, Integer> ports = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      ports.put(role, base + role.ordinal());
    }
    return new SandboxLayout(name, NAME_PREFIX + "-" + name, base, ports);
  }

  /**
   * The port block of a named sandbox: one of {@value #DERIVED_BLOCKS} blocks of {@value
   * #BLOCK_SIZE} ports from {@value #FIRST_DERIVED_BASE}, chosen by the CRC-32 of the name, so a
   * name always gets the same ports and never the default sandbox's. The blocks lie below Linux's
   * ephemeral range (32768-60999): a port there can be held for a minute by the TIME_WAIT of any
   * client connection that happened to use it as its source port.
   */
  public static int derivedPortBase(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return FIRST_DERIVED_BASE + (int) (crc.getValue() % DERIVED_BLOCKS) * BLOCK_SIZE;
  }

  public boolean isDefault() {
    return name.equals(DEFAULT_NAME);
  }

  public int port(Role role) {
    return ports.get(role);
  }

  /** The container name of a role, e.g. {@code drctl-sandbox-postgres-replica}. */
  public String container(Role role) {
    return prefix + "-" + role.suffix();
  }

  /** The primary's data volume, as the runbook's pg-primary target names it. */
  public String primaryVolume() {
    return container(Role.PRIMARY) + "-data";
  }

  /** The WAL archive volume, mounted at {@value #WAL_ARCHIVE}. */
  public String walArchiveVolume() {
    return container(Role.PRIMARY) + "-wal-archive";
  }

  public String replicaVolume() {
    return container(Role.REPLICA) + "-data";
  }

  public String redisVolume() {
    return container(Role.REDIS) + "-data";
  }

  public String redisReplicaVolume() {
    return container(Role.REDIS_REPLICA) + "-data";
  }

  /** The secondary site's PostgreSQL data volume, as the runbook's pg-secondary target names it. */
  public String secondaryVolume() {
    return container(Role.PG_SECONDARY) + "-data";
  }

  public String redisSecondaryVolume() {
    return container(Role.REDIS_SECONDARY) + "-data";
  }

  /** The S3 store's buckets, mounted at {@value #S3_DATA}. */
  public String s3Volume() {
    return container(Role.S3) + "-data";
  }

  /** The front proxy's URL: what users reach (the runbook's site target). */
  public String siteUrl() {
    return "http://127.0.0.1:" + port(Role.PROXY);
  }

  /** The S3 store's endpoint, as the runbook's backups-s3 target gives it. */
  public String s3Endpoint() {
    return "http://127.0.0.1:" + port(Role.S3);
  }

  /** Staging's data volume, as the runbook's pg-staging target names it. */
  public String stagingVolume() {
    return container(Role.STAGING) + "-data";
  }

  /** The registry's records, mounted at {@value #RECORDS} (read-only in the backend). */
  public String registryVolume() {
    return container(Role.REGISTRY) + "-data";
  }

  /** The messages both notification sinks received, mounted at {@value #NOTIFICATIONS}. */
  public String notificationsVolume() {
    return prefix + "-notifications";
  }

  /** A notification sink's base URL (PagerDuty's events go to {@code /v2/enqueue} under it). */
  public String sinkUrl(Role role) {
    return "http://127.0.0.1:" + port(role);
  }

  /** The registry's base URL, as the runbook's dns-webhook target gives it. */
  public String registryUrl() {
    return "http://127.0.0.1:" + port(Role.REGISTRY);
  }

  /** The backend's health URL, as the runbook's backend target gives it. */
  public String healthUrl() {
    return backendUrl() + "/api/system/health/";
  }

  public String backendUrl() {
    return "http://127.0.0.1:" + port(Role.BACKEND);
  }

  /** JDBC URL of a PostgreSQL role's database. */
  public String jdbcUrl(Role role, String database) {
    return "jdbc:postgresql://127.0.0.1:" + port(role) + "/" + database;
  }
}
