package io.drctl.activities.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker.removeVolume}. Docker removes no volume that a container (even a stopped one)
 * names, so the target's container goes first. Before it does, its configuration minus the volume
 * is copied into a <em>holder</em>: a container that is never started, named {@code
 * <name>_drctl-held}, whose labels also keep how the volume was created and attached. A retry after
 * a crash finds the holder by its name and finishes from it; the holder is removed at the end. The
 * configuration thus never leaves the engine (its env may hold passwords).
 */
final class VolumeRemoval {
  static final String HOLDER_MARK = "_drctl-held";
  static final String LABEL_HELD_FOR = "io.drctl.held-for";
  static final String LABEL_VOLUME_SPEC = "io.drctl.volume-spec";
  static final String LABEL_ATTACHMENTS = "io.drctl.volume-attachments";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerServices services;

  VolumeRemoval(DockerServices services) {
    this.services = services;
  }

  DockerRemoveVolumeResult removeVolume(DockerRemoveVolumeInput input) {
    DockerInputs.present("docker.removeVolume", input);
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.VOLUME_KINDS);
    String volume = target.volume(input.volume());
    String name = target.requireContainer();
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();

    Optional<InspectContainerResponse> original = engine.findContainer(name);
    Optional<InspectContainerResponse> holder = engine.findContainer(name + HOLDER_MARK);
    Optional<JsonNode> spec = volumeSpec(engine, volume);
    String holderId;
    if (original.isPresent()) {
      refuseOtherUsers(
          engine,
          volume,
          target,
          original.get().getId(),
          holder.map(InspectContainerResponse::getId));
      holder.ifPresent(stale -> ContainerRecreation.remove(engine, stale.getId()));
      holderId = hold(engine, original.get(), volume, spec.orElse(null));
      heartbeats.beat(DockerProgress.phase("stopping " + name, heartbeats));
      new ContainerControl(services, engine, heartbeats)
          .stop(
              original.get(),
              services.options().defaultStopTimeout(),
              DockerProgress.phase("stopping " + name, heartbeats));
      ContainerRecreation.remove(engine, original.get().getId());
    } else if (holder.isPresent()) {
      holderId = holder.get().getId();
      refuseOtherUsers(engine, volume, target, holderId, Optional.empty());
    } else {
      throw ActionFailures.nonRetryable(
          DockerFailures.NO_SUCH_CONTAINER, target.describe() + " does not exist");
    }
    heartbeats.beat(DockerProgress.phase("removing volume " + volume, heartbeats));

