package io.drctl.activities.docker;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs the {@code docker} actions on Docker engines through docker-java. Each action lives in its
 * own small class; this one only classifies what escapes them ({@link ActionFailures#classify}).
 * Thread-safe; holds one client per engine until {@link #close()}.
 */
final class DockerActivitiesImpl implements DockerBackend {
  private final DockerServices services;
  private final ContainerLifecycle lifecycle;
  private final ContainerRecreation recreation;
  private final ContainerWatch watch;
  private final ContainerExec exec;
  private final ContainerLogs logs;
  private final ContainerFiles files;
  private final VolumeRemoval volumeRemoval;
  private final VolumeSnapshot volumeSnapshot;
  private final OneOffContainer oneOff;

  /** With the worker's {@code DOCKER_HOST} and {@link DockerOptions#defaults()}. */
  DockerActivitiesImpl(SecretResolver secrets) {
    this(secrets, DockerOptions.defaults());
  }

  DockerActivitiesImpl(SecretResolver secrets, DockerOptions options) {
    this.services = new DockerServices(options, Objects.requireNonNull(secrets, "secrets"));
    this.lifecycle = new ContainerLifecycle(services);
    this.recreation = new ContainerRecreation(services);
    this.watch = new ContainerWatch(services);
    this.exec = new ContainerExec(services);
    this.logs = new ContainerLogs(services);
    this.files = new ContainerFiles(services);
    this.volumeRemoval = new VolumeRemoval(services);
    this.volumeSnapshot = new VolumeSnapshot(services);
    this.oneOff = new OneOffContainer(services);
  }

  @Override
  public DockerRestartResult restart(DockerRestartInput input) {
    return classified(lifecycle::restart, input);
  }

  @Override
  public DockerRecreateResult recreate(DockerRecreateInput input) {
    return classified(recreation::recreate, input);
  }

  @Override
  public DockerStopResult stop(DockerStopInput input) {
    return classified(lifecycle::stop, input);
  }

  @Override
  public DockerStartResult start(DockerStartInput input) {
    return classified(lifecycle::start, input);
  }

  @Override
  public DockerExecResult exec(DockerExecInput input) {
    return classified(exec::exec, input);
  }

  @Override
  public DockerLogsResult logs(DockerLogsInput input) {
    return classified(logs::logs, input);
  }

  @Override
  public DockerWaitHealthyResult waitHealthy(DockerWaitHealthyInput input) {
    return classified(watch::waitHealthy, input);
  }

  @Override
  public DockerInspectResult inspect(DockerInspectInput input) {
    return classified(watch::inspect, input);
  }

  @Override
  public DockerRemoveVolumeResult removeVolume(DockerRemoveVolumeInput input) {
    return classified(volumeRemoval::removeVolume, input);
  }

  @Override
  public DockerCopyIntoResult copyInto(DockerCopyIntoInput input) {
    return classified(files::copyInto, input);
  }

  @Override
  public DockerCopyFromResult copyFrom(DockerCopyFromInput input) {
    return classified(files::copyFrom, input);
  }

  @Override
  public DockerSnapshotVolumeResult snapshotVolume(DockerSnapshotVolumeInput input) {
    return classified(volumeSnapshot::snapshot, input);
  }

  /**
   * Runs a command in a one-off sibling of the target's container (its image, its volumes, host
   * networking) and removes the sibling afterwards, whatever happens; see {@link OneOffContainer}.
   * Not a catalog action: for other backends' activities, on the activity's thread. A non-zero exit
   * other than the expected one is {@link io.drctl.activities.ActionFailures#UNEXPECTED_EXIT_CODE}
   * with the result as details, a timeout {@link
   * io.drctl.activities.ActionFailures#COMMAND_TIMED_OUT}, a program the image lacks {@link
   * io.drctl.activities.ActionFailures#COMMAND_NOT_FOUND}.
   */
  public DockerExecResult runOneOff(OneOffRun run) {
    return classified(oneOff::run, run);
  }

  /** Closes the engine clients and the call threads. */
  @Override
  public void close() {
    services.close();
  }

  private static <I, O> O classified(Function<I, O> action, I input) {
    try {
      return action.apply(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }
}
