package io.drctl.activities.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * The container operations several actions share: stop (heartbeating through the grace period),
 * start, and waiting for health after a start. Each engine call is classified by {@link
 * DockerEngine#call}.
 */
final class ContainerControl {
  private final DockerServices services;
  private final DockerEngine engine;
  private final Heartbeats heartbeats;

  ContainerControl(DockerServices services, DockerEngine engine, Heartbeats heartbeats) {
    this.services = services;
    this.engine = engine;
    this.heartbeats = heartbeats;
  }

  static boolean isRunning(InspectContainerResponse container) {
    InspectContainerResponse.ContainerState state = container.getState();
    return Boolean.TRUE.equals(state.getRunning());
  }

  /**
   * Stops the container, SIGTERM then SIGKILL after {@code grace}; a stopped container is left as
   * it is. The engine's call runs on another thread while this one heartbeats, so a cancellation is
   * noticed; the stop itself goes on in the engine.
   *
   * @param progress the heartbeat details while waiting
   * @return whether it was running
   */
  boolean stop(InspectContainerResponse container, Duration grace, Object progress) {
    if (!isRunning(container)) {
      return false;
    }
    String id = container.getId();
    int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
    Future<Void> stopping =
        services
            .calls()
            .submit(
                () ->
                    engine.call(
                        "stopping container " + name(container),
                        DockerFailures.NO_SUCH_CONTAINER,
                        () -> {
                          try {
                            return engine.client().stopContainerCmd(id).withTimeout(seconds).exec();
                          } catch (NotModifiedException alreadyStopped) {
                            return null;
                          }
                        }));
    try {
      heartbeats.await(stopping, () -> progress);
    } catch (ApplicationFailure failure) {
      // A grace period longer than the call timeout outlasts the engine's answer; the container
      // may still have stopped.
      if (!DockerFailures.ENGINE_UNAVAILABLE.equals(failure.getType())
          || isRunning(engine.container(id))) {
        throw failure;
      }
    }
    return true;
  }

  /** Starts the container; unpauses a paused one; a running one is left as it is. */
  void start(InspectContainerResponse container) {
    String id = container.getId();
    if (Boolean.TRUE.equals(container.getState().getPaused())) {
      engine.call(
          "unpausing container " + name(container),
          DockerFailures.NO_SUCH_CONTAINER,
          () -> engine.client().unpauseContainerCmd(id).exec());
      return;
    }
    engine.call(
        "starting container " + name(container),
        DockerFailures.NO_SUCH_CONTAINER,
        () -> {
          try {
            return engine.client().startContainerCmd(id).exec();
          } catch (NotModifiedException alreadyRunning) {
            // Started in the meantime: what the caller wanted.
            return null;
          }
        });
  }

  /** A watch by the catalog's health rule; {@code url} may be {@code null}. */
  HealthWatch watch(String containerId, java.net.URI url) {
    return new HealthWatch(
        engine,
        containerId,
        url,
        HealthWatch::success,
        HealthWatch.Mode.CONTAINER_THEN_URL,
        services.options(),
        services.http());
  }

  /**
   * {@link DockerFailures#UNHEALTHY}, retryable, naming what was last seen and the last lines of
   * the container's log.
   */
  ApplicationFailure unhealthy(
      DockerTarget target,
      String containerId,
      String what,
      HealthWatch.Outcome outcome,
      Object details) {
    String health = outcome == null ? "unknown" : outcome.last().health();
    String message = target.describe() + " " + what + " (last health: " + health + ")";
    String log = ContainerLogs.lastLines(engine, containerId, 5);
    return ActionFailures.retryable(
        DockerFailures.UNHEALTHY,
        log.isEmpty() ? message : message + "; last lines of its log:\n" + log,
        details);
  }

  static String name(InspectContainerResponse container) {
    String name = container.getName();
    return "'" + (name == null ? container.getId() : name.replaceFirst("^/", "")) + "'";
  }
}
