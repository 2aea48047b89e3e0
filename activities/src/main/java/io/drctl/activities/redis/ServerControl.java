package io.drctl.activities.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerStartInput;
import io.drctl.activities.docker.DockerStopInput;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis server stopped and started around a change of its files, which are put in place only once
 * it is stopped. How depends on where it runs:
 *
 * <ul>
 *   <li>on the worker's host: SHUTDOWN NOSAVE; then its own program with its own configuration
 *       file, daemonized, with {@code appendonly} given on the command line for this start only;
 *   <li>in a container: {@code docker.stop} (SHUTDOWN would let a restart policy bring it back at
 *       once) and {@code docker.start}; the container's command decides {@code appendonly}, which
 *       this start cannot change: {@link #choosesAppendonly()} is false.
 * </ul>
 *
 * <p>How it is started ({@link #launch}) is read from the running server (also while it loads its
 * data) and kept in the heartbeat, so that a retry after a crash that left it stopped can start it
 * again. A retry after a crash that left it loading, or writing its first AOF, stops it as it is.
 */
abstract class ServerControl {
  final RedisConnector connector;
  final RedisHeartbeat heartbeat;
  final RedisTarget target;

  private ServerControl(RedisConnector connector, RedisHeartbeat heartbeat, RedisTarget target) {
    this.connector = connector;
    this.heartbeat = heartbeat;
    this.target = target;
  }

  static ServerControl of(
      RedisTarget target,
      Map<String, JsonNode> targets,
      RedisConnector connector,
      RedisTools tools,
      DockerBackend docker,
      RedisHeartbeat heartbeat) {
    return target.container() == null
        ? new OnHost(connector, heartbeat, target, tools)
        : new InContainer(connector, heartbeat, target, docker, targets);
  }

  /** Whether {@link #start} can choose {@code appendonly} for the start. */
  abstract boolean choosesAppendonly();

  /** Tells the server process to stop. */
  abstract void stopProcess();

  /** Starts the server process, without waiting for it to answer. */
  abstract void startProcess(ServerLaunch launch, boolean appendonly);

  /** Checks what is read from the running server before anything is stopped. */
  abstract void check(ServerLaunch launch);

  /**
   * How the server is started: read from it when it answers, else what an earlier attempt of this
   * activity recorded. Refuses a server on the host whose {@code dir} is not the target's
   * dataDirectory (the files changed would not be its own).
   */
  ServerLaunch launch(Path dataDirectory) {
    ServerLaunch launch;
    if (connector.runs(target)) {
      launch = connector.with(target, "reading how Redis is started", redis -> read(redis));
      check(launch);
      if (target.container() == null
          && !sameDirectory(Path.of(launch.directory()), dataDirectory)) {
        throw ActionFailures.invalidInput(
            target.describe()
                + " keeps its files in "
                + launch.directory()
                + ", not in the target's dataDirectory "
                + dataDirectory);
      }
    } else if (heartbeat.previousServer() != null) {
      launch = heartbeat.previousServer();
    } else {
      launch = unanswered(dataDirectory);
    }
    heartbeat.server(launch);
    return launch;
  }

  /**
   * How a server that does not answer, and that no earlier attempt read, is started: on the host it
   * cannot be known ({@link RedisFailures#SERVER_UNAVAILABLE}, retryable).
   */
  ServerLaunch unanswered(Path dataDirectory) {
    throw ActionFailures.retryable(
        RedisFailures.SERVER_UNAVAILABLE,
        target.describe()
            + " does not answer and"
            + " no earlier attempt recorded how it is started: start it, then retry");
  }

  private ServerLaunch read(RedisCommands<String, String> redis) {
    RedisInfo server = RedisInfo.parse(redis.info("server"));
    Map<String, String> config =
        redis.configGet("dir", "dbfilename", "appenddirname", "appendfilename", "appendonly");
    String executable = server.text("executable");
    if (!Files.isExecutable(Path.of(executable))) {
      // Redis reports argv[0] against its working directory, which is wrong for a program found on
      // the PATH.
      executable = connector.options().tool("redis-server");
    }
    return new ServerLaunch(
        executable,
        server.text("config_file"),
        config.get("dir"),
        config.get("dbfilename"),
        config.get("appenddirname"),
        config.get("appendfilename"),
        "yes".equals(config.get("appendonly")));
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException unreachable) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  /**
   * Stops the server, also one still loading its data, and waits until it no longer runs. A stopped
   * server is left alone.
   */
  void stop(Duration timeout) {
    stopProcess();
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (connector.runs(target)) {
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            RedisFailures.RESTORE_FAILED,
            target.describe() + " still answers " + timeout + " after it was told to stop");
      }
      heartbeat.pause(connector.options().pollInterval(), "waiting for Redis to stop", ++polls);
    }
  }

  /**
   * Starts the server ({@code appendonly} when {@link #choosesAppendonly}) and waits until it has
   * loaded its data.
   */
  void start(ServerLaunch launch, boolean appendonly, Duration loadTimeout) {
    heartbeat.beat(
        choosesAppendonly()
            ? "starting Redis with appendonly " + (appendonly ? "yes" : "no")
            : "starting container " + target.container(),
        0);
    startProcess(launch, appendonly);
    long deadline = System.nanoTime() + loadTimeout.toNanos();
    long polls = 0;
    while (!connector.answers(target)) {
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            RedisFailures.RESTORE_FAILED,
            target.describe()
                + " did not answer within "
                + loadTimeout
                + " of its start (loading, or it exited: see its log)");
      }
      heartbeat.pause(
          connector.options().pollInterval(), "waiting for Redis to load its data", ++polls);
    }
  }

  private static final class OnHost extends ServerControl {
    private final RedisTools tools;

    OnHost(
        RedisConnector connector, RedisHeartbeat heartbeat, RedisTarget target, RedisTools tools) {
      super(connector, heartbeat, target);
      this.tools = tools;
    }

    @Override
    boolean choosesAppendonly() {
      return true;
    }

    @Override
    void check(ServerLaunch launch) {
      if (launch.configFile().isEmpty()) {
        throw ActionFailures.nonRetryable(
            RedisFailures.RESTORE_FAILED,
            target.describe()
                + " runs without a"
                + " configuration file: a restore starts Redis again from its configuration file, so that it comes back"
                + " with the same settings and password");
      }
    }

    /**
     * CONFIG SET appendonly no (unless it is loading, when it takes no CONFIG SET and writes no
     * AOF), then SHUTDOWN NOSAVE. A Redis still writing its first AOF (an earlier attempt's {@code
     * CONFIG SET appendonly yes}) refuses SHUTDOWN ("Writing initial AOF, can't exit"), as that AOF
     * would be its only copy of the data; turning AOF off stops that rewrite, and the data is
     * replaced anyway.
     */
    @Override
    void stopProcess() {
      if (connector.runs(target)) {
        connector.with(
            target,
            "shutting Redis down",
            redis -> {
              if (!RedisInfo.parse(redis.info("persistence")).flag("loading")) {
                redis.configSet("appendonly", "no");
              }
              redis.shutdown(false);
              return null;
            });
      }
    }

    @Override
    void startProcess(ServerLaunch launch, boolean appendonly) {
      tools.succeeding(
          RedisFailures.RESTORE_FAILED,
          launch.executable(),
          List.of(
              launch.configFile(),
              "--daemonize",
              "yes",
              "--appendonly",
              appendonly ? "yes" : "no"));
    }
  }

  private static final class InContainer extends ServerControl {
    private static final String DEFAULT_RDB_FILE = "dump.rdb";
    private static final String DEFAULT_AOF_DIRECTORY = "appendonlydir";
    private static final String DEFAULT_AOF_FILE = "appendonly.aof";

    private final DockerBackend docker;
    private final Map<String, JsonNode> targets;

    InContainer(
        RedisConnector connector,
        RedisHeartbeat heartbeat,
        RedisTarget target,
        DockerBackend docker,
        Map<String, JsonNode> targets) {
      super(connector, heartbeat, target);
      this.docker = docker;
      this.targets = targets;
    }

    @Override
    boolean choosesAppendonly() {
      return false;
    }

    @Override
    void check(ServerLaunch launch) {
      // The container's command starts it: nothing to check of the program or its configuration
      // file.
    }

    /**
     * A Redis whose container exited (e.g. it refused a corrupted AOF at its start): its container
     * starts it again, so only the files matter. They are Redis's defaults in the data directory
     * (dump.rdb, appendonlydir, appendonly.aof), and AOF counts as on when that appendonlydir holds
     * a manifest. Files named otherwise by a configuration file would not be loaded: the key-set
     * check after the start then fails the restore.
     */
    @Override
    ServerLaunch unanswered(Path dataDirectory) {
      boolean appendonly =
          Files.isRegularFile(
              dataDirectory.resolve(DEFAULT_AOF_DIRECTORY).resolve(DEFAULT_AOF_FILE + ".manifest"));
      String directory =
          target.dataDirectory() != null ? target.dataDirectory() : dataDirectory.toString();
      return new ServerLaunch(
          "redis-server",
          "",
          directory,
          DEFAULT_RDB_FILE,
          DEFAULT_AOF_DIRECTORY,
          DEFAULT_AOF_FILE,
          appendonly);
    }

    @Override
    void stopProcess() {
      docker.stop(new DockerStopInput(target.name(), "60s", targets));
    }

    @Override
    void startProcess(ServerLaunch launch, boolean appendonly) {
      docker.start(new DockerStartInput(target.name(), false, null, null, targets));
    }
  }
}
