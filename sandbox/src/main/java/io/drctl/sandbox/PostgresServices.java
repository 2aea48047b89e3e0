package io.drctl.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sandbox's PostgreSQL servers as {@link ServiceSpec}s: the primary and its streaming replica,
 * which archive WAL, and the restore targets (staging, the secondary site's server), which never
 * do. Each container starts as root, prepares its data directory and runs {@code postgres} as the
 * postgres user; the sandbox's settings are rewritten at every start.
 */
final class PostgresServices {
  /**
   * The file the sandbox's settings live in, inside the data directory, included from
   * postgresql.conf.
   */
  static final String SETTINGS_FILE = "drctl-sandbox.conf";

  private static final String AS_POSTGRES =
      "setpriv --reuid=postgres --regid=postgres --init-groups ";
  private static final Duration POSTGRES_WAIT = Duration.ofSeconds(120);

  private final SandboxLayout layout;
  private final SandboxImages images;
  private final WalArchiving archiving;

  PostgresServices(SandboxLayout layout, SandboxImages images, WalArchiving archiving) {
    this.layout = layout;
    this.images = images;
    this.archiving = archiving;
  }

  /**
   * Everything the primary's data directory needs beyond initdb's defaults, archiving into the
   * volume.
   */
  static String primaryConfiguration() {
    return configuration(ServiceDefinitions.ARCHIVE_COMMAND, ServiceDefinitions.RESTORE_COMMAND);
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
    return String.join(
        "\n",
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
    return String.join(
        "\n",
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

  ServiceSpec primary() {
    int port = layout.port(Role.PRIMARY);
    String data = SandboxLayout.PG_DATA;
    String script =
        String.join(
            "\n",
            "set -e",
            prepareDirectories(data, archiveDirectories(archiving)),
            "if [ ! -f " + data + "/PG_VERSION ]; then",
            "  echo 'drctl sandbox: initialising the primary in " + data + "'",
            "  find " + data + " -mindepth 1 -delete",
            "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pwfile && chown postgres /tmp/pwfile",
            "  "
                + AS_POSTGRES
                + "initdb -D "
                + data
                + " -U postgres --pwfile=/tmp/pwfile -E UTF8 --locale=C"
                + " --auth-local=trust --auth-host=scram-sha-256",
            "  rm -f /tmp/pwfile",
            // As the seed's compose file does (POSTGRES_DB): a new primary, e.g. on a replaced
            // volume,
            // has the empty application database that a restore goes into.
            "  echo 'CREATE DATABASE "
                + SandboxLayout.DATABASE
                + "' | "
                + AS_POSTGRES
                + "postgres --single -D "
                + data
                + " postgres > /dev/null",
            "fi",
            configure(data, configuration()),
            "exec "
                + AS_POSTGRES
                + "postgres -D "
                + data
                + " -c port="
                + port
                + " -c listen_addresses=127.0.0.1");
    return new ServiceSpec(
        Role.PRIMARY,
        layout.container(Role.PRIMARY),
        images.of(Role.PRIMARY),
        script,
        postgresEnvironment(port),
        postgresVolumes(layout.primaryVolume()),
        pgIsReady(port),
        "SIGINT",
        POSTGRES_WAIT,
        archiving.binds());
  }

  ServiceSpec replica() {
    int port = layout.port(Role.REPLICA);
    String data = SandboxLayout.PG_DATA;
    String script =
        String.join(
            "\n",
            "set -e",
            prepareDirectories(data, archiveDirectories(archiving)),
            "if [ ! -f " + data + "/PG_VERSION ]; then",
            "  echo 'drctl sandbox: base backup of the primary on port "
                + layout.port(Role.PRIMARY)
                + " into "
                + data
                + "'",
            "  find " + data + " -mindepth 1 -delete",
            "  "
                + AS_POSTGRES
                + "pg_basebackup -h 127.0.0.1 -p "
                + layout.port(Role.PRIMARY)
                + " -U postgres -D "
                + data
                + " -R -S "
                + SandboxLayout.REPLICATION_SLOT
                + " -X stream --checkpoint=fast",
            "fi",
            configure(data, configuration()),
            "exec "
                + AS_POSTGRES
                + "postgres -D "
                + data
                + " -c port="
                + port
                + " -c listen_addresses=127.0.0.1 -c hot_standby=on");
    return new ServiceSpec(
        Role.REPLICA,
        layout.container(Role.REPLICA),
        images.of(Role.REPLICA),
        script,
        postgresEnvironment(port),
        postgresVolumes(layout.replicaVolume()),
        pgIsReady(port),
        "SIGINT",
        POSTGRES_WAIT,
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
    return String.join(
        "\n",
        "cat > " + data + "/" + SETTINGS_FILE + " <<'EOF'",
        settings + "EOF",
        "chown postgres:postgres " + data + "/" + SETTINGS_FILE,
        "grep -q \"include_if_exists = '"
            + SETTINGS_FILE
            + "'\" "
            + data
            + "/postgresql.conf"
            + " || echo \"include_if_exists = '"
            + SETTINGS_FILE
            + "'\" >> "
            + data
            + "/postgresql.conf",
        "grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127[.]0[.]0[.]1/32' "
            + data
            + "/pg_hba.conf"
            + " || echo 'host replication all 127.0.0.1/32 scram-sha-256' >> "
            + data
            + "/pg_hba.conf");
  }

  /**
   * PostgreSQL 15 beside production: initialised (empty) on first start, never over a data
   * directory that holds anything (after {@code postgres.pitr} it holds a recovered copy, which it
   * starts). Not archiving; no backup store, no WAL archive volume.
   */
  ServiceSpec staging() {
    return restoreTarget(Role.STAGING, layout.stagingVolume());
  }

  /** The secondary site's PostgreSQL server: a restore target on its own volume. */
  ServiceSpec secondary() {
    return restoreTarget(Role.PG_SECONDARY, layout.secondaryVolume());
  }

  /**
   * A PostgreSQL server that restores go into (staging, the secondary site's): initialised empty on
   * first start, never archiving.
   */
  private ServiceSpec restoreTarget(Role role, String volume) {
    int port = layout.port(role);
    String data = SandboxLayout.PG_DATA;
    String script =
        String.join(
            "\n",
            "set -e",
            prepareDirectories(data, ""),
            "if [ ! -f " + data + "/PG_VERSION ]; then",
            "  if [ -n \"$(ls -A " + data + ")\" ]; then",
            "    echo 'drctl sandbox: "
                + data
                + " (volume "
                + volume
                + ") is not empty but holds no"
                + " PG_VERSION; refusing to initialise over it (remove the volume for a fresh "
                + role
                + " server)' >&2",
            "    exit 1",
            "  fi",
            "  echo 'drctl sandbox: initialising " + role + " in " + data + "'",
            "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pwfile && chown postgres /tmp/pwfile",
            "  "
                + AS_POSTGRES
                + "initdb -D "
                + data
                + " -U postgres --pwfile=/tmp/pwfile -E UTF8 --locale=C"
                + " --auth-local=trust --auth-host=scram-sha-256",
            "  rm -f /tmp/pwfile",
            "fi",
            configure(data, stagingConfiguration()),
            "exec "
                + AS_POSTGRES
                + "postgres -D "
                + data
                + " -c port="
                + port
                + " -c listen_addresses=127.0.0.1");
    return new ServiceSpec(
        role,
        layout.container(role),
        images.of(role),
        script,
        postgresEnvironment(port),
        Map.of(volume, data),
        pgIsReady(port),
        "SIGINT",
        POSTGRES_WAIT);
  }

  /**
   * PGPORT and PGUSER let {@code docker exec CONTAINER psql} reach the server over its socket
   * without options; PGPASSWORD is what pg_basebackup and the walreceiver authenticate with.
   */
  private static Map<String, String> postgresEnvironment(int port) {
    return Map.of(
        "PGPASSWORD",
        SandboxLayout.PASSWORD,
        "PGDATA",
        SandboxLayout.PG_DATA,
        "PGPORT",
        String.valueOf(port),
        "PGUSER",
        SandboxLayout.USER);
  }

  /**
   * Volumes start owned by root; PostgreSQL wants its data directory 0700 and its own. The store's
   * root and WAL prefix must be the postgres user's, whose uid is the image's (101 in Debian's).
   */
  private static String prepareDirectories(String data, String more) {
    return String.join(
        "\n",
        "mkdir -p " + data + more + " /var/run/postgresql",
        "chown postgres:postgres " + data + more + " /var/run/postgresql",
        "chmod 0700 " + data);
  }

  /** The archive volume's mount point and the store's directories, each with a leading space. */
  private static String archiveDirectories(WalArchiving archiving) {
    String archive = archiving.throughDrctl() ? "" : " " + SandboxLayout.WAL_ARCHIVE;
    String store =
        archiving.backups() == null
            ? ""
            : " " + String.join(" ", WalArchiving.writableDirectories());
    return archive + store;
  }

  private static String pgIsReady(int port) {
    return "pg_isready -q -h 127.0.0.1 -p " + port + " -U postgres -d postgres";
  }
}
