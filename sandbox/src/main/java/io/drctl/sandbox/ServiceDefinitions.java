package io.drctl.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sandbox's containers as {@link ServiceSpec}s. Commands use only what the sandbox image
 * and the official {@code postgres:15} and {@code redis:7} images share: {@code sh}, {@code
 * setpriv} (util-linux), the {@code postgres} and {@code redis} users, the servers on {@code PATH}.
 * Each container starts as root, prepares its volume, and runs its server as the service user.
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
      "test -f " + SandboxLayout.WAL_ARCHIVE + "/%f || (cp %p " + SandboxLayout.WAL_ARCHIVE + "/%f.part && mv "
          + SandboxLayout.WAL_ARCHIVE + "/%f.part " + SandboxLayout.WAL_ARCHIVE + "/%f)";

  /** The fallback {@code restore_command}: the counterpart of {@link #ARCHIVE_COMMAND}. */
  public static final String RESTORE_COMMAND = "cp " + SandboxLayout.WAL_ARCHIVE + "/%f %p";

  /** The path the front proxy answers itself, 200 {@code ok}, whatever is behind it. */
  public static final String PROXY_HEALTH = "/nginx-health";

  /** The file the task worker touches at each turn of its loop that reached Redis ({@code tasks.py}). */
  static final String TASK_WORKER_ALIVE = "/tmp/drctl-task-worker.alive";

  /** Where the S3Proxy jar is mounted in the S3 store's container. */
  static final String S3PROXY_JAR = "/opt/s3proxy/s3proxy.jar";

  /** The file the sandbox's settings live in, inside the data directory, included from postgresql.conf. */
  static final String SETTINGS_FILE = "drctl-sandbox.conf";

  private static final String AS_POSTGRES = "setpriv --reuid=postgres --regid=postgres --init-groups ";
  private static final String AS_REDIS = "setpriv --reuid=redis --regid=redis --init-groups ";
  private static final Duration POSTGRES_WAIT = Duration.ofSeconds(120);
  private static final Duration REDIS_WAIT = Duration.ofSeconds(60);
  private static final Duration BACKEND_WAIT = Duration.ofSeconds(60);

  private final SandboxLayout layout;
  private final SandboxImages images;
  private final WalArchiving archiving;

  /** Services that archive WAL by copying it into the archive volume. */
  public ServiceDefinitions(SandboxLayout layout, SandboxImages images) {
    this(layout, images, WalArchiving.volumeCopy());
  }

  public ServiceDefinitions(SandboxLayout layout, SandboxImages images, WalArchiving archiving) {
    this.layout = layout;
    this.images = images;
    this.archiving = archiving;
  }

  public ServiceSpec of(Role role) {
    return switch (role) {
      case PRIMARY -> primary();
      case REPLICA -> replica();
      case REDIS -> redis();
      case BACKEND -> backend();
      case STAGING -> staging();
      case REGISTRY -> registry();
      case PAGERDUTY -> sink(Role.PAGERDUTY, "pagerduty");
      case SLACK -> sink(Role.SLACK, "slack");
      case REDIS_REPLICA -> redisReplica();
      case SENTINEL_1, SENTINEL_2, SENTINEL_3 -> sentinel(role);
      case PROXY -> proxy();
      case FRONTEND -> frontend();
      case TASK_WORKER -> taskWorker();
      case PG_SECONDARY -> restoreTarget(Role.PG_SECONDARY, layout.secondaryVolume());
      case REDIS_SECONDARY -> redisServer(Role.REDIS_SECONDARY, layout.redisSecondaryVolume(), "");
      case S3 -> s3();
    };
  }

  /** Everything the primary's data directory needs beyond initdb's defaults, archiving into the volume. */
  static String primaryConfiguration() {
    return configuration(ARCHIVE_COMMAND, RESTORE_COMMAND);
  }

  /** The settings of both servers with this sandbox's archiving. */
  String configuration() {
    return archiving.throughDrctl()
        ? configuration(WalArchiving.pushCommand(), WalArchiving.fetchCommand())
        : primaryConfiguration();
  }

  /**
   * The settings both servers share. restore_command matters only in recovery: on the replica (WAL
   * the walreceiver can no longer get from the primary's slot) and after a point-in-time restore.
   */
  private static String configuration(String archiveCommand, String restoreCommand) {
    return String.join("\n",
        "# drctl sandbox: rewritten at every start of the container",
        "wal_level = replica",
        "archive_mode = on",
        "archive_command = '" + archiveCommand.replace("'", "''") + "'",
        "restore_command = '" + restoreCommand.replace("'", "''") + "'",
        "archive_timeout = 300",
        "max_wal_senders = 10",
        "max_replication_slots = 10",
        "hot_standby = on",
        "max_connections = 200",
        "track_commit_timestamp = on",
        // pg_rewind needs it (or data checksums) to rejoin a failed primary as a standby, and the
        // failed primary's own WAL back to the last checkpoint both servers share.
        "wal_log_hints = on",
        "wal_keep_size = 256MB",
        "timezone = 'UTC'",
        "log_timezone = 'UTC'",
        "");
  }

  /**
   * Staging's settings: no archiving at all (its WAL must never reach production's archive) and no
   * restore_command; {@code postgres.pitr} writes its own into postgresql.auto.conf.
   */
  static String stagingConfiguration() {
    return String.join("\n",
        "# drctl sandbox staging: rewritten at every start of the container",
        "wal_level = replica",
        "archive_mode = off",
        "max_wal_senders = 10",
        "max_replication_slots = 10",
        "hot_standby = on",
        "max_connections = 200",
        "track_commit_timestamp = on",
        "timezone = 'UTC'",
        "log_timezone = 'UTC'",
        "");
  }

  private ServiceSpec primary() {
    int port = layout.port(Role.PRIMARY);
    String data = SandboxLayout.PG_DATA;
    String script = String.join("\n",
        "set -e",
        prepareDirectories(data, archiveDirectories(archiving)),
        "if [ ! -f " + data + "/PG_VERSION ]; then",
        "  echo 'drctl sandbox: initialising the primary in " + data + "'",
        "  find " + data + " -mindepth 1 -delete",
        "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pwfile && chown postgres /tmp/pwfile",
        "  " + AS_POSTGRES + "initdb -D " + data + " -U postgres --pwfile=/tmp/pwfile -E UTF8 --locale=C"
            + " --auth-local=trust --auth-host=scram-sha-256",
        "  rm -f /tmp/pwfile",
        // As the seed's compose file does (POSTGRES_DB): a new primary, e.g. on a replaced volume,
        // has the empty application database that a restore goes into.
        "  echo 'CREATE DATABASE " + SandboxLayout.DATABASE + "' | " + AS_POSTGRES + "postgres --single -D " + data
            + " postgres > /dev/null",
        "fi",
        configure(data, configuration()),
        "exec " + AS_POSTGRES + "postgres -D " + data + " -c port=" + port + " -c listen_addresses=127.0.0.1");
    return new ServiceSpec(Role.PRIMARY, layout.container(Role.PRIMARY), images.of(Role.PRIMARY), script,
        postgresEnvironment(port), postgresVolumes(layout.primaryVolume()), pgIsReady(port), "SIGINT", POSTGRES_WAIT,
        archiving.binds());
  }

  private ServiceSpec replica() {
    int port = layout.port(Role.REPLICA);
    String data = SandboxLayout.PG_DATA;
    String script = String.join("\n",
        "set -e",
        prepareDirectories(data, archiveDirectories(archiving)),
        "if [ ! -f " + data + "/PG_VERSION ]; then",
        "  echo 'drctl sandbox: base backup of the primary on port " + layout.port(Role.PRIMARY) + " into " + data + "'",
        "  find " + data + " -mindepth 1 -delete",
        "  " + AS_POSTGRES + "pg_basebackup -h 127.0.0.1 -p " + layout.port(Role.PRIMARY) + " -U postgres -D " + data
            + " -R -S " + SandboxLayout.REPLICATION_SLOT + " -X stream --checkpoint=fast",
        "fi",
        configure(data, configuration()),
        "exec " + AS_POSTGRES + "postgres -D " + data + " -c port=" + port
            + " -c listen_addresses=127.0.0.1 -c hot_standby=on");
    return new ServiceSpec(Role.REPLICA, layout.container(Role.REPLICA), images.of(Role.REPLICA), script,
        postgresEnvironment(port), postgresVolumes(layout.replicaVolume()), pgIsReady(port), "SIGINT", POSTGRES_WAIT,
        archiving.binds());
  }

  /** The data volume, and the WAL archive volume unless WAL goes through drctl into the store. */
  private Map<String, String> postgresVolumes(String dataVolume) {
    Map<String, String> volumes = new LinkedHashMap<>();
    volumes.put(dataVolume, SandboxLayout.PG_DATA);
    if (!archiving.throughDrctl()) {
      volumes.put(layout.walArchiveVolume(), SandboxLayout.WAL_ARCHIVE);
    }
    return volumes;
  }

  /**
   * Writes the sandbox's settings on every start, so a data directory is configured whatever
   * happened to it (initdb, base backup, restore): the settings file, its include, and the
   * replication line of pg_hba.conf. ALTER SYSTEM still overrides them.
   */
  private static String configure(String data, String settings) {
    return String.join("\n",
        "cat > " + data + "/" + SETTINGS_FILE + " <<'EOF'",
        settings + "EOF",
        "chown postgres:postgres " + data + "/" + SETTINGS_FILE,
        "grep -q \"include_if_exists = '" + SETTINGS_FILE + "'\" " + data + "/postgresql.conf"
            + " || echo \"include_if_exists = '" + SETTINGS_FILE + "'\" >> " + data + "/postgresql.conf",
        "grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127[.]0[.]0[.]1/32' " + data + "/pg_hba.conf"
            + " || echo 'host replication all 127.0.0.1/32 scram-sha-256' >> " + data + "/pg_hba.conf");
  }

  private ServiceSpec redis() {
    return redisServer(Role.REDIS, layout.redisVolume(), "");
  }

  /**
   * The master's replica, with the same persistence: it syncs from the master on every start (a
   * replica that Sentinel promoted starts as a replica again, and Sentinel sorts it out).
   */
  private ServiceSpec redisReplica() {
    return redisServer(Role.REDIS_REPLICA, layout.redisReplicaVolume(),
        " --replicaof 127.0.0.1 " + layout.port(Role.REDIS));
  }

  /**
   * A Redis server on the role's port with AOF everysec, 512 MB LRU and {@code more} options. Both
   * servers carry masterauth: either may be made the other's replica (by Sentinel, or by
   * redis.sentinelFailover).
   */
  private ServiceSpec redisServer(Role role, String volume, String more) {
    int port = layout.port(role);
    String data = SandboxLayout.REDIS_DATA;
    String script = String.join("\n",
        "set -e",
        "mkdir -p " + data + " && chown redis:redis " + data,
        "exec " + AS_REDIS + "redis-server --port " + port + " --bind 127.0.0.1 --dir " + data
            + " --requirepass \"$REDISCLI_AUTH\" --masterauth \"$REDISCLI_AUTH\""
            + " --appendonly yes --appendfsync everysec"
            + " --maxmemory 512mb --maxmemory-policy allkeys-lru" + more);
    // redis-cli reads its password from REDISCLI_AUTH, so the health check and docker exec need no -a.
    return new ServiceSpec(role, layout.container(role), images.of(role), script,
        Map.of("REDISCLI_AUTH", SandboxLayout.REDIS_PASSWORD), Map.of(volume, data),
        "redis-cli -h 127.0.0.1 -p " + port + " ping | grep -q PONG", "SIGTERM", REDIS_WAIT);
  }

  /**
   * A Redis Sentinel monitoring the master as {@value SandboxLayout#REDIS_MASTER_NAME} with quorum
   * {@value SandboxLayout#SENTINEL_QUORUM} and a down-after of {@value
   * SandboxLayout#SENTINEL_DOWN_AFTER_MILLIS} ms. Its configuration (which Sentinel rewrites as it
   * learns) is written anew at every start, in the container: a recreated Sentinel monitors the
   * port the master started on and learns a later failover from the others. It needs no password.
   */
  private ServiceSpec sentinel(Role role) {
    int port = layout.port(role);
    String name = SandboxLayout.REDIS_MASTER_NAME;
    String configuration = String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "dir /tmp",
        "sentinel resolve-hostnames no",
        "sentinel monitor " + name + " 127.0.0.1 " + layout.port(Role.REDIS) + " " + SandboxLayout.SENTINEL_QUORUM,
        "sentinel auth-pass " + name + " " + SandboxLayout.REDIS_PASSWORD,
        "sentinel down-after-milliseconds " + name + " " + SandboxLayout.SENTINEL_DOWN_AFTER_MILLIS,
        "sentinel failover-timeout " + name + " 10000",
        "sentinel parallel-syncs " + name + " 1",
        "");
    String script = String.join("\n",
        "set -e",
        "cat > /tmp/sentinel.conf <<'EOF'",
        configuration + "EOF",
        "chown redis:redis /tmp/sentinel.conf",
        "exec " + AS_REDIS + "redis-sentinel /tmp/sentinel.conf");
    return new ServiceSpec(role, layout.container(role), images.of(role), script, Map.of(), Map.of(),
        "redis-cli -h 127.0.0.1 -p " + port + " ping | grep -q PONG", "SIGTERM", REDIS_WAIT);
  }

  private ServiceSpec backend() {
    Map<String, String> environment = applicationEnvironment();
    environment.put("BACKEND_REDIS_HEARTBEAT", SandboxLayout.REDIS_HEARTBEAT_KEY);
    return new ServiceSpec(Role.BACKEND, layout.container(Role.BACKEND), images.of(Role.BACKEND),
        "exec python3 " + SandboxImages.BACKEND_APP, environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS + ServiceSpec.READ_ONLY),
        "python3 " + SandboxImages.BACKEND_APP + " --check", "SIGTERM", BACKEND_WAIT);
  }

  /**
   * The seed's Celery worker ({@code app.py --worker}): the backend's settings, so it follows the
   * registry's records to the same database and Redis; its port answers its own health.
   */
  private ServiceSpec taskWorker() {
    Map<String, String> environment = applicationEnvironment();
    environment.put("WORKER_PORT", String.valueOf(layout.port(Role.TASK_WORKER)));
    return new ServiceSpec(Role.TASK_WORKER, layout.container(Role.TASK_WORKER), images.of(Role.TASK_WORKER),
        "exec python3 " + SandboxImages.BACKEND_APP + " --worker", environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS + ServiceSpec.READ_ONLY),
        "test -n \"$(find " + TASK_WORKER_ALIVE + " -newermt '-10 seconds' 2>/dev/null)\"", "SIGTERM",
        BACKEND_WAIT);
  }

  /** The frontend's static files ({@code app.py --frontend}); users reach it through the proxy. */
  private ServiceSpec frontend() {
    return new ServiceSpec(Role.FRONTEND, layout.container(Role.FRONTEND), images.of(Role.FRONTEND),
        "exec python3 " + SandboxImages.BACKEND_APP + " --frontend",
        Map.of("FRONTEND_PORT", String.valueOf(layout.port(Role.FRONTEND))), Map.of(),
        listening(layout.port(Role.FRONTEND)), "SIGTERM", BACKEND_WAIT);
  }

  /**
   * The front proxy: nginx (nginx-light) with {@code /api/} to the backend and the rest to the
   * frontend, and {@value #PROXY_HEALTH} answered by nginx itself, so that its health does not hang
   * on what is behind it. The configuration is written at every start.
   */
  private ServiceSpec proxy() {
    int port = layout.port(Role.PROXY);
    String configuration = String.join("\n",
        "worker_processes 1;",
        "pid /tmp/nginx.pid;",
        "error_log stderr warn;",
        "events { worker_connections 512; }",
        "http {",
        "  access_log /dev/stdout;",
        "  client_body_temp_path /tmp/nginx-body;",
        "  proxy_temp_path /tmp/nginx-proxy;",
        "  fastcgi_temp_path /tmp/nginx-fastcgi;",
        "  uwsgi_temp_path /tmp/nginx-uwsgi;",
        "  scgi_temp_path /tmp/nginx-scgi;",
        "  client_max_body_size 64k;",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    location = " + PROXY_HEALTH + " { return 200 \"ok\\n\"; }",
        "    location /api/ {",
        "      proxy_pass http://127.0.0.1:" + layout.port(Role.BACKEND) + ";",
        "      proxy_read_timeout 75s;",
        "      proxy_set_header Host $host;",
        "      proxy_set_header X-Forwarded-For $remote_addr;",
        "    }",
        "    location / { proxy_pass http://127.0.0.1:" + layout.port(Role.FRONTEND) + "; }",
        "  }",
        "}",
        "");
    String script = String.join("\n",
        "set -e",
        "cat > /tmp/nginx.conf <<'EOF'",
        configuration + "EOF",
        "exec nginx -e stderr -p /tmp -c /tmp/nginx.conf -g 'daemon off;'");
    return new ServiceSpec(Role.PROXY, layout.container(Role.PROXY), images.of(Role.PROXY), script, Map.of(), Map.of(),
        listening(port), "SIGQUIT", BACKEND_WAIT);
  }

  /**
   * The off-site S3 store: S3Proxy with its filesystem backend on the volume, run by the host's JDK
   * (read-only at {@value WalArchiving#CONTAINER_JAVA}) from the S3Proxy jar (read-only at {@value
   * #S3PROXY_JAR}); the bucket {@value SandboxLayout#S3_BUCKET} is a directory made at every start.
   */
  private ServiceSpec s3() {
    int port = layout.port(Role.S3);
    String properties = String.join("\n",
        "s3proxy.endpoint=" + layout.s3Endpoint(),
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + SandboxLayout.S3_ACCESS_KEY,
        "s3proxy.credential=" + SandboxLayout.S3_SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + SandboxLayout.S3_DATA,
        "");
    String script = String.join("\n",
        "set -e",
        "mkdir -p " + SandboxLayout.S3_DATA + "/" + SandboxLayout.S3_BUCKET,
        "cat > /tmp/s3proxy.properties <<'EOF'",
        properties + "EOF",
        "exec " + WalArchiving.CONTAINER_JAVA + "/bin/java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -jar " + S3PROXY_JAR + " --properties /tmp/s3proxy.properties");
    java.util.List<ServiceSpec.Bind> binds = new java.util.ArrayList<>(WalArchiving.javaBinds(archiving.javaHome()));
    binds.add(new ServiceSpec.Bind(S3ProxyJar.locate().toString(), S3PROXY_JAR, true));
    return new ServiceSpec(Role.S3, layout.container(Role.S3), images.of(Role.S3), script, Map.of(),
        Map.of(layout.s3Volume(), SandboxLayout.S3_DATA), listening(port), "SIGTERM", BACKEND_WAIT, binds);
  }

  /**
   * A health command that succeeds while something accepts connections on {@code port}: no Python
   * process every 2 s for the services whose own state is not in question (the front proxy, the
   * frontend; the runbook's targets probe their URLs).
   */
  private static String listening(int port) {
    return "nc -z 127.0.0.1 " + port;
  }

  /** The database and Redis settings the backend and the task worker share. */
  private Map<String, String> applicationEnvironment() {
    int port = layout.port(Role.BACKEND);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("BACKEND_PORT", String.valueOf(port));
    environment.put("PGHOST", "127.0.0.1");
    environment.put("PGPORT", String.valueOf(layout.port(Role.PRIMARY)));
    environment.put("PGDATABASE", SandboxLayout.DATABASE);
    environment.put("PGUSER", SandboxLayout.USER);
    environment.put("PGPASSWORD", SandboxLayout.PASSWORD);
    environment.put("REDIS_HOST", "127.0.0.1");
    environment.put("REDIS_PORT", String.valueOf(layout.port(Role.REDIS)));
    environment.put("REDIS_PASSWORD", SandboxLayout.REDIS_PASSWORD);
    environment.put("BACKEND_RECORDS", SandboxLayout.RECORDS);
    return environment;
  }

  /**
   * PostgreSQL 15 beside production: initialised (empty) on first start, never over a data directory
   * that holds anything (after {@code postgres.pitr} it holds a recovered copy, which it starts).
   * Not archiving; no backup store, no WAL archive volume.
   */
  private ServiceSpec staging() {
    return restoreTarget(Role.STAGING, layout.stagingVolume());
  }

  /**
   * A PostgreSQL server that restores go into (staging, the secondary site's): initialised empty on
   * first start, never archiving.
   */
  private ServiceSpec restoreTarget(Role role, String volume) {
    int port = layout.port(role);
    String data = SandboxLayout.PG_DATA;
    String script = String.join("\n",
        "set -e",
        prepareDirectories(data, ""),
        "if [ ! -f " + data + "/PG_VERSION ]; then",
        "  if [ -n \"$(ls -A " + data + ")\" ]; then",
        "    echo 'drctl sandbox: " + data + " (volume " + volume + ") is not empty but holds no"
            + " PG_VERSION; refusing to initialise over it (remove the volume for a fresh " + role + " server)' >&2",
        "    exit 1",
        "  fi",
        "  echo 'drctl sandbox: initialising " + role + " in " + data + "'",
        "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pwfile && chown postgres /tmp/pwfile",
        "  " + AS_POSTGRES + "initdb -D " + data + " -U postgres --pwfile=/tmp/pwfile -E UTF8 --locale=C"
            + " --auth-local=trust --auth-host=scram-sha-256",
        "  rm -f /tmp/pwfile",
        "fi",
        configure(data, stagingConfiguration()),
        "exec " + AS_POSTGRES + "postgres -D " + data + " -c port=" + port + " -c listen_addresses=127.0.0.1");
    return new ServiceSpec(role, layout.container(role), images.of(role), script,
        postgresEnvironment(port), Map.of(volume, data), pgIsReady(port), "SIGINT", POSTGRES_WAIT);
  }

  /**
   * The registry ({@code app.py --registry}): service records as JSON files on its volume, which the
   * backend mounts read-only; writes need {@link SandboxLayout#REGISTRY_TOKEN}. A zone switch points
   * the postgres and redis records at the primary or the secondary site.
   */
  private ServiceSpec registry() {
    int port = layout.port(Role.REGISTRY);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("REGISTRY_PORT", String.valueOf(port));
    environment.put("REGISTRY_RECORDS", SandboxLayout.RECORDS);
    environment.put("REGISTRY_TOKEN", SandboxLayout.REGISTRY_TOKEN);
    // A zone switch (POST /records/switch, datacenter_failure and its fail-back) chooses between these.
    environment.put("REGISTRY_PRIMARY_POSTGRES", "127.0.0.1:" + layout.port(Role.PRIMARY));
    environment.put("REGISTRY_PRIMARY_REDIS", "127.0.0.1:" + layout.port(Role.REDIS));
    environment.put("REGISTRY_SECONDARY_POSTGRES", "127.0.0.1:" + layout.port(Role.PG_SECONDARY));
    environment.put("REGISTRY_SECONDARY_REDIS", "127.0.0.1:" + layout.port(Role.REDIS_SECONDARY));
    return new ServiceSpec(Role.REGISTRY, layout.container(Role.REGISTRY), images.of(Role.REGISTRY),
        "exec python3 " + SandboxImages.BACKEND_APP + " --registry", environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS),
        "python3 " + SandboxImages.BACKEND_APP + " --registry --check", "SIGTERM", BACKEND_WAIT);
  }

  /**
   * A notification sink ({@code sink.py}): the Slack or PagerDuty stand-in on the role's port,
   * checking {@link SandboxLayout#NOTIFY_TOKEN} and keeping what it receives on the notifications
   * volume, which both sinks share.
   */
  private ServiceSpec sink(Role role, String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SINK_SERVICE", service);
    environment.put("SINK_PORT", String.valueOf(layout.port(role)));
    environment.put("SINK_MESSAGES", SandboxLayout.NOTIFICATIONS);
    environment.put("SINK_TOKEN", SandboxLayout.NOTIFY_TOKEN);
    return new ServiceSpec(role, layout.container(role), images.of(role), "exec python3 " + SandboxImages.SINK_APP,
        environment, Map.of(layout.notificationsVolume(), SandboxLayout.NOTIFICATIONS),
        "python3 " + SandboxImages.SINK_APP + " --check", "SIGTERM", BACKEND_WAIT);
  }

  /**
   * PGPORT and PGUSER let {@code docker exec CONTAINER psql} reach the server over its socket
   * without options; PGPASSWORD is what pg_basebackup and the walreceiver authenticate with.
   */
  private static Map<String, String> postgresEnvironment(int port) {
    return Map.of("PGPASSWORD", SandboxLayout.PASSWORD, "PGDATA", SandboxLayout.PG_DATA,
        "PGPORT", String.valueOf(port), "PGUSER", SandboxLayout.USER);
  }

  /**
   * Volumes start owned by root; PostgreSQL wants its data directory 0700 and its own. The store's
   * root and WAL prefix must be the postgres user's, whose uid is the image's (101 in Debian's).
   */
  private static String prepareDirectories(String data, String more) {
    return String.join("\n",
        "mkdir -p " + data + more + " /var/run/postgresql",
        "chown postgres:postgres " + data + more + " /var/run/postgresql",
        "chmod 0700 " + data);
  }

  /** The archive volume's mount point and the store's directories, each with a leading space. */
  private static String archiveDirectories(WalArchiving archiving) {
    String archive = archiving.throughDrctl() ? "" : " " + SandboxLayout.WAL_ARCHIVE;
    String store = archiving.backups() == null ? "" : " " + String.join(" ", WalArchiving.writableDirectories());
    return archive + store;
  }

  private static String pgIsReady(int port) {
    return "pg_isready -q -h 127.0.0.1 -p " + port + " -U postgres -d postgres";
  }
}
