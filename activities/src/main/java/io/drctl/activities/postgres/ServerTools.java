package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerExecResult;
import io.drctl.activities.docker.DockerStartInput;
import io.drctl.activities.docker.DockerStopInput;
import io.drctl.activities.docker.DockerStopResult;
import io.drctl.activities.docker.OneOffRun;
import io.drctl.activities.shell.ShellActivities;
import io.drctl.activities.shell.ShellExecInput;
import io.drctl.activities.shell.ShellExecResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs PostgreSQL's programs for the postgres actions, through the shell and docker backends (no
 * second process runner, no second Docker client):
 *
 * <ul>
 *   <li>{@link #client}: a client tool (pg_dump, pg_basebackup) on the worker host from {@link
 *       PostgresOptions#binDirectory()}, talking to the target over the network;
 *   <li>{@link #onServer}: a tool that touches the data directory (pg_rewind, pg_waldump): in a
 *       one-off sibling of the target's container as user {@code postgres} when it has one (the
 *       engine's volume directory is root-only and the tools refuse root), else on the worker host
 *       as the owner of the data directory ({@code setpriv} when the worker is root, since the
 *       server refuses to run as root).
 * </ul>
 *
 * <p>The password travels only as the reference in {@code PGPASSWORD}, which the shell and docker
 * backends resolve into the child's environment; it is never on a command line. A non-zero exit
 * becomes {@code failureType} with the tool's last lines of stderr. Must run inside an activity.
 */
final class ServerTools {
  private final PostgresOptions options;
  private final ShellActivities shell;
  private final DockerBackend docker;

  ServerTools(PostgresOptions options, ShellActivities shell, DockerBackend docker) {
    this.options = options;
    this.shell = shell;
    this.docker = docker;
  }

  /** User of the one-off containers: the server's own in PostgreSQL images. */
  static final String CONTAINER_USER = "postgres";

  /** Longest run of a tool in a one-off container (the catalog's default timeout of rejoin). */
  static final Duration TOOL_TIMEOUT = Duration.ofHours(2);

  /** Bytes of stdout and of stderr kept of one tool run (the tail). */
  static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

  /** Timestamps in tools' output (pg_waldump's commit times) in UTC, wherever the tool runs. */
  private static final Map<String, String> TOOL_ENVIRONMENT = Map.of("TZ", "UTC");

  /**
   * The tool's output of a successful run.
   *
   * @param truncated whether either stream was longer than {@link #MAX_OUTPUT_BYTES} (its tail is
   *     kept)
   */
  record Output(String stdout, String stderr, boolean truncated) {}

  /** A client tool on the worker host against {@code target} (PGPASSWORD set when it has one). */
  Output client(PostgresTarget target, String failureType, String tool, List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, passwordEnvironment(target), 0, failureType, tool);
  }

  /** A tool on the worker host that talks to no server (pg_verifybackup). */
  Output local(String failureType, String tool, List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, Map.of(), 0, failureType, tool);
  }

  /**
   * A tool on the server's files: for a target with a container in a one-off sibling of it ({@link
   * DockerBackend#runOneOff}: the container's image, so the tool has the server's major version;
   * its volumes; host networking; user {@value #CONTAINER_USER}), else on the worker host as the
   * data directory's owner. Paths in {@code arguments} are the server's ({@link
   * ServerFiles#serverData()}). {@code passwordOf}, when not null, is the server whose password
   * goes into PGPASSWORD.
   */
  Output onServer(
      PostgresTarget target,
      PostgresTarget passwordOf,
      String failureType,
      String tool,
      List<String> arguments) {
    return onServer(target, passwordOf, failureType, tool, arguments, 0);
  }

  /**
   * {@link #onServer} where {@code expectedExitCode} means success (pg_waldump ends with 1 at the
   * end of WAL).
   */
  Output onServer(
      PostgresTarget target,
      PostgresTarget passwordOf,
      String failureType,
      String tool,
      List<String> arguments,
      int expectedExitCode) {
    Map<String, String> environment = new LinkedHashMap<>(TOOL_ENVIRONMENT);
    if (passwordOf != null) {
      environment.putAll(passwordEnvironment(passwordOf));
    }
    if (target.container() != null) {
      List<String> argv = new ArrayList<>();
      argv.add(tool);
      argv.addAll(arguments);
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      OneOffRun run =
          new OneOffRun(
              target.name(),
              info.getWorkflowId() + "/" + info.getActivityId(),
              argv,
              environment,
              CONTAINER_USER,
              expectedExitCode,
              MAX_OUTPUT_BYTES,
              TOOL_TIMEOUT,
              target.asDockerTargets());
      try {
        DockerExecResult result = docker.runOneOff(run);
        return new Output(result.stdout(), result.stderr(), result.truncated());
      } catch (ApplicationFailure failure) {
        throw reclassified(failure, failureType, tool);
      }
    }
    List<String> argv = new ArrayList<>(asOwner(Path.of(target.requireDataDirectory())));
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, environment, expectedExitCode, failureType, tool);
  }

  /**
   * Stops the target's container (SIGTERM, then SIGKILL after {@code stopTimeout}); whether it was
   * running.
   */
  boolean stopContainer(PostgresTarget target, String stopTimeout) {
    DockerStopResult result =
        docker.stop(new DockerStopInput(target.name(), stopTimeout, target.asDockerTargets()));
    return result.wasRunning();
  }

  /** A cold copy of a target's Docker volume into the store, by the docker backend. */
  io.drctl.activities.docker.DockerSnapshotVolumeResult snapshotVolume(
      io.drctl.activities.docker.DockerSnapshotVolumeInput input) {
    return docker.snapshotVolume(input);
  }

  /** Starts the target's container and waits for its health check, when it has one. */
  void startContainer(PostgresTarget target) {
    startContainer(target, true);
  }

  /** Starts the target's container; with {@code waitHealthy} waits up to 2m for its health. */
  void startContainer(PostgresTarget target, boolean waitHealthy) {
    docker.start(
        new DockerStartInput(target.name(), waitHealthy, "2m", null, target.asDockerTargets()));
  }

  /** The target's container: state and mounts. */
  io.drctl.activities.docker.DockerInspectResult inspect(PostgresTarget target) {
    return docker.inspect(
        new io.drctl.activities.docker.DockerInspectInput(target.name(), target.asDockerTargets()));
  }

  /**
   * The container's output of the last {@code since} (e.g. {@code 30s}), up to the logs' limits.
   */
  String containerLog(PostgresTarget target, String since) {
    return docker
        .logs(
            new io.drctl.activities.docker.DockerLogsInput(
                target.name(),
                io.drctl.activities.docker.DockerLogsInput.TAIL_LIMIT,
                since,
                null,
                io.drctl.activities.docker.DockerLogsInput.MAX_OUTPUT_BYTES_LIMIT,
                target.asDockerTargets()))
        .text();
  }

  private Output host(
      List<String> argv,
      Map<String, String> environment,
      int expectedExitCode,
      String failureType,
      String tool) {
    ShellExecInput input =
        new ShellExecInput(argv, environment, "/", null, expectedExitCode, MAX_OUTPUT_BYTES);
    try {
      ShellExecResult result = shell.exec(input);
      return new Output(result.stdout(), result.stderr(), result.truncated());
    } catch (ApplicationFailure failure) {
      throw reclassified(failure, failureType, tool);
    }
  }

  /** A tool's non-zero exit becomes the action's own type; other failures stay as they are. */
  private static ApplicationFailure reclassified(
      ApplicationFailure failure, String failureType, String tool) {
    if (ActionFailures.UNEXPECTED_EXIT_CODE.equals(failure.getType())) {
      return ActionFailures.retryable(
          failureType, tool + " failed: " + failure.getOriginalMessage());
    }
    if (ActionFailures.COMMAND_NOT_FOUND.equals(failure.getType())) {
      return ActionFailures.nonRetryable(
          ActionFailures.COMMAND_NOT_FOUND,
          tool
              + " is not installed on the worker: "
              + failure.getOriginalMessage()
              + " (set "
              + PostgresOptions.BINDIR_VARIABLE
              + ")");
    }
    return failure;
  }

  private static Map<String, String> passwordEnvironment(PostgresTarget target) {
    Map<String, String> environment = new LinkedHashMap<>();
    if (target.password() != null) {
      environment.put("PGPASSWORD", target.password());
    }
    environment.put("PGCONNECT_TIMEOUT", "10");
    environment.put("PGSSLMODE", target.sslMode());
    return environment;
  }

  /**
   * {@code setpriv --reuid UID --regid GID --clear-groups --} when the worker is root and the data
   * directory is another user's: numeric ids, because the directory of a container's volume may
   * belong to a user the worker's host does not know by name.
   */
  private static List<String> asOwner(Path dataDirectory) {
    // A data directory about to be made (pg_basebackup) belongs to whoever owns its parent.
    Path existing =
        Files.exists(dataDirectory) || dataDirectory.getParent() == null
            ? dataDirectory
            : dataDirectory.getParent();
    if (!Files.exists(existing)) {
      throw ActionFailures.invalidInput(
          "data directory " + dataDirectory + " does not exist on the worker");
    }
    int uid;
    int gid;
    try {
      uid = (Integer) Files.getAttribute(existing, "unix:uid");
      gid = (Integer) Files.getAttribute(existing, "unix:gid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if ("root".equals(System.getProperty("user.name")) && uid != 0) {
      return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }
    return List.of();
  }
}
