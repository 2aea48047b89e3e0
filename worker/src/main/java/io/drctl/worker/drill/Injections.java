package io.drctl.worker.drill;

import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The failures the drill makes, each for real on the sandbox's containers, volumes and servers.
 * Each returns the extra alert labels its scenario's route reads (e.g. the last good moment).
 */
final class Injections {
  /**
   * Rows deleted or damaged by the data-corruption scenarios: chat messages, which nothing
   * references.
   */
  static final String DAMAGED_TABLE = "chat_messages";

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** initdb and a first start: seconds on an idle machine, minutes on a loaded one. */
  private static final Duration NEW_SERVER_WAIT = Duration.ofMinutes(4);

  private Injections() {}

  /** Seed 1: SIGKILL to one service's container. */
  static FailureInjection kill(Role role) {
    return platform -> {
      platform.kill(role);
      return Map.of();
    };
  }

  /**
   * Seed 2A: the primary's container stopped and its data volume wiped; "docker-compose up -d
   * postgres" then makes an empty primary in its place, with the empty application database its
   * image would create.
   */
  static FailureInjection wipeThePrimary() {
    return platform -> {
      SandboxLayout layout = platform.layout();
      platform
          .engine()
          .find(layout.container(Role.PRIMARY))
          .ifPresent(found -> platform.engine().remove(found.getId()));
      platform.engine().removeVolume(layout.primaryVolume());
      platform.engine().ensureVolume(layout.primaryVolume(), layout.name(), "postgres-data");
      platform.sandbox().recreate(Role.PRIMARY, Map.of());
      // The new primary makes the empty application database at its first start (the sandbox's
      // image does, as the seed's does with POSTGRES_DB); the wait is for that database.
      Waits.until(
          () -> {
            try (Connection connection =
                    java.sql.DriverManager.getConnection(
                        layout.jdbcUrl(Role.PRIMARY, "postgres"),
                        SandboxLayout.USER,
                        SandboxLayout.PASSWORD);
                Statement statement = connection.createStatement();
                java.sql.ResultSet exists =
                    statement.executeQuery(
                        "select 1 from pg_database where datname = '"
                            + SandboxLayout.DATABASE
                            + "'")) {
              return exists.next();
            }
          },
          NEW_SERVER_WAIT,
          "the new, empty primary to accept connections with its empty " + SandboxLayout.DATABASE);
      return Map.of();
    };
  }

  /**
   * Seeds 2B and 5: the last good moment noted, then rows of {@link #DAMAGED_TABLE} deleted on the
   * running primary, as a bad migration or a mistaken script would. The alert carries the moment.
   */
  static FailureInjection deleteRows() {
    return platform -> {
      Instant lastGood = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Thread.sleep(1000); // the deletion commits strictly after the noted moment
      try (Connection connection = platform.database(platform.layout().port(Role.PRIMARY));
          Statement statement = connection.createStatement()) {
        int deleted = statement.executeUpdate("delete from " + DAMAGED_TABLE + " where id % 3 = 0");
        if (deleted == 0) {
          throw new IllegalStateException(
              "no row of " + DAMAGED_TABLE + " to delete: is the dataset seeded?");
        }
      }
      return Map.of("until", lastGood.toString(), "tables", DAMAGED_TABLE);
    };
  }

  /**
   * Seed 2C: bytes of a table's data file on the primary's volume overwritten while the server is
   * stopped, then the server started again on the damaged file.
   */
  static FailureInjection corruptADataFile() {
    return platform -> {
      SandboxLayout layout = platform.layout();
      String relation;
      try (Connection connection = platform.database(layout.port(Role.PRIMARY));
          Statement statement = connection.createStatement();
          var rows =
              statement.executeQuery("select pg_relation_filepath('" + DAMAGED_TABLE + "')")) {
        rows.next();
        relation = rows.getString(1);
      }
      platform.engine().kill(layout.container(Role.PRIMARY));
      Path file = volume(platform, layout.primaryVolume()).resolve(relation);
      try (RandomAccessFile data = new RandomAccessFile(file.toFile(), "rw")) {
        byte[] garbage = new byte[8192];
        java.util.Arrays.fill(garbage, (byte) 0x5a);
        data.seek(0);
        data.write(garbage);
      }
      platform.engine().start(layout.container(Role.PRIMARY));
      return Map.of();
    };
  }

