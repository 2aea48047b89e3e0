package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerActivitiesImpl;
import io.drctl.activities.docker.DockerExecInput;
import io.drctl.activities.docker.DockerExecResult;
import io.drctl.activities.docker.DockerStartInput;
import io.drctl.activities.docker.DockerStopInput;
import io.drctl.activities.docker.DockerStopResult;
import io.drctl.activities.shell.ShellActivitiesImpl;
import io.drctl.activities.shell.ShellExecInput;
import io.drctl.activities.shell.ShellExecResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *   <li>{@link #onServer}: a tool that touches the data directory (pg_ctl, pg_rewind): inside the
 *       target's container as user {@code postgres} when it has one, else on the worker host as
 *       the owner of the data directory ({@code setpriv} when the worker is root, since the server
 *       refuses to run as root).
 * </ul>
 *
 * <p>The password travels only as the reference in {@code PGPASSWORD}, which the shell and docker
 * backends resolve into the child's environment; it is never on a command line. A non-zero exit
 * becomes {@code failureType} with the tool's last lines of stderr. Must run inside an activity.
 */
final class ServerTools {
  private final PostgresOptions options;
  private final ShellActivitiesImpl shell;
  private final DockerActivitiesImpl docker;

  ServerTools(PostgresOptions options, ShellActivitiesImpl shell, DockerActivitiesImpl docker) {
    this.options = options;
    this.shell = shell;
    this.docker = docker;
  }

  /** The tool's output of a successful run. */
  record Output(String stdout, String stderr) {}

  /** A client tool on the worker host against {@code target} (PGPASSWORD set when it has one). */
  Output client(PostgresTarget target, String failureType, String tool, List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, passwordEnvironment(target), failureType, tool);
  }

  /** A tool on the worker host that talks to no server (pg_verifybackup). */
  Output local(String failureType, String tool, List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, Map.of(), failureType, tool);
  }

  /**
   * A tool on the server's side: in its container, else on the host as the data directory's owner.
   * {@code passwordOf}, when not null, is the server whose password goes into PGPASSWORD.
   */
  Output onServer(PostgresTarget target, PostgresTarget passwordOf, String failureType, String tool,
      List<String> arguments) {
    Map<String, String> environment = passwordOf == null ? Map.of() : passwordEnvironment(passwordOf);
    if (target.container() != null) {
      List<String> argv = new ArrayList<>();
      argv.add(tool);
      argv.addAll(arguments);
      DockerExecInput input = DockerExecInput.of(target.name(), target.asDockerTargets(), argv.toArray(String[]::new))
          .withEnv(environment).withUser("postgres");
      try {
        DockerExecResult result = docker.exec(input);
        return new Output(result.stdout(), result.stderr());
      } catch (ApplicationFailure failure) {
        throw reclassified(failure, failureType, tool);
      }
    }
    List<String> argv = new ArrayList<>(asOwner(Path.of(target.requireDataDirectory())));
    argv.add(options.tool(tool).toString());
    argv.addAll(arguments);
    return host(argv, environment, failureType, tool);
  }

  /**
   * Stops the target's container (SIGTERM, then SIGKILL after {@code stopTimeout}); whether it was
   * running.
   */
  boolean stopContainer(PostgresTarget target, String stopTimeout) {
    DockerStopResult result = docker.stop(new DockerStopInput(target.name(), stopTimeout, target.asDockerTargets()));
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
    docker.start(new DockerStartInput(target.name(), waitHealthy, "2m", null, target.asDockerTargets()));
  }

  /** The target's container: state and mounts. */
  io.drctl.activities.docker.DockerInspectResult inspect(PostgresTarget target) {
    return docker.inspect(new io.drctl.activities.docker.DockerInspectInput(target.name(), target.asDockerTargets()));
  }

  /** The container's output of the last {@code since} (e.g. {@code 30s}), up to the logs' limits. */
  String containerLog(PostgresTarget target, String since) {
    return docker.logs(new io.drctl.activities.docker.DockerLogsInput(target.name(),
        io.drctl.activities.docker.DockerLogsInput.TAIL_LIMIT, since, null,
        io.drctl.activities.docker.DockerLogsInput.MAX_OUTPUT_BYTES_LIMIT, target.asDockerTargets())).text();
  }

  private Output host(List<String> argv, Map<String, String> environment, String failureType, String tool) {
    ShellExecInput input = new ShellExecInput(argv, environment, "/", null, 0, null);
    try {
      ShellExecResult result = shell.exec(input);
      return new Output(result.stdout(), result.stderr());
    } catch (ApplicationFailure failure) {
      throw reclassified(failure, failureType, tool);
    }
  }

  /** A tool's non-zero exit becomes the action's own type; other failures stay as they are. */
  private static ApplicationFailure reclassified(ApplicationFailure failure, String failureType, String tool) {
    if (ActionFailures.UNEXPECTED_EXIT_CODE.equals(failure.getType())) {
      return ActionFailures.retryable(failureType, tool + " failed: " + failure.getOriginalMessage());
    }
    if (ActionFailures.COMMAND_NOT_FOUND.equals(failure.getType())) {
      return ActionFailures.nonRetryable(ActionFailures.COMMAND_NOT_FOUND, tool
          + " is not installed on the worker: " + failure.getOriginalMessage()
          + " (set " + PostgresOptions.BINDIR_VARIABLE + ")");
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
    Path existing = Files.exists(dataDirectory) || dataDirectory.getParent() == null ? dataDirectory
        : dataDirectory.getParent();
    if (!Files.exists(existing)) {
      throw ActionFailures.invalidInput("data directory " + dataDirectory + " does not exist on the worker");
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
