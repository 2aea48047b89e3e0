package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerInspectResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A server's data directory as the worker can change it, and how to stop and start the server
 * around the change: on the worker's host (pg_ctl as the directory's owner), or in a container
 * whose data directory is on a Docker volume of the worker's own engine (the volume's mount point
 * is changed directly; the container is stopped and started).
 */
abstract class ServerFiles {
  /** The data directory as the worker sees it. */
  abstract Path hostData();

  /** The data directory as the server sees it (inside its container). */
  abstract String serverData();

  /** Stops the server; a stopped one is left alone. */
  abstract void stop();

  /** Starts the server without waiting for it to accept connections. */
  abstract void start();

  /** What the server logged since {@link #start()}. */
  abstract String log();

  /**
   * The lines of a server log from the last start of the postmaster on ({@code LOG: starting
   * PostgreSQL ...}), or all of it when no start is in it: the end of an earlier life of the server
   * (say a FATAL for a database that did not exist yet) is not this start's.
   */
  static String sinceLastStart(String log) {
    int start = log.lastIndexOf("starting PostgreSQL ");
    return start < 0 ? log : log.substring(log.lastIndexOf('\n', start) + 1);
  }

  static ServerFiles of(PostgresTarget target, ServerTools tools) {
    return target.container() == null ? new OnHost(target, tools) : new InContainer(target, tools);
  }

  private static final class OnHost extends ServerFiles {
    private final LocalServer server;
    private String options;

    OnHost(PostgresTarget target, ServerTools tools) {
      this.server = new LocalServer(tools, target);
    }

    @Override
    Path hostData() {
      return server.data();
    }

    @Override
    String serverData() {
      return server.data().toString();
    }

    @Override
    void stop() {
      options = server.stop();
    }

    @Override
    void start() {
      try {
        // A copied data directory may bring an old log along; only this start's lines count.
        Files.deleteIfExists(logFile());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      server.start(options, logFile(), false);
    }

    @Override
    String log() {
      String text = LocalServer.read(logFile());
      return text == null ? "" : text;
    }

    private Path logFile() {
      return server.data().resolve("drctl-server.log");
    }
  }

  private static final class InContainer extends ServerFiles {
    private final PostgresTarget target;
    private final ServerTools tools;
    private final Path hostData;
    private Instant started;

    InContainer(PostgresTarget target, ServerTools tools) {
      this.target = target;
      this.tools = tools;
      this.hostData = mountedAt(target, tools.inspect(target));
    }

    @Override
    Path hostData() {
      return hostData;
    }

    @Override
    String serverData() {
      return target.requireDataDirectory();
    }

    @Override
    void stop() {
      tools.stopContainer(target, "60s");
      removeStaleLockFile();
    }

    /**
     * A server killed with its container leaves {@code postmaster.pid} naming its PID in the
     * container's namespace, usually 1. The container is stopped now, so no postmaster uses the
     * directory; but tools run in a sibling container (pg_rewind's single-user crash recovery)
     * would see their own PID 1 alive and refuse the directory. The server itself would ignore the
     * file at its next start for the same reason, so removing it changes nothing else.
     */
    private void removeStaleLockFile() {
      try {
        Files.deleteIfExists(hostData.resolve("postmaster.pid"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot remove the stale postmaster.pid of stopped container " + target.container(), e);
      }
    }

    @Override
    void start() {
      started = Instant.now();
      tools.startContainer(target, false);
    }

    @Override
    String log() {
      // From the moment the container was started: the earlier life's last lines (a FATAL for a
      // database that did not exist yet, say) stay out even before this start logs anything.
      long millis = Math.max(1, Duration.between(started, Instant.now()).toMillis());
      return sinceLastStart(tools.containerLog(target, millis + "ms"));
    }

    /** The worker's path of the data directory: the volume (or bind mount) holding it. */
    private static Path mountedAt(PostgresTarget target, DockerInspectResult container) {
      String data = target.requireDataDirectory();
      DockerInspectResult.Mount mount =
          container
              .mountOf(data)
              .orElseThrow(
                  () ->
                      ActionFailures.invalidInput(
                          "container "
                              + target.container()
                              + " of "
                              + target.describe()
                              + " mounts no volume at its dataDirectory "
                              + data
                              + ": its data would not survive a stop"));
      if (!Files.isDirectory(Path.of(mount.source()))) {
        throw ActionFailures.invalidInput(
            "the data directory of "
                + target.describe()
                + " is on "
                + mount.type()
                + " "
                + mount.name()
                + " at "
                + mount.source()
                + ", which this worker cannot reach: run the worker on the"
                + " Docker host");
      }
      return mount.hostPath(data);
    }
  }
}