  /**
   * Seed 3A: Redis's memory limit lowered and filled, as a session leak would; the limit comes back
   * after.
   */
  static FailureInjection fillTheCache() {
    return platform -> {
      String limit =
          platform
              .redis()
              .redis(Role.REDIS, commands -> commands.configGet("maxmemory").get("maxmemory"));
      platform.afterScenario(
          () ->
              platform
                  .redis()
                  .redis(Role.REDIS, commands -> commands.configSet("maxmemory", limit)));
      platform.redis().redis(Role.REDIS, commands -> commands.configSet("maxmemory", "4mb"));
      String value = "x".repeat(10_000);
      platform
          .redis()
          .redis(
              Role.REDIS,
              commands -> {
                for (int i = 0; i < 600; i++) {
                  commands.set("drill:big:" + i, value);
                }
                return null;
              });
      return Map.of();
    };
  }

  /**
   * Seed 3B: the live AOF's newest increment corrupted, and Redis killed: it refuses the file and
   * exits.
   */
  static FailureInjection corruptTheAof() {
    return platform -> {
      SandboxLayout layout = platform.layout();
      Path increment;
      try (Stream<Path> files =
          Files.list(volume(platform, layout.redisVolume()).resolve("appendonlydir"))) {
        increment =
            files
                .filter(file -> file.getFileName().toString().endsWith(".incr.aof"))
                .max(Comparator.comparing(Path::toString))
                .orElseThrow(
                    () -> new IllegalStateException("no AOF increment in " + layout.redisVolume()));
      }
      try (RandomAccessFile file = new RandomAccessFile(increment.toFile(), "rw")) {
        file.seek(0);
        file.write('X');
      }
      platform.engine().kill(layout.container(Role.REDIS));
      platform.engine().start(layout.container(Role.REDIS));
      Waits.until(
          () ->
              !Boolean.TRUE.equals(
                  platform.engine().inspect(layout.container(Role.REDIS)).getState().getRunning()),
          WAIT,
          "Redis to refuse its corrupted AOF and exit");
      return Map.of();
    };
  }

  /**
   * The cache failover: the replica frozen for a second (so the master's last acknowledged writes
   * are really lost), the master killed, the replica thawed.
   */
  static FailureInjection killTheCacheMaster() {
    return platform -> {
      SandboxLayout layout = platform.layout();
      platform.freeze(Role.REDIS_REPLICA);
      try {
        Thread.sleep(1000);
        platform.kill(Role.REDIS);
      } finally {
        platform.thaw(Role.REDIS_REPLICA);
      }
      return Map.of();
    };
  }

  /**
   * The multi-service row: the database, the cache with its replica and Sentinels, and the backend,
   * all killed.
   */
  static FailureInjection killTheStack() {
    return platform -> {
      for (Role role :
          List.of(
              Role.SENTINEL_1,
              Role.SENTINEL_2,
              Role.SENTINEL_3,
              Role.REDIS_REPLICA,
              Role.PRIMARY,
              Role.REDIS,
              Role.BACKEND)) {
        platform.kill(role);
      }
      return Map.of();
    };
  }

  /**
   * Seed 4A: the schedule's S3 copy of the database made first (the seed copies its backups to S3;
   * the fail-over restores the newest copy, so what it loses is what came after), then every
   * container of the primary site killed at once, as a power loss would.
   */
  static FailureInjection loseThePrimarySite() {
    return platform -> {
      platform.copyToS3();
      for (Role role : Role.PRIMARY_SITE) {
        platform.kill(role);
      }
      return Map.of();
    };
  }

  /**
   * Seed 4B: the primary site back (its containers started again, data first), while the
   * application still serves from the secondary; the fail-back then carries the secondary's writes
   * home.
   */
  static FailureInjection bringThePrimarySiteBack() {
    return platform -> {
      List<Role> dataFirst = new java.util.ArrayList<>(Role.PRIMARY_SITE);
      java.util.Collections.reverse(dataFirst);
      for (Role role : dataFirst) {
        if (!platform.running(role)) {
          platform.engine().start(platform.layout().container(role));
        }
      }
      return Map.of();
    };
  }

  private static Path volume(DrillPlatform platform, String name) {
    return platform.volume(name);
  }
}
