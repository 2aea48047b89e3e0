package io.drctl.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.Activity;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker.snapshotVolume}: the volume's whole content as a gzip-compressed tar in a local
 * backup store, at {@code <store>/safety/<incident>/<label>-<volume>.tar.gz} with a JSON manifest
 * beside it. The volume is mounted read-only into a helper container that is created but never
 * started (no shell or tar is needed in any image: the engine's archive API reads it), and its
 * entries are renamed to be relative to the volume's root. The copy is written under a temporary
 * name and renamed when complete, so a repeat with the same incident finds either a complete copy
 * (and reuses it) or none.
 */
final class VolumeSnapshot {
  private static final Logger log = LoggerFactory.getLogger(VolumeSnapshot.class);
  static final String MOUNT_POINT = "/drctl-volume";
  static final String HELPER_LABEL = "io.drctl.helper";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerServices services;

  VolumeSnapshot(DockerServices services) {
    this.services = services;
  }

  DockerSnapshotVolumeResult snapshot(DockerSnapshotVolumeInput input) {
    DockerInputs.present("docker.snapshotVolume", input);
    if (input.label().isBlank()) {
      throw ActionFailures.invalidInput("label must not be blank");
    }
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.VOLUME_KINDS);
    String volume = target.volume(input.volume());
    Path store = localStore(input);
    String incident = fileName(Activity.getExecutionContext().getInfo().getWorkflowId());
    String snapshotId = incident + "/" + fileName(input.label()) + "-" + fileName(volume);
    Path location = store.resolve("safety").resolve(snapshotId + ".tar.gz");
    Path manifest = location.resolveSibling(location.getFileName() + ".json");
    Optional<DockerSnapshotVolumeResult> existing = complete(location, manifest);
    if (existing.isPresent()) {
      return existing.get();
    }

    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    engine.json(
        "GET",
        "/volumes/" + DockerEngine.encode(volume),
        null,
        "inspecting volume '" + volume + "'",
        DockerFailures.NO_SUCH_VOLUME);
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
    String helper = createHelper(engine, volume, helperImage(engine, target, users));
    List<String> paused = new ArrayList<>();
    Path partial =
        location.resolveSibling("." + location.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      if (input.pause()) {
        pause(engine, users, paused);
      }
      Files.createDirectories(location.getParent());
      TarPacker.Totals totals = new TarPacker.Totals();
      String doing = "copying volume '" + volume + "'";
      Future<Integer> copying =
          services
              .calls()
              .submit(
                  () -> {
                    try {
                      return copy(engine, helper, partial, totals, input.bestEffort(), doing);
                    } catch (IOException e) {
                      throw stored(volume, location, e);
                    }
                  });
      int unreadable =
          heartbeats.await(
              copying,
              () ->
                  new DockerProgress(
                      "copying volume " + volume,
                      1,
                      "",
                      0,
                      totals.bytes.get(),
                      (long) heartbeats.elapsedSeconds()));
      Files.move(partial, location, StandardCopyOption.ATOMIC_MOVE);
      DockerSnapshotVolumeResult result =
          new DockerSnapshotVolumeResult(
              snapshotId,
              volume,
              location.toString(),
              Files.size(location),
              Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
              unreadable);
      writeManifest(manifest, result, input.label(), totals);
      return result;
    } catch (IOException e) {
      throw stored(volume, location, e);
    } finally {
      unpause(engine, paused);
      ContainerRecreation.remove(engine, helper);
      deleteQuietly(partial);
    }
  }

  /**
   * Reads the volume through the helper and writes it, entries relative to the volume's root,
   * compressed and flushed to disk. Returns the number of unreadable files: 0, or with {@code
   * bestEffort} 1 when the engine's stream broke off (it stops at the first file it cannot read;
   * what came before is kept).
   */
  private static int copy(
      DockerEngine engine,
      String helper,
      Path partial,
      TarPacker.Totals totals,
      boolean bestEffort,
      String doing)
      throws IOException {
    int unreadable = 0;
    try (TarArchiveOutputStream out =
            new TarArchiveOutputStream(
                new GzipCompressorOutputStream(
                    new BufferedOutputStream(
                        Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW), 1 << 16)));
        InputStream stream =
            RemoteSide.of(
                engine.call(
                    doing,
                    DockerFailures.NO_SUCH_VOLUME,
                    () ->
                        engine.client().copyArchiveFromContainerCmd(helper, MOUNT_POINT).exec()));
        TarArchiveInputStream in = new TarArchiveInputStream(stream)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      String prefix = MOUNT_POINT.substring(1) + "/";
      try {
        for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
          String name = entry.getName();
          if (!name.startsWith(prefix) || name.equals(prefix)) {
            continue;
          }
          entry.setName(name.substring(prefix.length()));
          if (entry.isLink() && entry.getLinkName().startsWith(prefix)) {
            entry.setLinkName(entry.getLinkName().substring(prefix.length()));
          }
          out.putArchiveEntry(entry);
          if (entry.isFile()) {
            totals.bytes.addAndGet(in.transferTo(out));
            totals.files.incrementAndGet();
          }
          out.closeArchiveEntry();
        }
      } catch (RemoteSide.Failed broken) {
        if (!bestEffort) {
          throw broken;
        }
        unreadable = 1;
      }
      out.finish();
    } catch (RemoteSide.Failed broken) {
      throw ActionFailures.retryable(
          DockerFailures.SNAPSHOT_FAILED,
          doing
              + ": the engine's stream broke off: "
              + broken.getCause().getClass().getSimpleName()
              + " "
              + broken.getMessage());
    }
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    return unreadable;
  }

  private static RuntimeException stored(String volume, Path location, IOException e) {
    return ActionFailures.retryable(
        DockerFailures.SNAPSHOT_FAILED,
        "the copy of volume '"
            + volume
            + "' could not be stored at "
            + location
            + ": "
            + e.getClass().getSimpleName()
            + " "
            + e.getMessage());
  }

  private Path localStore(DockerSnapshotVolumeInput input) {
    JsonNode store = StepTargets.of(input.targets()).require("store", input.store());
    if (!"backupStore".equals(store.path("kind").asText())) {
      throw ActionFailures.invalidInput(
          "target '" + input.store() + "' is not a backupStore target");
    }
    if (!"local".equals(store.path("store").asText())) {
      throw ActionFailures.nonRetryable(
          ActionFailures.ACTION_NOT_IMPLEMENTED,
          "docker.snapshotVolume writes to local stores only on this worker; store '"
              + input.store()
              + "' is "
              + store.path("store").asText("of no kind"));
    }
    String path = store.path("path").asText("");
    if (!path.startsWith("/")) {
      throw ActionFailures.invalidInput("store '" + input.store() + "' needs an absolute path");
    }
    return Path.of(path);
  }

  /**
   * The image of the target's container, else of any container using the volume, else the
   * configured one.
   */
  private String helperImage(DockerEngine engine, DockerTarget target, List<Container> users) {
    if (target.container() != null) {
      Optional<InspectContainerResponse> own = engine.findContainer(target.container());
      if (own.isPresent()) {
        return own.get().getImageId();
      }
    }
    if (!users.isEmpty()) {
      return users.get(0).getImageId();
    }
    if (services.options().helperImage() != null) {
      return services.options().helperImage();
    }
    throw ActionFailures.nonRetryable(
        DockerFailures.SNAPSHOT_FAILED,
        "no container uses the volume of target "
            + target.name()
            + " and the worker has no helper image (DockerOptions.helperImage) to mount it with");
  }

  private static String createHelper(DockerEngine engine, String volume, String image) {
    ObjectNode body = JSON.createObjectNode().put("Image", image);
    body.putArray("Entrypoint").add("/drctl-never-started");
    body.putArray("Cmd");
    body.putObject("Labels").put(HELPER_LABEL, "snapshot");
    ObjectNode hostConfig = body.putObject("HostConfig").put("NetworkMode", "none");
    hostConfig.putArray("Binds").add(volume + ":" + MOUNT_POINT + ":ro");
    return engine
        .json(
            "POST",
            "/containers/create?name=drctl-snapshot-" + UUID.randomUUID(),
            body,
            "creating the helper that mounts volume '" + volume + "'",
            DockerFailures.NO_SUCH_IMAGE)
        .path("Id")
        .asText();
  }

  private static void pause(DockerEngine engine, List<Container> users, List<String> paused) {
    for (Container user : users) {
      if ("running".equals(user.getState())) {
        engine.call(
            "pausing container " + user.getId(),
            DockerFailures.NO_SUCH_CONTAINER,
            () -> engine.client().pauseContainerCmd(user.getId()).exec());
        paused.add(user.getId());
      }
    }
  }

  private static void unpause(DockerEngine engine, List<String> paused) {
    for (String id : paused) {
      engine.call(
          "unpausing container " + id,
          DockerFailures.NO_SUCH_CONTAINER,
          () -> engine.client().unpauseContainerCmd(id).exec());
    }
  }

  private static Optional<DockerSnapshotVolumeResult> complete(Path location, Path manifest) {
    if (!Files.isRegularFile(location) || !Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    try {
      DockerSnapshotVolumeResult recorded =
          JSON.treeToValue(
              JSON.readTree(manifest.toFile()).path("result"), DockerSnapshotVolumeResult.class);
      return recorded.sizeBytes() == Files.size(location)
          ? Optional.of(recorded)
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeManifest(
      Path manifest, DockerSnapshotVolumeResult result, String label, TarPacker.Totals totals)
      throws IOException {
    ObjectNode document =
        JSON.createObjectNode()
            .put("label", label)
            .put("files", totals.files.get())
            .put("contentBytes", totals.bytes.get());
    document.set("result", JSON.valueToTree(result));
    Path temporary = manifest.resolveSibling("." + manifest.getFileName() + ".partial");
    Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
    Files.move(
        temporary, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Keeps a name safe as one file name component. */
  static String fileName(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not delete partial snapshot {}: {}", path, e.toString());
    }
  }
}
