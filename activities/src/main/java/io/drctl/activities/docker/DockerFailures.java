package io.drctl.activities.docker;

/**
 * Error types of the {@code docker} actions, as the catalog ({@code io/drctl/catalog/docker.json})
 * names them, plus the engine's own conditions. Runbooks list them in {@code retry.nonRetryable};
 * the activity marks each failure retryable or not as documented here.
 */
public final class DockerFailures {
  /** The target's container does not exist on its engine. Not retryable. */
  public static final String NO_SUCH_CONTAINER = "NoSuchContainer";

  /** The volume does not exist on the engine. Not retryable. */
  public static final String NO_SUCH_VOLUME = "NoSuchVolume";

  /**
   * The image for a new container does not exist on the engine (nothing is pulled). Not retryable.
   */
  public static final String NO_SUCH_IMAGE = "NoSuchImage";

  /** A path to copy does not exist: in the container, or on the worker. Not retryable. */
  public static final String NO_SUCH_PATH = "NoSuchPath";

  /**
   * The engine cannot be reached, or went silent for the worker's call timeout: down, restarting,
   * or the socket is wrong. Retryable.
   */
  public static final String ENGINE_UNAVAILABLE = "EngineUnavailable";

  /** The engine answered with a server error (5xx). Retryable. */
  public static final String ENGINE_ERROR = "EngineError";

  /**
   * The engine refused the request as given (400, 401, 403: an invalid mount, a name it rejects).
   * Not retryable: the same request is refused again.
   */
  public static final String ENGINE_REJECTED = "EngineRejected";

  /**
   * The engine reports a conflict this backend has no own type for (409: a removal already in
   * progress, a name taken by another container). Retryable: such states usually pass.
   */
  public static final String ENGINE_CONFLICT = "EngineConflict";

  /** {@code docker.exec}: the container is not running (stopped, paused, restarting). Retryable. */
  public static final String CONTAINER_NOT_RUNNING = "ContainerNotRunning";

  /**
   * The container was not healthy within the health timeout (after the last attempt, for {@code
   * docker.restart}), or exited for good while it was awaited. Retryable: the step's retry policy
   * repeats the whole action.
   */
  public static final String UNHEALTHY = "Unhealthy";

  /**
   * {@code docker.removeVolume}: another container than the target's uses the volume. Not
   * retryable.
   */
  public static final String VOLUME_IN_USE = "VolumeInUse";

  /**
   * {@code docker.copyInto}/{@code copyFrom}: the destination exists and overwrite is off. Not
   * retryable.
   */
  public static final String DESTINATION_EXISTS = "DestinationExists";

  /**
   * {@code docker.snapshotVolume}: the copy could not be made or stored. Retryable, except when the
   * engine has no image to mount the volume with (no container uses it, no helper image).
   */
  public static final String SNAPSHOT_FAILED = "SnapshotFailed";

  private DockerFailures() {}
}
