package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis server on the worker's host, stopped and started around a change of its files: SHUTDOWN
 * NOSAVE (nothing of the old dataset is written over the files being put in place), then its own
 * program with its own configuration file, daemonized, with {@code appendonly} given on the
 * command line for this start only. How it is started is read from the running server ({@link
 * #launch}) and kept in the heartbeat, so that a retry after a crash that left it stopped can
 * start it again.
 */
final class LocalServer {
  private final RedisConnector connector;
  private final RedisTools tools;
  private final RedisHeartbeat heartbeat;
  private final RedisTarget target;

  LocalServer(RedisConnector connector, RedisTools tools, RedisHeartbeat heartbeat, RedisTarget target) {
    this.connector = connector;
    this.tools = tools;
    this.heartbeat = heartbeat;
    this.target = target;
  }

  /**
   * How the server is started: read from it when it answers, else what an earlier attempt of this
   * activity recorded. Refuses a server whose {@code dir} is not the target's dataDirectory (the
   * files changed would not be its own) or that runs without a configuration file (it could not
   * be started again as it was).
   */
  ServerLaunch launch(Path dataDirectory) {
    ServerLaunch launch;
    if (connector.answers(target)) {
      launch = connector.with(target, "reading how Redis is started", redis -> read(redis, dataDirectory));
    } else if (heartbeat.previousServer() != null) {
      launch = heartbeat.previousServer();
    } else {
      throw ActionFailures.retryable(RedisFailures.SERVER_UNAVAILABLE, target.describe() + " does not answer and"
          + " no earlier attempt recorded how it is started: start it, then retry");
    }
    heartbeat.server(launch);
    return launch;
  }

  private ServerLaunch read(RedisCommands<String, String> redis, Path dataDirectory) {
    RedisInfo server = RedisInfo.parse(redis.info("server"));
    Map<String, String> config = redis.configGet("dir", "dbfilename", "appenddirname", "appendfilename");
    if (!sameDirectory(Path.of(config.get("dir")), dataDirectory)) {
      throw ActionFailures.invalidInput(target.describe() + " keeps its files in " + config.get("dir")
          + ", not in the target's dataDirectory " + dataDirectory);
    }
    String configFile = server.text("config_file");
    if (configFile.isEmpty()) {
      throw ActionFailures.nonRetryable(RedisFailures.RESTORE_FAILED, target.describe() + " runs without a"
          + " configuration file: a restore starts Redis again from its configuration file, so that it comes back"
          + " with the same settings and password");
    }
    String executable = server.text("executable");
    if (!Files.isExecutable(Path.of(executable))) {
      // Redis reports argv[0] against its working directory, which is wrong for a program found on the PATH.
      executable = connector.options().tool("redis-server");
    }
    return new ServerLaunch(executable, configFile, config.get("dbfilename"), config.get("appenddirname"),
        config.get("appendfilename"));
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  /** SHUTDOWN NOSAVE, then waits until the port refuses connections. A stopped server is left alone. */
  void stop(Duration timeout) {
    if (!connector.answers(target)) {
      return;
    }
    connector.with(target, "shutting Redis down", redis -> {
      redis.shutdown(false);
      return null;
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (connector.answers(target)) {
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(RedisFailures.RESTORE_FAILED, target.describe()
            + " still answers " + timeout + " after SHUTDOWN NOSAVE");
      }
      heartbeat.pause(connector.options().pollInterval(), "waiting for Redis to stop", ++polls);
    }
  }

  /**
   * Starts the server daemonized with {@code appendonly} for this start, and waits until it has
   * loaded its data and answers PING.
   */
  void start(ServerLaunch launch, boolean appendonly, Duration loadTimeout) {
    heartbeat.beat("starting Redis with appendonly " + (appendonly ? "yes" : "no"), 0);
    tools.succeeding(RedisFailures.RESTORE_FAILED, launch.executable(),
        List.of(launch.configFile(), "--daemonize", "yes", "--appendonly", appendonly ? "yes" : "no"));
    long deadline = System.nanoTime() + loadTimeout.toNanos();
    long polls = 0;
    while (!connector.answers(target)) {
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(RedisFailures.RESTORE_FAILED, target.describe()
            + " did not answer within " + loadTimeout + " of its start (loading, or it exited: see its log)");
      }
      heartbeat.pause(connector.options().pollInterval(), "waiting for Redis to load its data", ++polls);
    }
  }

  /** Deletes a file or a directory with everything in it; nothing when it does not exist. */
  static void delete(Path path) {
    try {
      if (Files.isDirectory(path)) {
        io.drctl.activities.postgres.DumpDirectory.delete(path);
      } else {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
