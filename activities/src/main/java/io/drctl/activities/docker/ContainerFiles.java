package io.drctl.activities.docker;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.drctl.store.local.LocalDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker.copyInto} and {@code docker.copyFrom}: tar streams through the engine's archive API
 * ({@code docker cp}), written and read on other threads while the activity heartbeats.
 */
final class ContainerFiles {
  private static final Logger log = LoggerFactory.getLogger(ContainerFiles.class);
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern OWNER = Pattern.compile("[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?");

  private final DockerServices services;

  ContainerFiles(DockerServices services) {
    this.services = services;
  }

  DockerCopyIntoResult copyInto(DockerCopyIntoInput input) {
    DockerInputs.present("docker.copyInto", input);
    Path source = Path.of(DockerInputs.path("source", input.source())).toAbsolutePath().normalize();
    String destination = DockerInputs.containerPath("destination", input.destination());
    if (destination.equals("/")) {
      throw ActionFailures.invalidInput("destination must not be the container's root");
    }
    Integer mode = mode(input.mode());
    if (input.owner() != null && !OWNER.matcher(input.owner()).matches()) {
      throw ActionFailures.invalidInput("owner must be user or user:group, was " + input.owner());
    }
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw ActionFailures.nonRetryable(
          DockerFailures.NO_SUCH_PATH, "source " + source + " does not exist on the worker");
    }
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    String id = engine.container(target.requireContainer()).getId();

    String parent = destination.substring(0, destination.lastIndexOf('/'));
    parent = parent.isEmpty() ? "/" : parent;
    Optional<DockerEngine.PathStat> parentStat = engine.stat(id, parent);
    if (parentStat.isEmpty() || !parentStat.get().isDirectory()) {
      throw ActionFailures.nonRetryable(
          DockerFailures.NO_SUCH_PATH,
          "directory "
              + parent
              + " does not exist in "
              + target.describe()
              + "; the destination's parent must exist");
    }
    if (!input.overwrite() && engine.stat(id, destination).isPresent()) {
      throw ActionFailures.nonRetryable(
          DockerFailures.DESTINATION_EXISTS,
          destination
              + " already exists in "
              + target.describe()
              + "; set overwrite to replace it");
    }
    int[] owner = owner(engine, id, input.owner(), target);

    TarPacker packer =
        new TarPacker(
            source,
            destination.substring(destination.lastIndexOf('/') + 1),
            owner[0],
            owner[1],
            mode);
    TarPacker.Totals totals = new TarPacker.Totals();
    String doing = "copying " + source + " into " + target.describe() + " at " + destination;
    String into = parent;
    PipedInputStream tar = new PipedInputStream(64 * 1024);
    Future<Void> packing;
    try {
      PipedOutputStream writer = new PipedOutputStream(tar);
      packing =
          services
              .calls()
              .submit(
                  () -> {
                    try (OutputStream out = RemoteSide.of(writer)) {
                      packer.write(out, totals);
                    }
                    return null;
                  });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Future<Void> sending =
        services
            .calls()
            .submit(
                () ->
                    engine.call(
                        doing,
                        DockerFailures.NO_SUCH_CONTAINER,
                        () ->
                            engine
                                .client()
                                .copyArchiveToContainerCmd(id)
                                .withRemotePath(into)
                                .withTarInputStream(tar)
                                .exec()));
    try {
      heartbeats.await(sending, () -> progress("copying into the container", totals, heartbeats));
    } catch (RuntimeException e) {
      closeQuietly(tar); // unblocks the packing thread
      throw localFailure(packing, engine, doing).orElse(e);
    }
    localFailure(packing, engine, doing)
        .ifPresent(
            failure -> {
              throw failure;
            });
    return new DockerCopyIntoResult(totals.bytes.get(), (int) totals.files.get());
  }