    Long removedBytes = null;
    if (spec.isPresent()) {
      removedBytes = size(engine, volume);
      engine.json(
          "DELETE",
          "/volumes/" + DockerEngine.encode(volume),
          null,
          "removing volume '" + volume + "'",
          DockerFailures.NO_SUCH_VOLUME);
    }
    String containerId = "";
    if (input.recreateContainer()) {
      heartbeats.beat(DockerProgress.phase("recreating", heartbeats));
      containerId = recreate(engine, holderId, name, volume);
    }
    ContainerRecreation.remove(engine, holderId);
    return new DockerRemoveVolumeResult(volume, spec.isPresent(), removedBytes, containerId);
  }

  /** Creates the holder from the container's configuration without the volume. */
  static String hold(
      DockerEngine engine, InspectContainerResponse original, String volume, JsonNode spec) {
    ContainerBlueprint blueprint = ContainerBlueprint.record(engine, original.getId());
    String name = blueprint.name();
    return blueprint
        .withoutVolume(volume)
        .named(name + HOLDER_MARK)
        .withLabel(LABEL_HELD_FOR, name)
        .withLabel(LABEL_VOLUME_SPEC, spec == null ? null : spec.toString())
        .withLabel(LABEL_ATTACHMENTS, blueprint.attachments(volume).toString())
        .create(engine, null);
  }

  /**
   * An empty volume as the old one was created, and the container from the holder on it, stopped.
   */
  private static String recreate(DockerEngine engine, String holderId, String name, String volume) {
    ContainerBlueprint held = ContainerBlueprint.record(engine, holderId);
    ObjectNode request = JSON.createObjectNode().put("Name", volume);
    JsonNode spec = parse(label(held, LABEL_VOLUME_SPEC));
    if (spec != null) {
      request.put("Driver", spec.path("Driver").asText("local"));
      request.set(
          "DriverOpts",
          spec.path("Options").isObject() ? spec.get("Options") : JSON.createObjectNode());
      request.set(
          "Labels", spec.path("Labels").isObject() ? spec.get("Labels") : JSON.createObjectNode());
    }
    engine.json(
        "POST",
        "/volumes/create",
        request,
        "creating volume '" + volume + "'",
        DockerFailures.NO_SUCH_VOLUME);
    JsonNode attachments = parse(label(held, LABEL_ATTACHMENTS));
    ContainerBlueprint restored =
        held.named(name)
            .withLabel(LABEL_HELD_FOR, null)
            .withLabel(LABEL_VOLUME_SPEC, null)
            .withLabel(LABEL_ATTACHMENTS, null);
    return (attachments == null ? restored : restored.withAttachments(attachments))
        .create(engine, null);
  }

  private static void refuseOtherUsers(
      DockerEngine engine,
      String volume,
      DockerTarget target,
      String ownId,
      Optional<String> holderId) {
    List<Container> users =
        engine.call(
            "listing the containers of volume '" + volume + "'",
            DockerFailures.NO_SUCH_VOLUME,
            () ->
                engine
                    .client()
                    .listContainersCmd()
                    .withShowAll(true)
                    .withVolumeFilter(List.of(volume))
                    .exec());
    Set<String> ours = holderId.isPresent() ? Set.of(ownId, holderId.get()) : Set.of(ownId);
    List<String> others =
        users.stream()
            .filter(user -> !ours.contains(user.getId()))
            .map(
                user ->
                    user.getNames() == null || user.getNames().length == 0
                        ? user.getId()
                        : user.getNames()[0].replaceFirst("^/", ""))
            .toList();
    if (!others.isEmpty()) {
      throw ActionFailures.nonRetryable(
          DockerFailures.VOLUME_IN_USE,
          "volume '"
              + volume
              + "' of "
              + target.describe()
              + " is also used by "
              + String.join(", ", others)
              + "; nothing was removed");
    }
  }

  /**
   * The volume as the engine describes it (driver, options, labels), or empty when it does not
   * exist.
   */
  private static Optional<JsonNode> volumeSpec(DockerEngine engine, String volume) {
    try {
      return Optional.of(
          engine.json(
              "GET",
              "/volumes/" + DockerEngine.encode(volume),
              null,
              "inspecting volume '" + volume + "'",
              DockerFailures.NO_SUCH_VOLUME));
    } catch (ApplicationFailure failure) {
      if (DockerFailures.NO_SUCH_VOLUME.equals(failure.getType())) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  /** The volume's size from the engine's disk usage, or {@code null} when it does not know. */
  private static Long size(DockerEngine engine, String volume) {
    JsonNode usage =
        engine.json("GET", "/system/df", null, "reading disk usage", DockerFailures.ENGINE_ERROR);
    for (JsonNode entry : usage.path("Volumes")) {
      if (volume.equals(entry.path("Name").asText())) {
        long size = entry.path("UsageData").path("Size").asLong(-1);
        return size >= 0 ? size : null;
      }
    }
    return null;
  }

  private static String label(ContainerBlueprint blueprint, String key) {
    JsonNode value = blueprint.config().path("Labels").path(key);
    return value.isTextual() ? value.asText() : null;
  }

  private static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw ActionFailures.nonRetryable(
          ActionFailures.INTERNAL_ERROR,
          "the holder container's label is not JSON: " + e.getOriginalMessage());
    }
  }
}
