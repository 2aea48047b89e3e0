package io.drctl.activities.docker;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Containers and volumes of targets, through the Docker engine API: the {@code docker} actions of
 * the catalog, activity types {@code docker.<verb>}.
 *
 * <p>Each method spells out its full activity type: Temporal ignores {@code namePrefix} for a
 * method with an explicit {@code @ActivityMethod(name)}.
 *
 * <p><b>Targets.</b> The input's {@code target} names a container, postgres or redis target that
 * the input's {@value StepTargets#MEMBER} carries; its {@code container} is the container's name.
 * The engine is the target's {@code dockerHost}, else the worker's {@code DOCKER_HOST}; one client
 * per engine serves every activity of the worker. Only {@code unix://} and plain {@code tcp://}
 * engines are supported.
 *
 * <p><b>Liveness.</b> Every action that waits heartbeats {@link DockerProgress} (or, for recreate,
 * {@link RecreateProgress}) at least every few seconds and stops waiting when the activity is
 * cancelled or timed out on the server; what the engine was already doing (a stop, an exec'd
 * command) goes on in the engine.
 *
 * <p><b>Errors</b>, classified once as {@link io.temporal.failure.ApplicationFailure} types of
 * {@link DockerFailures} and {@link ActionFailures}: the container missing is {@link
 * DockerFailures#NO_SUCH_CONTAINER} (not retryable; {@code inspect} reports it instead), the engine
 * unreachable or silent {@link DockerFailures#ENGINE_UNAVAILABLE} (retryable), the engine refusing
 * a request {@link DockerFailures#ENGINE_REJECTED} (not retryable), its server errors and other
 * conflicts {@link DockerFailures#ENGINE_ERROR} and {@link DockerFailures#ENGINE_CONFLICT}
 * (retryable). Every method fails non-retryably with {@value StepTargets#UNKNOWN_TARGET} for a
 * target missing from {@value StepTargets#MEMBER} and {@link ActionFailures#INVALID_INPUT} for
 * malformed input or a target of the wrong kind.
 */
@ActivityInterface(namePrefix = "docker.")
public interface DockerActivities {

  /**
   * Restarts the container (stop with {@code stopTimeout}, then start; a stopped one is just
   * started) and waits up to {@code healthTimeout} for health, up to {@code maxAttempts} times.
   * Health is the HEALTHCHECK status when the container has one (or its health command passing, run
   * by drctl while Docker still says starting: {@link HealthCommand}), else a 2xx from {@code
   * healthUrl} (or the target's), else being up for a moment with the same start time. An attempt
   * ends early when the container exits and its restart policy will not restart it.
   *
   * <p>Destructive (the service is down meanwhile); a repeat restarts again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#UNHEALTHY} (retryable)
   *     after the last attempt, with the {@link DockerRestartResult} as details and the last lines
   *     of the container's log in the message
   */
  @ActivityMethod(name = "docker.restart")
  DockerRestartResult restart(DockerRestartInput input);

  /**
   * Recreates the container from its recorded configuration (image, command, env, mounts, network
   * mode, restart policy, health check, labels; optionally a new image), the way {@code
   * docker-compose up --force-recreate} does: stop, rename aside, create, remove the old one,
   * start, wait for health. Named and anonymous volumes are kept; the container's own filesystem is
   * lost. A failed creation puts the old container back. A retry after a crash resumes from the
   * heartbeat ({@link RecreateProgress}); a repeat recreates again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#NO_SUCH_IMAGE} (not
   *     retryable) when the image does not exist on the engine (nothing is pulled), {@link
   *     DockerFailures#UNHEALTHY} (retryable) when the new container is not healthy in time
   */
  @ActivityMethod(name = "docker.recreate")
  DockerRecreateResult recreate(DockerRecreateInput input);

  /**
   * Stops the container: SIGTERM, SIGKILL after {@code stopTimeout}. A stopped one is left alone.
   */
  @ActivityMethod(name = "docker.stop")
  DockerStopResult stop(DockerStopInput input);

  /**
   * Starts (or unpauses) the container unless it runs, then waits for health by {@link #restart}'s
   * rule. Safe to repeat.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#UNHEALTHY} (retryable)
   */
  @ActivityMethod(name = "docker.start")
  DockerStartResult start(DockerStartInput input);

  /**
   * Runs {@code argv} in the running container (no shell unless argv calls one), writes {@code
   * stdin} and closes it, and keeps the last {@code maxOutputBytes} of stdout and of stderr. Env
   * values {@code env:NAME} and {@code file:/path} are secret references resolved here; their
   * values are masked as {@code ****} in the output. Cancellation stops the wait, not the command:
   * the engine cannot signal an exec. Not idempotent in general.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#UNEXPECTED_EXIT_CODE}
   *     (retryable, the {@link DockerExecResult} as details) unless the exit code is {@code
   *     expectedExitCode}; {@link DockerFailures#CONTAINER_NOT_RUNNING} (retryable); {@link
   *     ActionFailures#SECRET_UNAVAILABLE} (not retryable)
   */
  @ActivityMethod(name = "docker.exec")
  DockerExecResult exec(DockerExecInput input);

  /**
   * The last {@code tail} lines of the container's log, filtered by {@code since} and {@code grep}.
   */
  @ActivityMethod(name = "docker.logs")
  DockerLogsResult logs(DockerLogsInput input);

  /**
   * Probes every {@code interval} until healthy or {@code within} has passed: probe {@code
   * container} by the HEALTHCHECK status (else being up), probe {@code http} by {@code
   * expectedStatus} from {@code url} (else the target's healthUrl). Read only; one heartbeat per
   * probe.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#UNHEALTHY} (retryable, the
   *     {@link DockerWaitHealthyResult} as details)
   */
  @ActivityMethod(name = "docker.waitHealthy")
  DockerWaitHealthyResult waitHealthy(DockerWaitHealthyInput input);

  /**
   * The container's state; {@code exists} false, not a failure, when there is no such container.
   */
  @ActivityMethod(name = "docker.inspect")
  DockerInspectResult inspect(DockerInspectInput input);

  /**
   * Deletes the target's volume and all its data: the container using it is stopped and removed
   * first; with {@code recreateContainer} an empty volume of the same name (same driver, options,
   * labels) is created and the container recreated on it, left stopped. A retry after a crash
   * finishes from the holder container it leaves on the engine meanwhile. A volume already gone is
   * reported {@code removed} false.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#VOLUME_IN_USE} (not
   *     retryable) when another container uses the volume; nothing is changed then
   */
  @ActivityMethod(name = "docker.removeVolume")
  DockerRemoveVolumeResult removeVolume(DockerRemoveVolumeInput input);

  /**
   * Copies a file or directory of the worker to {@code destination} in the container (whose parent
   * must exist), owned by {@code owner} (else root) with {@code mode} (else the source's). A failed
   * copy may leave part of the files.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#DESTINATION_EXISTS}
   *     without overwrite, {@link DockerFailures#NO_SUCH_PATH} for a missing source or parent (both
   *     not retryable)
   */
  @ActivityMethod(name = "docker.copyInto")
  DockerCopyIntoResult copyInto(DockerCopyIntoInput input);

  /**
   * Copies a file or directory of the container (running or not) to {@code destination} on the
   * worker, which appears whole or not at all (written aside, then renamed). Owners are not kept.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#DESTINATION_EXISTS}
   *     without overwrite, {@link DockerFailures#NO_SUCH_PATH} for a missing source (both not
   *     retryable)
   */
  @ActivityMethod(name = "docker.copyFrom")
  DockerCopyFromResult copyFrom(DockerCopyFromInput input);

  /**
   * A safety copy of the volume as a gzip-compressed tar into a local backup store, under {@code
   * safety/<incident>/}, optionally with the volume's containers paused meanwhile. Never changes
   * the data. A repeat within the same incident returns the complete copy it finds.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link DockerFailures#NO_SUCH_VOLUME} (not
   *     retryable), {@link DockerFailures#SNAPSHOT_FAILED} (retryable), {@link
   *     ActionFailures#ACTION_NOT_IMPLEMENTED} for an s3 store (not retryable)
   */
  @ActivityMethod(name = "docker.snapshotVolume")
  DockerSnapshotVolumeResult snapshotVolume(DockerSnapshotVolumeInput input);
}
