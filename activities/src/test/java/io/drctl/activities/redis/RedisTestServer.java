package io.drctl.activities.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.testing.FreePorts;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real redis-server 7 of a test, on the host: configuration file {@code dir/redis.conf}, data
 * in {@code dir/data}, listening on 127.0.0.1 on a free port of 58000-58999, password {@link
 * #PASSWORD} (by reference {@value #PASSWORD_REFERENCE}), daemonized with a pid file, as the
 * restore starts it again. The program is {@code DRCTL_REDIS_SERVER} (set by {@code
 * bin/lib/redis.sh}), else {@code redis-server} on the PATH. Close it to kill what runs on its pid
 * file.
 */
public final class RedisTestServer implements RedisTestClient, AutoCloseable {
  static final String PASSWORD_VARIABLE = "DRCTL_TEST_REDIS_PASSWORD";
  static final String PASSWORD_REFERENCE = "env:" + PASSWORD_VARIABLE;
  static final String PASSWORD = "redis-pw-" + java.util.UUID.randomUUID();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path directory;
  private final int port;
  private final String program;

  private RedisTestServer(Path directory, int port, String program) {
    this.directory = directory;
    this.port = port;
    this.program = program;
  }

  static String program() {
    String configured = System.getenv(RedisOptions.SERVER_VARIABLE);
    return configured == null || configured.isBlank() ? "redis-server" : configured;
  }

  /** A new server in {@code directory} with {@code appendonly} as given, started and answering. */
  public static RedisTestServer start(Path directory, boolean appendonly) {
    return start(directory, appendonly, program());
  }

  /** {@link #start(Path, boolean)} with another redis-server program (a path). */
  static RedisTestServer start(Path directory, boolean appendonly, String program) {
    return start(
        directory,
        program,
        List.of("appendonly " + (appendonly ? "yes" : "no"), "appendfsync always", "save \"\""));
  }

  /**
   * A server on {@code port} (a port of the calling test's own range, not a free one picked here)
   * whose configuration file has the fixture's lines, then {@code settings}; started and answering.
   */
  public static RedisTestServer startOn(Path directory, int port, List<String> settings) {
    RedisTestServer server = new RedisTestServer(directory, port, program());
    server.configure(settings);
    server.launch(List.of());
    if (!server.awaitAnswering()) {
      throw new AssertionError("redis-server did not start on port " + port + ":\n" + server.log());
    }
    return server;
  }

  /** The environment a worker needs for {@link #target()}'s password reference. */
  public static Map<String, String> passwordEnvironment() {
    return Map.of(PASSWORD_VARIABLE, PASSWORD);
  }

  /** A replica of {@code master}, its initial sync done. */
  static RedisTestServer replicaOf(Path directory, RedisTestServer master) {
    RedisTestServer replica =
        start(
            directory,
            program(),
            List.of(
                "appendonly yes",
                "appendfsync always",
                "save \"\"",
                "replicaof 127.0.0.1 " + master.port,
                "masterauth " + PASSWORD));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!replica.redis(redis -> redis.info("replication")).contains("master_link_status:up")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the replica did not sync from " + master.port + ":\n" + replica.log());
      }
      sleep();
    }
    return replica;
  }

  /**
   * A Sentinel ({@code DRCTL_REDIS_SENTINEL}, else {@code redis-sentinel}) monitoring {@code
   * master} as {@code mymaster} with quorum 2, down after 2 s, with the fixture's password for
   * clients, the data nodes and the other Sentinels.
   */
  static RedisTestServer sentinel(Path directory, RedisTestServer master) {
    String configured = System.getenv("DRCTL_REDIS_SENTINEL");
    return start(
        directory,
        configured == null || configured.isBlank() ? "redis-sentinel" : configured,
        List.of(
            "sentinel monitor mymaster 127.0.0.1 " + master.port + " 2",
            "sentinel auth-pass mymaster " + PASSWORD,
            "sentinel sentinel-pass " + PASSWORD,
            "sentinel down-after-milliseconds mymaster 2000",
            "sentinel failover-timeout mymaster 20000"));
  }

  /**
   * A server of {@code program} whose configuration file has the fixture's lines, then {@code
   * settings}.
   */
  private static RedisTestServer start(Path directory, String program, List<String> settings) {
    for (int attempt = 1; ; attempt++) {
      RedisTestServer server =
          new RedisTestServer(directory, FreePorts.inRange(58000, 59000), program);
      server.configure(settings);
      server.launch(List.of());
      if (server.awaitAnswering()) {
        return server;
      }
      if (attempt == 3 || !server.log().contains("Address already in use")) {
        throw new AssertionError(
            program + " did not start on port " + server.port + ":\n" + server.log());
      }
    }
  }

  private void configure(List<String> settings) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "port " + port,
                "bind 127.0.0.1",
                "dir " + data(),
                "pidfile " + pidFile(),
                "logfile " + directory.resolve("redis.log"),
                "requirepass " + PASSWORD));
    lines.addAll(settings);
    lines.add("");
    try {
      Files.createDirectories(data());
      Files.writeString(config(), String.join("\n", lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int port() {
    return port;
  }

  public Path data() {
    return directory.resolve("data");
  }

  public Path config() {
    return directory.resolve("redis.conf");
  }

  Path pidFile() {
    return directory.resolve("redis.pid");
  }

  public String log() {
    try {
      Path log = directory.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runbook target of this server, as the plan holds it (password by reference). */
  public ObjectNode target() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "redis")
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("password", PASSWORD_REFERENCE)
        .put("dataDirectory", data().toString());
  }

  /** SHUTDOWN NOSAVE, then waits until the process is gone. */
  public void stop() {
    long pid = pid();
    redis(
        redis -> {
          redis.shutdown(false);
          return null;
        });
    awaitExit(pid);
  }

  /** Starts the server again from its configuration file, {@code extra} arguments after it. */
  public void restart(String... extra) {
    launch(List.of(extra));
    if (!awaitAnswering()) {
      throw new AssertionError("redis-server did not start again:\n" + log());
    }
  }

  /**
   * Starts the server again from its configuration file, {@code extra} arguments after it, without
   * waiting for it to answer (e.g. while it loads).
   */
  void launchAgain(String... extra) {
    launch(List.of(extra));
  }

  /** The pid of the running server (from its pid file). */
  public long pid() {
    try {
      return Long.parseLong(Files.readString(pidFile()).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch(List<String> extra) {
    List<String> command =
        new ArrayList<>(List.of(program, config().toString(), "--daemonize", "yes"));
    command.addAll(extra);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(
            command + " failed: " + new String(process.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private boolean awaitAnswering() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if ("PONG".equals(redis(RedisCommands::ping))) {
          return true;
        }
      } catch (io.lettuce.core.RedisException notYet) {
        sleep();
      }
    }
    return false;
  }

  private static void awaitExit(long pid) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("redis-server " + pid + " did not exit");
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Kills the server on the pid file, if one runs. */
  @Override
  public void close() {
    if (!Files.exists(pidFile())) {
      return;
    }
    long pid = pid();
    // Only a Redis: a pid file left by a killed server may name a pid reused since.
    ProcessHandle.of(pid)
        .filter(process -> process.info().command().orElse("").contains("redis"))
        .ifPresent(
            process -> {
              process.destroyForcibly();
              awaitExit(pid);
            });
  }
}
