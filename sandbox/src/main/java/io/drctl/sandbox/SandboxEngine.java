package io.drctl.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.docker.HealthCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Docker engine as the sandbox uses it: containers and volumes labelled with their sandbox,
 * nothing else touched. The client is the docker backend's ({@link DockerClients}); every engine
 * error becomes a one-line {@link SandboxException}. Thread-safe.
 */
public final class SandboxEngine implements AutoCloseable {
  /** How long one health check may take before Docker counts it failed. */
  static final long HEALTH_TIMEOUT_SECONDS = 10;

  private static final long SECOND_NANOS = 1_000_000_000L;

  private final String host;
  private final DockerClient client;

  public SandboxEngine(DockerOptions options) {
    this.host = options.defaultHost();
    this.client = DockerClients.open(options);
  }

  /** The engine of {@code DOCKER_HOST}, else the standard socket. */
  public static SandboxEngine fromEnvironment() {
    return new SandboxEngine(DockerOptions.defaults());
  }

  public String host() {
    return host;
  }

  /** Fails with the fix when the image is not on the engine: no registry is assumed. */
  public void requireImage(String image, Role role, SandboxImages images) {
    try {
      client.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      String fix =
          images.defaulted()
              ? "run bin/setup images"
              : "pull or build it (docker pull "
                  + image
                  + "), or unset "
                  + SandboxImages.variable(role)
                  + " and run bin/setup images";
      throw new SandboxException("image " + image + " not found: " + fix);
    } catch (RuntimeException e) {
      throw failure("looking up image " + image, e);
    }
  }

  public Optional<InspectContainerResponse> find(String nameOrId) {
    try {
      return Optional.of(client.inspectContainerCmd(nameOrId).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspecting container " + nameOrId, e);
    }
  }

  public InspectContainerResponse inspect(String nameOrId) {
    return find(nameOrId)
        .orElseThrow(() -> new SandboxException("container " + nameOrId + " is gone"));
  }

  /** Containers labelled with the sandbox, in any state. */
  public List<Container> containers(String sandbox) {
    return call(
        "listing the containers of sandbox " + sandbox,
        () ->
            client
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(SandboxLayout.SANDBOX_LABEL, sandbox))
                .exec());
  }

  /** Names of the volumes labelled with the sandbox. */
  public List<String> volumes(String sandbox) {
    List<InspectVolumeResponse> volumes =
        call(
            "listing the volumes of sandbox " + sandbox,
            () ->
                client
                    .listVolumesCmd()
                    .withFilter("label", List.of(SandboxLayout.SANDBOX_LABEL + "=" + sandbox))
                    .exec()
                    .getVolumes());
    return volumes == null
        ? List.of()
        : volumes.stream().map(InspectVolumeResponse::getName).sorted().toList();
  }

  /**
   * Makes the volume with the sandbox's labels unless it exists; an existing volume of another
   * owner is refused rather than adopted.
   */
  public void ensureVolume(String name, String sandbox, String purpose) {
    Optional<InspectVolumeResponse> existing;
    try {
      existing = Optional.of(client.inspectVolumeCmd(name).exec());
    } catch (NotFoundException e) {
      existing = Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspecting volume " + name, e);
    }
    if (existing.isPresent()) {
      Map<String, String> labels = existing.get().getLabels();
      String owner = labels == null ? null : labels.get(SandboxLayout.SANDBOX_LABEL);
      if (!sandbox.equals(owner)) {
        throw new SandboxException(
            "volume "
                + name
                + " exists but is not part of sandbox "
                + sandbox
                + (owner == null ? "" : " (it belongs to sandbox " + owner + ")")
                + "; remove it (docker volume rm "
                + name
                + ") or choose another --name");
      }
      return;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SandboxLayout.SANDBOX_LABEL, sandbox);
    labels.put(SandboxLayout.ROLE_LABEL, purpose);
    call(
        "creating volume " + name,
        () -> client.createVolumeCmd().withName(name).withLabels(labels).exec());
  }