  DockerCopyFromResult copyFrom(DockerCopyFromInput input) {
    DockerInputs.present("docker.copyFrom", input);
    String source = DockerInputs.containerPath("source", input.source());
    Path destination = Path.of(DockerInputs.path("destination", input.destination()));
    if (!destination.isAbsolute()) {
      throw ActionFailures.invalidInput(
          "destination must be an absolute path on the worker, was " + input.destination());
    }
    destination = destination.normalize();
    if (destination.getParent() == null) {
      throw ActionFailures.invalidInput("destination must not be the worker's root");
    }
    if (!input.overwrite() && Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      throw ActionFailures.nonRetryable(
          DockerFailures.DESTINATION_EXISTS,
          destination + " already exists on the worker; set overwrite to replace it");
    }
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    String id = engine.container(target.requireContainer()).getId();
    String doing = "copying " + source + " out of " + target.describe();

    TarPacker.Totals totals = new TarPacker.Totals();
    Path partial =
        destination.resolveSibling(
            "." + destination.getFileName() + ".drctl-partial-" + UUID.randomUUID());
    try {
      Files.createDirectories(destination.getParent());
      Future<Void> copying =
          services
              .calls()
              .submit(
                  () -> {
                    try (InputStream tar =
                        RemoteSide.of(
                            engine.call(
                                doing,
                                DockerFailures.NO_SUCH_PATH,
                                () ->
                                    engine
                                        .client()
                                        .copyArchiveFromContainerCmd(id, source)
                                        .exec()))) {
                      new TarUnpacker(partial, totals).unpack(tar);
                    } catch (IOException e) {
                      throw RemoteSide.failure(engine, doing, e);
                    }
                    return null;
                  });
      heartbeats.await(copying, () -> progress("copying out of the container", totals, heartbeats));
      if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
        throw ActionFailures.retryable(
            DockerFailures.ENGINE_ERROR, doing + ": the engine sent an empty archive");
      }
      if (input.overwrite()) {
        LocalDirectories.deleteRecursively(destination);
      }
      Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(partial);
    }
    return new DockerCopyFromResult(
        totals.bytes.get(), (int) totals.files.get(), destination.toString());
  }

  /**
   * The packing thread's failure when it was the worker's own (a file that could not be read): that
   * is the cause to report, not the broken stream the engine then saw. Empty when packing went well
   * or only failed because the engine stopped reading.
   */
  private static Optional<RuntimeException> localFailure(
      Future<Void> packing, DockerEngine engine, String doing) {
    try {
      packing.get();
      return Optional.empty();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RemoteSide.Failed) {
        return Optional.empty();
      }
      if (cause instanceof IOException io) {
        return Optional.of(RemoteSide.failure(engine, doing, io));
      }
      return Optional.of(
          cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(Heartbeats.interrupted());
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Closing a pipe's reading end only marks it closed; there is nothing to lose.
      return;
    }
  }

  /** uid and gid for {@code user[:group]} from the container's own files; root without owner. */
  private int[] owner(DockerEngine engine, String id, String owner, DockerTarget target) {
    if (owner == null) {
      return new int[] {0, 0};
    }
    String[] parts = owner.split(":", 2);
    String passwd = readFile(engine, id, "/etc/passwd").orElse("root:x:0:0::/root:/bin/sh\n");
    String[] user =
        find(passwd, parts[0])
            .orElseThrow(
                () ->
                    ActionFailures.invalidInput(
                        "user " + parts[0] + " does not exist in " + target.describe()));
    int uid = Integer.parseInt(user[2]);
    int gid = Integer.parseInt(user[3]);
    if (parts.length == 2) {
      String groups = readFile(engine, id, "/etc/group").orElse("root:x:0:\n");
      gid =
          Integer.parseInt(
              find(groups, parts[1])
                  .orElseThrow(
                      () ->
                          ActionFailures.invalidInput(
                              "group " + parts[1] + " does not exist in " + target.describe()))[2]);
    }
    return new int[] {uid, gid};
  }

  private static Optional<String[]> find(String table, String name) {
    return table
        .lines()
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length >= 3 && fields[0].equals(name))
        .findFirst();
  }

  /** A small file of the container, or empty when it has none. */
  private static Optional<String> readFile(DockerEngine engine, String id, String path) {
    if (engine.stat(id, path).isEmpty()) {
      return Optional.empty();
    }
    String doing = "reading " + path + " in container " + id;
    try (InputStream stream =
            engine.call(
                doing,
                DockerFailures.NO_SUCH_PATH,
                () -> engine.client().copyArchiveFromContainerCmd(id, path).exec());
        TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
      if (tar.getNextEntry() == null) {
        return Optional.empty();
      }
      return Optional.of(new String(tar.readNBytes(1 << 20), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw EngineFailures.unavailable(engine.host(), doing, e);
    }
  }

  private static Integer mode(String text) {
    if (text == null) {
      return null;
    }
    if (!MODE.matcher(text).matches()) {
      throw ActionFailures.invalidInput("mode must be octal such as 0640, was " + text);
    }
    return Integer.parseInt(text, 8);
  }

  private static DockerProgress progress(
      String phase, TarPacker.Totals totals, Heartbeats heartbeats) {
    return new DockerProgress(
        phase, 1, "", 0, totals.bytes.get(), (long) heartbeats.elapsedSeconds());
  }

  private static void deleteQuietly(Path path) {
    try {
      LocalDirectories.deleteRecursively(path);
    } catch (IOException e) {
      // A partial copy that cannot be removed is named as such; it never replaces the destination.
      log.warn("could not delete partial copy {}: {}", path, e.toString());
    }
  }
}
