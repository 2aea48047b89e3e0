package io.drctl.activities.docker;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.drctl.activities.Heartbeats;
import java.net.URI;
import java.time.Duration;

/** {@code docker.restart}, {@code docker.start} and {@code docker.stop}. */
final class ContainerLifecycle {
  private final DockerServices services;

  ContainerLifecycle(DockerServices services) {
    this.services = services;
  }

  DockerRestartResult restart(DockerRestartInput input) {
    DockerInputs.present("docker.restart", input);
    Duration stopTimeout = DockerInputs.duration("stopTimeout", input.stopTimeout());
    Duration healthTimeout = DockerInputs.positiveDuration("healthTimeout", input.healthTimeout());
    int maxAttempts =
        DockerInputs.between(
            "maxAttempts", input.maxAttempts(), 1, DockerRestartInput.MAX_ATTEMPTS_LIMIT);
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    URI url =
        DockerInputs.url(
            "healthUrl", input.healthUrl() != null ? input.healthUrl() : target.healthUrl());
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    ContainerControl control = new ContainerControl(services, engine, heartbeats);

    String id = engine.container(target.requireContainer()).getId();
    int restarts = 0;
    HealthWatch.Outcome outcome = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      int current = attempt;
      DockerProgress stopping = progress("stopping", current, "", 0, heartbeats);
      heartbeats.beat(stopping);
      control.stop(engine.container(id), stopTimeout, stopping);
      heartbeats.beat(progress("starting", current, "", 0, heartbeats));
      control.start(engine.container(id));
      restarts++;
      if (!input.waitHealthy()) {
        break;
      }
      outcome =
          control
              .watch(id, url)
              .await(
                  healthTimeout,
                  services.options().pollInterval(),
                  true,
                  heartbeats,
                  (reading, probes) ->
                      progress(
                          "waiting for health", current, reading.health(), probes, heartbeats));
      if (outcome.healthy()) {
        break;
      }
    }
    InspectContainerResponse last = engine.container(id);
    boolean healthy = input.waitHealthy() ? outcome.healthy() : checkStatus(last).equals("healthy");
    DockerRestartResult result =
        new DockerRestartResult(
            healthy,
            input.waitHealthy() ? outcome.last().health() : checkStatus(last),
            restarts,
            last.getRestartCount() == null ? 0 : last.getRestartCount(),
            id,
            last.getState().getStartedAt(),
            heartbeats.elapsedSeconds());
    if (!healthy && input.waitHealthy()) {
      throw control.unhealthy(
          target,
          id,
          "was not healthy after "
              + restarts
              + (restarts == 1 ? " restart" : " restarts")
              + " within "
              + input.healthTimeout()
              + " each",
          outcome,
          result);
    }
    return result;
  }

  DockerStartResult start(DockerStartInput input) {
    DockerInputs.present("docker.start", input);
    Duration healthTimeout = DockerInputs.positiveDuration("healthTimeout", input.healthTimeout());
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    URI url =
        DockerInputs.url(
            "healthUrl", input.healthUrl() != null ? input.healthUrl() : target.healthUrl());
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    ContainerControl control = new ContainerControl(services, engine, heartbeats);

    InspectContainerResponse container = engine.container(target.requireContainer());
    String id = container.getId();
    boolean wasRunning =
        ContainerControl.isRunning(container)
            && !Boolean.TRUE.equals(container.getState().getPaused());
    if (!wasRunning) {
      heartbeats.beat(progress("starting", 1, "", 0, heartbeats));
      control.start(container);
    }
    HealthWatch.Outcome outcome = null;
    if (input.waitHealthy()) {
      outcome =
          control
              .watch(id, url)
              .await(
                  healthTimeout,
                  services.options().pollInterval(),
                  true,
                  heartbeats,
                  (reading, probes) ->
                      progress("waiting for health", 1, reading.health(), probes, heartbeats));
    }
    InspectContainerResponse last = engine.container(id);
    boolean healthy = outcome != null ? outcome.healthy() : checkStatus(last).equals("healthy");
    DockerStartResult result =
        new DockerStartResult(wasRunning, healthy, id, last.getState().getStartedAt());
    if (outcome != null && !healthy) {
      throw control.unhealthy(
          target,
          id,
          "was not healthy within " + input.healthTimeout() + " of starting",
          outcome,
          result);
    }
    return result;
  }

  DockerStopResult stop(DockerStopInput input) {
    DockerInputs.present("docker.stop", input);
    Duration stopTimeout = DockerInputs.duration("stopTimeout", input.stopTimeout());
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();

    InspectContainerResponse container = engine.container(target.requireContainer());
    boolean wasRunning =
        new ContainerControl(services, engine, heartbeats)
            .stop(container, stopTimeout, progress("stopping", 1, "", 0, heartbeats));
    InspectContainerResponse.ContainerState state = engine.container(container.getId()).getState();
    Long exitCode = state.getExitCodeLong();
    return new DockerStopResult(
        wasRunning, exitCode == null ? 0 : exitCode.intValue(), state.getFinishedAt());
  }

  /** The HEALTHCHECK status without waiting: healthy, unhealthy, starting, or none without one. */
  static String checkStatus(InspectContainerResponse container) {
    HealthState health = container.getState().getHealth();
    return health == null || health.getStatus() == null ? "none" : health.getStatus();
  }

  private static DockerProgress progress(
      String phase, int attempt, String health, int probes, Heartbeats heartbeats) {
    return new DockerProgress(
        phase, attempt, health, probes, 0, (long) heartbeats.elapsedSeconds());
  }
}