  /** Creates (does not start) the container of a spec; its volumes must exist. Returns its id. */
  public String create(ServiceSpec spec, String sandbox) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SandboxLayout.SANDBOX_LABEL, sandbox);
    labels.put(SandboxLayout.ROLE_LABEL, spec.role().suffix());
    labels.put(ServiceSpec.FINGERPRINT_LABEL, spec.fingerprint());
    List<Mount> mounts = new ArrayList<>();
    spec.volumes()
        .forEach(
            (volume, path) -> {
              boolean readOnly = path.endsWith(ServiceSpec.READ_ONLY);
              mounts.add(
                  new Mount()
                      .withType(MountType.VOLUME)
                      .withSource(volume)
                      .withTarget(
                          readOnly
                              ? path.substring(0, path.length() - ServiceSpec.READ_ONLY.length())
                              : path)
                      .withReadOnly(readOnly));
            });
    spec.binds()
        .forEach(
            bind ->
                mounts.add(
                    new Mount()
                        .withType(MountType.BIND)
                        .withSource(bind.hostPath())
                        .withTarget(bind.containerPath())
                        .withReadOnly(bind.readOnly())));
    HostConfig hostConfig = HostConfig.newHostConfig().withNetworkMode("host").withMounts(mounts);
    HealthCheck health =
        new HealthCheck()
            .withTest(List.of("CMD-SHELL", spec.healthCommand()))
            .withInterval((Role.SELDOM_CHECKED.contains(spec.role()) ? 5 : 2) * SECOND_NANOS)
            // 10 s, not 5: on a 2-core machine shared by several builds (load average 40 to 85) a
            // Python
            // health check took over 5 s to start and answer, and healthy containers were marked
            // unhealthy.
            .withTimeout(HEALTH_TIMEOUT_SECONDS * SECOND_NANOS)
            .withRetries(3)
            .withStartPeriod(spec.healthWait().toNanos());
    return call(
        "creating container " + spec.container(),
        () -> {
          CreateContainerCmd create =
              client
                  .createContainerCmd(spec.image())
                  .withName(spec.container())
                  .withEntrypoint("/bin/sh", "-c", spec.script())
                  .withCmd(List.of())
                  .withEnv(spec.environmentEntries())
                  .withLabels(labels)
                  .withHostConfig(hostConfig)
                  .withHealthcheck(health)
                  .withStopSignal(spec.stopSignal());
          return create.exec().getId();
        });
  }

  public void start(String id) {
    call("starting container " + id, () -> client.startContainerCmd(id).exec());
  }

  /** Sends SIGKILL, as a crash or an OOM kill would. */
  public void kill(String id) {
    call("killing container " + id, () -> client.killContainerCmd(id).exec());
  }

  /** Removes a container, running or not; a missing one is fine. */
  public void remove(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
    } catch (NotFoundException e) {
      // Already gone: what was asked for.
    } catch (RuntimeException e) {
      throw failure("removing container " + id, e);
    }
  }

  /** Removes a volume; a missing one is fine. */
  public void removeVolume(String name) {
    try {
      client.removeVolumeCmd(name).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (RuntimeException e) {
      throw failure("removing volume " + name, e);
    }
  }

  /**
   * Runs a container's own health command once, now, as Docker's HEALTHCHECK would ({@code sh -c}
   * in the container, with its environment: {@link HealthCommand}); true when it exits 0 within
   * {@link #HEALTH_TIMEOUT_SECONDS}. Docker runs the first check only an interval after the start;
   * this lets {@code up} see a service ready as soon as it is.
   */
  public boolean passesHealthCommand(String id, String command) {
    return HealthCommand.passes(
        client, id, List.of("/bin/sh", "-c", command), Duration.ofSeconds(HEALTH_TIMEOUT_SECONDS));
  }

  /** The last {@code lines} lines of a container's output, or why they could not be read. */
  public String logTail(String id, int lines) {
    StringBuilder text = new StringBuilder();
    try {
      client
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(lines)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted while reading the logs)";
    } catch (RuntimeException e) {
      return "(cannot read the logs: " + oneLine(e) + ")";
    }
    return text.toString().strip();
  }

  private <T> T call(String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw failure(doing, e);
    }
  }

  private void call(String doing, Runnable call) {
    call(
        doing,
        () -> {
          call.run();
          return null;
        });
  }

  private SandboxException failure(String doing, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return new SandboxException(
            "cannot reach the Docker engine at "
                + host
                + " while "
                + doing
                + ": "
                + oneLine(cause)
                + " (start one with bin/setup docker, or set DOCKER_HOST)",
            e);
      }
    }
    if (e instanceof DockerException docker) {
      return new SandboxException(
          "the Docker engine at "
              + host
              + " refused "
              + doing
              + ": "
              + engineMessage(docker.getMessage()),
          e);
    }
    return new SandboxException(doing + " failed: " + oneLine(e), e);
  }

  static String engineMessage(String message) {
    if (message == null) {
      return "(no message)";
    }
    String text = message.strip();
    int at = text.indexOf("\"message\":\"");
    if (at >= 0) {
      int end = text.indexOf('"', at + 11);
      text = text.substring(at + 11, end > 0 ? end : text.length());
    }
    return text.replaceFirst("^Status \\d+: ", "").lines().findFirst().orElse("");
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing an idle connection pool: nothing to lose.
    }
  }
}
