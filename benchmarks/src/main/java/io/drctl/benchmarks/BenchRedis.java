package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.redis.RedisClients;
import io.drctl.testing.FreePorts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A redis-server on this host for the Redis benchmark, as a worker's restore expects one:
 * configuration file {@code dir/redis.conf}, data in {@code dir/data}, listening on 127.0.0.1 on a
 * free port of 58000-58999 (the range of the activities' redis tests), no password, daemonized with
 * a pid file, {@code save ""} (no automatic saves during a measurement) and {@code appendonly no}.
 * The program is {@code DRCTL_REDIS_SERVER} (set by {@code bin/setup redis}), else {@code
 * redis-server} on the PATH.
 */
final class BenchRedis implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  /**
   * One set of Lettuce event loops for every connection of the benchmark (a client of its own each
   * costs ~0.1 s).
   */
  private static final ClientResources RESOURCES =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

  private final Path directory;
  private final String program;
  private final int port;
  private RedisClient client;

  private BenchRedis(Path directory, String program, int port) {
    this.directory = directory;
    this.program = program;
    this.port = port;
  }

  /** The redis-server program: {@code DRCTL_REDIS_SERVER}, else the one on the PATH. */
  static String program() {
    String configured = System.getenv("DRCTL_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    throw new IllegalStateException(
        "no redis-server: run bin/setup redis and source its env file"
            + " (DRCTL_REDIS_SERVER), or put redis-server on the PATH");
  }

  /** The directory of redis-server, where redis-check-rdb is too. */
  static Path binDirectory() {
    return Path.of(program()).toAbsolutePath().getParent();
  }

  /**
   * A new server in {@code directory} (its data directory holding {@code rdb}, when not null, as
   * {@code dump.rdb}), started and done loading.
   */
  static BenchRedis start(Path directory, Path rdb) {
    for (int attempt = 1; ; attempt++) {
      BenchRedis server = new BenchRedis(directory, program(), FreePorts.inRange(58000, 59000));
      try {
        Files.createDirectories(server.data());
        if (rdb != null) {
          Files.copy(
              rdb,
              server.data().resolve("dump.rdb"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(
            server.config(),
            String.join(
                "\n",
                "port " + server.port,
                "bind 127.0.0.1",
                "dir " + server.data(),
                "dbfilename dump.rdb",
                "pidfile " + server.pidFile(),
                "logfile " + server.log(),
                "save \"\"",
                "appendonly no",
                ""),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.launch();
      try {
        server.awaitLoaded(10);
        return server;
      } catch (IllegalStateException e) {
        if (attempt == 3 || !server.logText().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  int port() {
    return port;
  }

  Path data() {
    return directory.resolve("data");
  }

  Path config() {
    return directory.resolve("redis.conf");
  }

  Path rdb() {
    return data().resolve("dump.rdb");
  }

  private Path pidFile() {
    return directory.resolve("redis.pid");
  }

  private Path log() {
    return directory.resolve("redis.log");
  }

  /** The {@code redis} target of the plan for this server. */
  ObjectNode target() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "redis")
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("dataDirectory", data().toString());
  }

  /** Runs {@code work} on a connection of its own. */
  <T> T redis(Function<RedisCommands<String, String>, T> work) {
    try (StatefulRedisConnection<String, String> connection = client().connect()) {
      return work.apply(connection.sync());
    }
  }

  /**
   * The Lettuce client of this server (one for the benchmark's life, on its shared event loops).
   */
  synchronized RedisClient client() {
    if (client == null) {
      client =
          RedisClient.create(
              RESOURCES,
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(port)
                  .withTimeout(Duration.ofMinutes(5))
                  .build());
    }
    return client;
  }

  /**
   * One command on a new plain socket, as redis-cli sends it: the reply as text (a status, a
   * number, a bulk string), or {@link RespError} for an error reply. The raw contenders' waits use
   * it, so that their polls cost what redis-cli's do.
   */
  String call(String... command) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) START_TIMEOUT.toMillis());
      StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
      for (String part : command) {
        request
            .append('$')
            .append(part.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(part)
            .append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String line = line(in);
      switch (line.isEmpty() ? ' ' : line.charAt(0)) {
        case '+', ':' -> {
          return line.substring(1);
        }
        case '-' -> throw new RespError(line.substring(1));
        case '$' -> {
          int length = Integer.parseInt(line.substring(1));
          if (length < 0) {
            return null;
          }
          byte[] bulk = in.readNBytes(length + 2);
          return new String(bulk, 0, length, StandardCharsets.UTF_8);
        }
        default -> throw new IOException("unexpected reply to " + command[0] + ": " + line);
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** An error reply. */
  static final class RespError extends IOException {
    RespError(String message) {
      super(message);
    }
  }

  /** A field of INFO {@code section}, {@code ""} when absent. */
  static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return "";
  }

  /** redis-server with its configuration file, daemonized: what a restart by hand runs. */
  void launch() {
    BenchCluster.run(List.of(program, config().toString(), "--daemonize", "yes"));
  }

  /** SHUTDOWN NOSAVE, then waits (polling every 10 ms) until the process is gone. */
  void shutdown() throws IOException {
    long pid = pid();
    try {
      call("SHUTDOWN", "NOSAVE");
    } catch (RespError e) {
      throw e;
    } catch (IOException gone) {
      // the server closes the connection instead of answering: expected
    }
    awaitExit(pid);
  }

  /**
   * Polls every {@code pollMillis}, each time on a new connection as {@code redis-cli} would, until
   * PING answers PONG and INFO persistence says {@code loading:0}.
   */
  void awaitLoaded(long pollMillis) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        if ("PONG".equals(call("PING"))
            && "0".equals(field(call("INFO", "persistence"), "loading"))) {
          return;
        }
      } catch (IOException notYet) {
        // refused while starting, or LOADING: poll again
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "redis-server on port "
                + port
                + " did not load within "
                + START_TIMEOUT
                + ":\n"
                + logText());
      }
      sleep(pollMillis);
    }
  }

  String logText() {
    try {
      return Files.exists(log()) ? Files.readString(log()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    try {
      return Long.parseLong(Files.readString(pidFile()).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitExit(long pid) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (running(pid)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server " + pid + " did not exit");
      }
      sleep(10);
    }
  }

  /**
   * Whether {@code pid} runs. A daemonized redis-server's parent is init, which on this host (a
   * container's PID 1) reaps exited children late, so an exited server stays a zombie for up to
   * seconds: that counts as exited.
   */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException gone) {
      return false;
    }
  }

  /**
   * CPU time of process {@code pid} and of the children it waited for (a BGSAVE child, a tool the
   * JVM ran), in clock ticks of 10 ms; -1 when the process is gone.
   */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[11..14]: utime, stime, cutime, cstime (proc(5), counted from the state field)
      return Long.parseLong(fields[11])
          + Long.parseLong(fields[12])
          + Long.parseLong(fields[13])
          + Long.parseLong(fields[14]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Kills the server on the pid file, if one runs (only a redis: a stale pid may have been reused).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (client != null) {
        RedisClients.shutdown(client);
        client = null;
      }
    }
    if (!Files.exists(pidFile())) {
      return;
    }
    long pid = pid();
    ProcessHandle.of(pid)
        .filter(process -> process.info().command().orElse("").contains("redis"))
        .ifPresent(
            process -> {
              process.destroyForcibly();
              awaitExit(pid);
            });
  }
}
