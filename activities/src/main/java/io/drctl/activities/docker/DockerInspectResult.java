package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The output of a {@code docker.inspect} step, field for field the {@code output} schema of {@code
 * docker.inspect} in the action catalog. For a container that does not exist: {@code exists} false,
 * status {@code missing}, health {@code none}, empty strings, zeros and no mounts.
 *
 * @param exists whether the container exists
 * @param running State.Running
 * @param status State.Status: created, running, paused, restarting, exited, dead or missing
 * @param health State.Health.Status, or none
 * @param oomKilled State.OOMKilled
 * @param exitCode State.ExitCode
 * @param restartCount RestartCount
 * @param startedAt State.StartedAt (RFC 3339)
 * @param finishedAt State.FinishedAt (RFC 3339): when the container last stopped, e.g. when its
 *     process was killed; {@code 0001-01-01T00:00:00Z} if it never stopped
 * @param image the image as the container's configuration names it
 * @param containerId the container's id
 * @param mounts the container's mounts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerInspectResult(
    @JsonProperty("exists") boolean exists,
    @JsonProperty("running") boolean running,
    @JsonProperty("status") String status,
    @JsonProperty("health") String health,
    @JsonProperty("oomKilled") boolean oomKilled,
    @JsonProperty("exitCode") int exitCode,
    @JsonProperty("restartCount") int restartCount,
    @JsonProperty("startedAt") String startedAt,
    @JsonProperty("finishedAt") String finishedAt,
    @JsonProperty("image") String image,
    @JsonProperty("containerId") String containerId,
    @JsonProperty("mounts") List<Mount> mounts) {

  public DockerInspectResult {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** The mount that holds {@code containerPath} (a path in the container), if any. */
  public Optional<Mount> mountOf(String containerPath) {
    return mounts.stream().filter(mount -> mount.holds(containerPath)).findFirst();
  }

  /** The result for a container that does not exist. */
  static DockerInspectResult missing() {
    return new DockerInspectResult(
        false, false, "missing", "none", false, 0, 0, "", "", "", "", List.of());
  }

  /**
   * One mount of the container.
   *
   * @param type volume, bind, tmpfs or npipe
   * @param name the volume's name; empty for other types
   * @param source path on the engine's host
   * @param destination path in the container
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(
      @JsonProperty("type") String type,
      @JsonProperty("name") String name,
      @JsonProperty("source") String source,
      @JsonProperty("destination") String destination) {

    boolean holds(String containerPath) {
      return containerPath.equals(destination) || containerPath.startsWith(destination + "/");
    }

    /** Where {@code containerPath}, which this mount holds, is on the engine's host. */
    public Path hostPath(String containerPath) {
      Path root = Path.of(source);
      return containerPath.equals(destination)
          ? root
          : root.resolve(containerPath.substring(destination.length() + 1));
    }
  }
}
