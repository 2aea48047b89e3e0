package io.drctl.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container's own HEALTHCHECK command, run once, now, as Docker runs it: {@code CMD} as its argv,
 * {@code CMD-SHELL} with {@code /bin/sh -c}, in the container with its user and environment,
 * passing when it exits 0 within the check's timeout.
 *
 * <p>Docker runs a container's first check only one interval after it starts (Debian's Docker 20.10
 * has no {@code --health-start-interval}): with the common 30 s interval a service that is ready
 * after 2 s counts as {@code starting} for 30 s. Waiting for health, drctl runs the command itself
 * while Docker still says {@code starting}, so a restart is done when the service is ready, not
 * when Docker next looks. The verdict is the one Docker would reach: one passing check makes a
 * starting container healthy.
 */
public final class HealthCommand {
  /** Docker's own default for a check without a timeout. */
  private static final Duration DOCKER_DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(20);

  private HealthCommand() {}

  /**
   * The argv Docker runs for {@code check}, or {@code null} when it runs none ({@code NONE}, no
   * test, or the image's check inherited and not visible).
   */
  static List<String> argv(HealthCheck check) {
    List<String> test = check == null ? null : check.getTest();
    if (test == null || test.size() < 2) {
      return null;
    }
    return switch (test.get(0)) {
      case "CMD" -> test.subList(1, test.size());
      case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
      default -> null;
    };
  }

  /**
   * Runs the HEALTHCHECK of {@code container} (as inspected) once; at most {@code limit} or the
   * check's own timeout, whichever is shorter. False when it has none, fails, outlasts that time or
   * cannot run (the container stopped): the caller still has Docker's status.
   */
  static boolean passes(DockerClient client, InspectContainerResponse container, Duration limit) {
    HealthCheck check =
        container.getConfig() == null ? null : container.getConfig().getHealthcheck();
    List<String> argv = argv(check);
    if (argv == null) {
      return false;
    }
    Duration timeout =
        check.getTimeout() == null || check.getTimeout() <= 0
            ? DOCKER_DEFAULT_TIMEOUT
            : Duration.ofNanos(check.getTimeout());
    return passes(client, container.getId(), argv, timeout.compareTo(limit) < 0 ? timeout : limit);
  }

  /**
   * Runs {@code argv} in container {@code id} and waits up to {@code timeout} for it to exit 0.
   * False on any other end, also when the container is missing or not running. The command is
   * started detached: an exec cannot be killed through the engine, so one that hangs is left to end
   * on its own, as Docker leaves a health check that timed out.
   */
  public static boolean passes(
      DockerClient client, String id, List<String> argv, Duration timeout) {
    try {
      String exec =
          client
              .execCreateCmd(id)
              .withCmd(argv.toArray(String[]::new))
              .withAttachStdout(false)
              .withAttachStderr(false)
              .exec()
              .getId();
      long deadline = System.nanoTime() + timeout.toNanos();
      client
          .execStartCmd(exec)
          .withDetach(true)
          .exec(new ResultCallback.Adapter<Frame>())
          .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      while (true) {
        InspectExecResponse state = client.inspectExecCmd(exec).exec();
        if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
          return state.getExitCodeLong() == 0;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (DockerException e) {
      return false; // missing, or not running (yet, or any more)
    }
  }
}
