package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ApplicationFailure;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's configuration as the engine records it ({@code Config}, {@code HostConfig}, its
 * networks and anonymous volumes), kept as the engine's own JSON so that nothing is lost that
 * docker-java does not model (stop signal, stop timeout, any newer field). From it a container is
 * created again: the equivalent of {@code docker-compose up --force-recreate}. Immutable.
 *
 * <p>It never leaves the worker (no heartbeat details, no failure details): the configuration's env
 * often holds passwords. A retry that needs it again reads it back from the engine, from a
 * container kept for that purpose.
 *
 * @param name the container's name, without the leading slash
 * @param containerId the recorded container's id
 * @param imageId the id of the image it ran
 * @param wasRunning whether it was running when recorded
 * @param config the engine's {@code Config}
 * @param hostConfig the engine's {@code HostConfig}, anonymous volumes added to its binds
 * @param networks the engine's {@code NetworkSettings.Networks}
 */
record ContainerBlueprint(
    String name,
    String containerId,
    String imageId,
    boolean wasRunning,
    ObjectNode config,
    ObjectNode hostConfig,
    ObjectNode networks) {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Config fields an image sets; with a new image, the old image's values give way to the new
   * one's.
   */
  private static final List<String> IMAGE_DEFAULTS =
      List.of(
          "Cmd",
          "Entrypoint",
          "WorkingDir",
          "User",
          "Healthcheck",
          "StopSignal",
          "Shell",
          "OnBuild");

  private static final Set<String> NETWORK_MODES_WITHOUT_ENDPOINTS = Set.of("host", "none");

  /**
   * Records the container's configuration; {@link DockerFailures#NO_SUCH_CONTAINER} when it is
   * gone.
   */
  static ContainerBlueprint record(DockerEngine engine, String nameOrId) {
    JsonNode inspected =
        engine.json(
            "GET",
            "/containers/" + DockerEngine.encode(nameOrId) + "/json",
            null,
            "recording the configuration of container '" + nameOrId + "'",
            DockerFailures.NO_SUCH_CONTAINER);
    ObjectNode hostConfig = object(inspected.path("HostConfig"));
    addAnonymousVolumes(hostConfig, inspected.path("Mounts"));
    return new ContainerBlueprint(
        inspected.path("Name").asText().replaceFirst("^/", ""),
        inspected.path("Id").asText(),
        inspected.path("Image").asText(),
        inspected.path("State").path("Running").asBoolean(),
        object(inspected.path("Config")),
        hostConfig,
        object(inspected.path("NetworkSettings").path("Networks")));
  }

  /** The image the configuration names. */
  String image() {
    return config.path("Image").asText();
  }

  /**
   * Creates the container again, not started, under its recorded name: from {@code image}, or the
   * recorded image when {@code null}. With another image, configuration the old image had set
   * (command, entrypoint, its env and labels, ...) gives way to the new image's. Falls back to the
   * recorded image id when the recorded image name no longer exists.
   *
   * @return the new container's id
   */
  String create(DockerEngine engine, String image) {
    String doing = "creating container '" + name + "'";
    JsonNode oldImage = null;
    if (image != null && !image.equals(image())) {
      oldImage = imageConfig(engine);
    }
    JsonNode created;
    try {
      created = post(engine, body(image == null ? image() : image, oldImage), doing);
    } catch (ApplicationFailure failure) {
      if (image != null
          || !DockerFailures.NO_SUCH_IMAGE.equals(failure.getType())
          || imageId.isEmpty()) {
        throw failure;
      }
      created = post(engine, body(imageId, null), doing);
    }
    String id = created.path("Id").asText();
    connectOtherNetworks(engine, id);
    return id;
  }

  private JsonNode post(DockerEngine engine, ObjectNode body, String doing) {
    return engine.json(
        "POST",
        "/containers/create?name=" + DockerEngine.encode(name),
        body,
        doing,
        DockerFailures.NO_SUCH_IMAGE);
  }

  ObjectNode body(String image, JsonNode oldImageConfig) {
    ObjectNode body = config.deepCopy();
    body.put("Image", image);
    String networkMode = hostConfig.path("NetworkMode").asText("default");
    String hostname = body.path("Hostname").asText();
    if (containerId.startsWith(hostname)
        || NETWORK_MODES_WITHOUT_ENDPOINTS.contains(networkMode)
        || networkMode.startsWith("container:")) {
      // A generated hostname (the old id), or one the network mode does not allow setting.
      body.remove("Hostname");
    }
    if (oldImageConfig != null) {
      dropImageDefaults(body, oldImageConfig);
    }
    body.set("HostConfig", hostConfig.deepCopy());
    String primary = primaryNetwork(networkMode);
    if (primary != null && networks.has(primary)) {
      ObjectNode endpoints = NODES.objectNode();
      endpoints.set(primary, endpoint(networks.path(primary)));
      body.putObject("NetworkingConfig").set("EndpointsConfig", endpoints);
    }
    return body;
  }

  private JsonNode imageConfig(DockerEngine engine) {
    try {
      return engine
          .json(
              "GET",
              "/images/" + DockerEngine.encode(imageId) + "/json",
              null,
              "reading the configuration of image " + imageId,
              DockerFailures.NO_SUCH_IMAGE)
          .path("Config");
    } catch (ApplicationFailure failure) {
      if (DockerFailures.NO_SUCH_IMAGE.equals(failure.getType())) {
        return null; // The old image is gone: its defaults can no longer be told apart.
      }
      throw failure;
    }
  }

  private static void dropImageDefaults(ObjectNode body, JsonNode image) {
    for (String field : IMAGE_DEFAULTS) {
      if (body.has(field) && body.get(field).equals(image.get(field))) {
        body.remove(field);
      }
    }
    if (body.path("Env").isArray()) {
      Set<String> inherited = new HashSet<>();
      image.path("Env").forEach(entry -> inherited.add(entry.asText()));
      ArrayNode env = NODES.arrayNode();
      body.path("Env")
          .forEach(
              entry -> {
                if (!inherited.contains(entry.asText())) {
                  env.add(entry);
                }
              });
      body.set("Env", env);
    }
    for (String field : List.of("Labels", "ExposedPorts", "Volumes")) {
      if (body.path(field).isObject()) {
        ObjectNode kept = ((ObjectNode) body.get(field)).deepCopy();
        image
            .path(field)
            .fields()
            .forEachRemaining(
                entry -> {
                  if (entry.getValue().equals(kept.get(entry.getKey()))) {
                    kept.remove(entry.getKey());
                  }
                });
        body.set(field, kept);
      }
    }
  }

  private void connectOtherNetworks(DockerEngine engine, String id) {
    String primary = primaryNetwork(hostConfig.path("NetworkMode").asText("default"));
    Iterator<Map.Entry<String, JsonNode>> all = networks.fields();
    while (all.hasNext()) {
      Map.Entry<String, JsonNode> network = all.next();
      if (network.getKey().equals(primary) || primary == null) {
        continue;
      }
      ObjectNode request = NODES.objectNode().put("Container", id);
      request.set("EndpointConfig", endpoint(network.getValue()));
      engine.json(
          "POST",
          "/networks/" + DockerEngine.encode(network.getKey()) + "/connect",
          request,
          "connecting container '" + name + "' to network " + network.getKey(),
          DockerFailures.ENGINE_REJECTED);
    }
  }

  /** The network the container is created on, or {@code null} for modes without endpoints. */
  private static String primaryNetwork(String networkMode) {
    if (NETWORK_MODES_WITHOUT_ENDPOINTS.contains(networkMode)
        || networkMode.startsWith("container:")) {
      return null;
    }
    return networkMode.equals("default") ? "bridge" : networkMode;
  }

  /** The endpoint settings a user gives: aliases (without the old id), addresses, links. */
  private ObjectNode endpoint(JsonNode recorded) {
    ObjectNode endpoint = NODES.objectNode();
    ArrayNode aliases = NODES.arrayNode();
    recorded
        .path("Aliases")
        .forEach(
            alias -> {
              if (!containerId.startsWith(alias.asText())) {
                aliases.add(alias);
              }
            });
    if (!aliases.isEmpty()) {
      endpoint.set("Aliases", aliases);
    }
    for (String field : List.of("IPAMConfig", "Links", "DriverOpts")) {
      if (!recorded.path(field).isMissingNode() && !recorded.path(field).isNull()) {
        endpoint.set(field, recorded.get(field));
      }
    }
    return endpoint;
  }

  /** Named volumes the container got from its image's VOLUME lines, kept as binds. */
  private static void addAnonymousVolumes(ObjectNode hostConfig, JsonNode mounts) {
    Set<String> explicit = new HashSet<>();
    hostConfig.path("Binds").forEach(bind -> explicit.add(bind.asText().split(":", 2)[0]));
    hostConfig.path("Mounts").forEach(mount -> explicit.add(mount.path("Source").asText()));
    ArrayNode binds =
        hostConfig.path("Binds").isArray()
            ? (ArrayNode) hostConfig.get("Binds")
            : NODES.arrayNode();
    for (JsonNode mount : mounts) {
      String volume = mount.path("Name").asText();
      if ("volume".equals(mount.path("Type").asText())
          && !volume.isEmpty()
          && !explicit.contains(volume)) {
        binds.add(
            volume
                + ":"
                + mount.path("Destination").asText()
                + (mount.path("RW").asBoolean(true) ? "" : ":ro"));
      }
    }
    if (!binds.isEmpty()) {
      hostConfig.set("Binds", binds);
    }
  }

  private static ObjectNode object(JsonNode node) {
    return node.isObject() ? ((ObjectNode) node).deepCopy() : NODES.objectNode();
  }

  /** The same configuration under another name. */
  ContainerBlueprint named(String newName) {
    return new ContainerBlueprint(
        newName, containerId, imageId, wasRunning, config, hostConfig, networks);
  }

  /** The same configuration with a label set ({@code value} {@code null}: removed). */
  ContainerBlueprint withLabel(String key, String value) {
    ObjectNode newConfig = config.deepCopy();
    ObjectNode labels =
        newConfig.path("Labels").isObject()
            ? (ObjectNode) newConfig.get("Labels")
            : newConfig.putObject("Labels");
    if (value == null) {
      labels.remove(key);
    } else {
      labels.put(key, value);
    }
    return new ContainerBlueprint(
        name, containerId, imageId, wasRunning, newConfig, hostConfig, networks);
  }

  /**
   * How this configuration attaches {@code volume}: {@code {"Binds": [...], "Mounts": [...]}} with
   * the binds ({@code volume:/path[:options]}) and mount specs that name it. Holds no secret.
   */
  ObjectNode attachments(String volume) {
    ObjectNode attachments = NODES.objectNode();
    ArrayNode binds = attachments.putArray("Binds");
    ArrayNode mounts = attachments.putArray("Mounts");
    hostConfig
        .path("Binds")
        .forEach(
            bind -> {
              if (bind.asText().split(":", 2)[0].equals(volume)) {
                binds.add(bind);
              }
            });
    hostConfig
        .path("Mounts")
        .forEach(
            mount -> {
              if ("volume".equals(mount.path("Type").asText())
                  && volume.equals(mount.path("Source").asText())) {
                mounts.add(mount);
              }
            });
    return attachments;
  }

  /** The same configuration without the attachments of {@code volume}. */
  ContainerBlueprint withoutVolume(String volume) {
    ObjectNode attached = attachments(volume);
    ObjectNode newHostConfig = hostConfig.deepCopy();
    for (String field : List.of("Binds", "Mounts")) {
      if (newHostConfig.path(field).isArray()) {
        ArrayNode kept = NODES.arrayNode();
        newHostConfig
            .get(field)
            .forEach(
                entry -> {
                  boolean removed = false;
                  for (JsonNode attachment : attached.path(field)) {
                    removed |= attachment.equals(entry);
                  }
                  if (!removed) {
                    kept.add(entry);
                  }
                });
        newHostConfig.set(field, kept);
      }
    }
    return new ContainerBlueprint(
        name, containerId, imageId, wasRunning, config, newHostConfig, networks);
  }

  /** The same configuration with {@code attachments} (from {@link #attachments}) added. */
  ContainerBlueprint withAttachments(JsonNode attachments) {
    ObjectNode newHostConfig = hostConfig.deepCopy();
    for (String field : List.of("Binds", "Mounts")) {
      if (attachments.path(field).isEmpty()) {
        continue;
      }
      ArrayNode entries =
          newHostConfig.path(field).isArray()
              ? (ArrayNode) newHostConfig.get(field)
              : newHostConfig.putArray(field);
      attachments.get(field).forEach(entries::add);
    }
    return new ContainerBlueprint(
        name, containerId, imageId, wasRunning, config, newHostConfig, networks);
  }

  /** Name, ids and image only: the configuration's env may hold secret values. */
  @Override
  public String toString() {
    return "ContainerBlueprint[name="
        + name
        + ", containerId="
        + containerId
        + ", image="
        + image()
        + ", imageId="
        + imageId
        + "]";
  }
}
