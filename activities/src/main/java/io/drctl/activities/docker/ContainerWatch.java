package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The read-only container actions: {@code docker.inspect} and {@code docker.waitHealthy}. */
final class ContainerWatch {
  private final DockerServices services;

  ContainerWatch(DockerServices services) {
    this.services = services;
  }

  DockerInspectResult inspect(DockerInspectInput input) {
    DockerInputs.present("docker.inspect", input);
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    String name = target.requireContainer();
    JsonNode container;
    try {
      // The engine's own JSON: docker-java's model drops the mounts' type.
      container =
          services
              .engine(target)
              .json(
                  "GET",
                  "/containers/" + DockerEngine.encode(name) + "/json",
                  null,
                  "inspecting " + target.describe(),
                  DockerFailures.NO_SUCH_CONTAINER);
    } catch (ApplicationFailure failure) {
      if (DockerFailures.NO_SUCH_CONTAINER.equals(failure.getType())) {
        return DockerInspectResult.missing();
      }
      throw failure;
    }
    JsonNode state = container.path("State");
    List<DockerInspectResult.Mount> mounts = new ArrayList<>();
    container
        .path("Mounts")
        .forEach(
            mount ->
                mounts.add(
                    new DockerInspectResult.Mount(
                        mount.path("Type").asText(""), mount.path("Name").asText(""),
                        mount.path("Source").asText(""), mount.path("Destination").asText(""))));
    return new DockerInspectResult(
        true,
        state.path("Running").asBoolean(),
        state.path("Status").asText(""),
        state.path("Health").path("Status").asText("none"),
        state.path("OOMKilled").asBoolean(),
        state.path("ExitCode").asInt(),
        container.path("RestartCount").asInt(),
        state.path("StartedAt").asText(""),
        state.path("FinishedAt").asText(""),
        container.path("Config").path("Image").asText(""),
        container.path("Id").asText(""),
        mounts);
  }

  DockerWaitHealthyResult waitHealthy(DockerWaitHealthyInput input) {
    DockerInputs.present("docker.waitHealthy", input);
    Duration interval = DockerInputs.positiveDuration("interval", input.interval());
    Duration within = DockerInputs.duration("within", input.within());
    DockerInputs.between("expectedStatus", input.expectedStatus(), 100, 599);
    boolean http =
        switch (input.probe()) {
          case DockerWaitHealthyInput.PROBE_CONTAINER -> false;
          case DockerWaitHealthyInput.PROBE_HTTP -> true;
          default ->
              throw ActionFailures.invalidInput(
                  "probe must be container or http, was " + input.probe());
        };
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();

    HealthWatch watch;
    if (http) {
      URI url = DockerInputs.url("url", input.url() != null ? input.url() : target.healthUrl());
      if (url == null) {
        throw ActionFailures.invalidInput(
            "probe http needs a url: target '" + target.name() + "' has no healthUrl");
      }
      int expected = input.expectedStatus();
      watch =
          new HealthWatch(
              engine,
              null,
              url,
              status -> status == expected,
              HealthWatch.Mode.URL_ONLY,
              services.options(),
              services.http());
    } else {
      String id = engine.container(target.requireContainer()).getId();
      watch =
          new HealthWatch(
              engine,
              id,
              null,
              HealthWatch::success,
              HealthWatch.Mode.CONTAINER_THEN_URL,
              services.options(),
              services.http());
    }
    HealthWatch.Outcome outcome =
        watch.await(
            within,
            interval,
            false,
            heartbeats,
            (reading, probes) ->
                new DockerProgress(
                    "waiting for health",
                    1,
                    reading.health(),
                    probes,
                    0,
                    (long) heartbeats.elapsedSeconds()));
    DockerWaitHealthyResult result =
        new DockerWaitHealthyResult(
            outcome.healthy(),
            outcome.last().health(),
            outcome.probes(),
            heartbeats.elapsedSeconds());
    if (!outcome.healthy()) {
      throw ActionFailures.retryable(
          DockerFailures.UNHEALTHY,
          (http ? "the http probe of target " + target.name() : target.describe())
              + " was not healthy within "
              + input.within()
              + " ("
              + outcome.probes()
              + " probes, last health: "
              + outcome.last().health()
              + ")",
          result);
    }
    return result;
  }
}
