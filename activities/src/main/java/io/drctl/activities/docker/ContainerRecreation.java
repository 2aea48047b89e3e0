package io.drctl.activities.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code docker.recreate}, the way docker-compose does it: the old container is stopped and renamed
 * aside, the new one created under the name from the old one's recorded configuration, and only
 * then is the old one removed. Until that point the configuration stays on the engine, so a failed
 * creation is rolled back (the old container renamed back and started) and a retry after a crash
 * resumes from the heartbeat's ids ({@link RecreateProgress}).
 */
final class ContainerRecreation {
  static final String ASIDE_MARK = "_drctl-replaced-";

  private final DockerServices services;

  ContainerRecreation(DockerServices services) {
    this.services = services;
  }

  DockerRecreateResult recreate(DockerRecreateInput input) {
    DockerInputs.present("docker.recreate", input);
    Duration stopTimeout = DockerInputs.duration("stopTimeout", input.stopTimeout());
    Duration healthTimeout = DockerInputs.positiveDuration("healthTimeout", input.healthTimeout());
    if (input.image() != null && input.image().isBlank()) {
      throw ActionFailures.invalidInput("image must not be blank");
    }
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    ContainerControl control = new ContainerControl(services, engine, heartbeats);

    Optional<InspectContainerResponse> byName = engine.findContainer(target.requireContainer());
    RecreateProgress resume = heartbeats.previous(RecreateProgress.class);
    RecreateProgress progress;
    if (resume != null && !resume.previousContainerId().isEmpty()) {
      progress = resume.at("resuming", heartbeats);
    } else {
      InspectContainerResponse old =
          byName.orElseThrow(
              () ->
                  ActionFailures.nonRetryable(
                      DockerFailures.NO_SUCH_CONTAINER, target.describe() + " does not exist"));
      progress =
          new RecreateProgress(
              "recording",
              old.getId(),
              ContainerControl.isRunning(old),
              "",
              "",
              0,
              (long) heartbeats.elapsedSeconds());
    }
    heartbeats.beat(progress);
    String previousId = progress.previousContainerId();

    if (byName.isPresent() && byName.get().getId().equals(previousId)) {
      InspectContainerResponse old = byName.get();
      control.stop(old, stopTimeout, progress.at("stopping", heartbeats));
      String aside =
          ContainerControl.name(old).replace("'", "") + ASIDE_MARK + previousId.substring(0, 12);
      rename(engine, previousId, aside);
      progress = progress.at("moved aside", heartbeats);
      heartbeats.beat(progress);
      byName = Optional.empty();
    }
    String newId;
    if (byName.isPresent()) {
      newId = byName.get().getId();
      if (!newId.equals(progress.newContainerId())) {
        throw ActionFailures.retryable(
            DockerFailures.ENGINE_CONFLICT,
            "container "
                + newId
                + " took the name of "
                + target.describe()
                + " while it was being recreated");
      }
    } else {
      newId = create(engine, previousId, input.image(), progress.previousWasRunning());
      progress = progress.created(newId, heartbeats);
      heartbeats.beat(progress);
    }
    remove(engine, previousId);
    control.start(engine.container(newId));

    HealthWatch.Outcome outcome = null;
    if (input.waitHealthy()) {
      RecreateProgress created = progress;
      outcome =
          control
              .watch(newId, DockerInputs.url("healthUrl", target.healthUrl()))
              .await(
                  healthTimeout,
                  services.options().pollInterval(),
                  true,
                  heartbeats,
                  (reading, probes) -> created.health(reading.health(), probes, heartbeats));
    }
    InspectContainerResponse created = engine.container(newId);
    boolean healthy =
        outcome != null
            ? outcome.healthy()
            : ContainerLifecycle.checkStatus(created).equals("healthy");
    DockerRecreateResult result =
        new DockerRecreateResult(
            newId,
            previousId,
            created.getConfig().getImage(),
            healthy,
            heartbeats.elapsedSeconds());
    if (outcome != null && !healthy) {
      throw control.unhealthy(
          target,
          newId,
          "was recreated but not healthy within " + input.healthTimeout(),
          outcome,
          result);
    }
    return result;
  }

  /**
   * Creates the new container from the old one's configuration; on failure puts the old one back.
   */
  private String create(DockerEngine engine, String previousId, String image, boolean wasRunning) {
    ContainerBlueprint aside = ContainerBlueprint.record(engine, previousId);
    String name =
        aside.name().contains(ASIDE_MARK)
            ? aside.name().substring(0, aside.name().lastIndexOf(ASIDE_MARK))
            : aside.name();
    try {
      return aside.named(name).create(engine, image);
    } catch (RuntimeException e) {
      rename(engine, previousId, name);
      if (wasRunning) {
        engine.call(
            "restarting the old container '" + name + "'",
            DockerFailures.NO_SUCH_CONTAINER,
            () -> engine.client().startContainerCmd(previousId).exec());
      }
      throw e;
    }
  }

  private static void rename(DockerEngine engine, String id, String name) {
    engine.call(
        "renaming container " + id + " to '" + name + "'",
        DockerFailures.NO_SUCH_CONTAINER,
        () -> engine.client().renameContainerCmd(id).withName(name).exec());
  }

  /** Removes the old container (its volumes are kept); gone already is fine. */
  static void remove(DockerEngine engine, String id) {
    engine.call(
        "removing container " + id,
        DockerFailures.NO_SUCH_CONTAINER,
        () -> {
          try {
            return engine
                .client()
                .removeContainerCmd(id)
                .withForce(true)
                .withRemoveVolumes(false)
                .exec();
          } catch (NotFoundException gone) {
            return null;
          }
        });
  }
}
