package io.drctl.activities.docker;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Worker-side settings of the docker backend, validated once at construction.
 *
 * @param defaultHost the engine of targets without {@code dockerHost}: {@code unix:///path} or
 *     {@code tcp://host:port} (plain TCP; TLS engines are not supported, use a unix socket or an
 *     SSH tunnel to one)
 * @param connectTimeout longest wait for a connection to an engine
 * @param callTimeout longest silence of the engine within one API call; a call that streams data
 *     (logs, archives) may take longer as long as bytes keep coming
 * @param pollInterval time between looks at a container while waiting for it (stop, health)
 * @param heartbeatInterval how often a long wait heartbeats (shortened to half the activity's
 *     heartbeat timeout when that is shorter)
 * @param runningSettle how long a container without health check or health URL must stay running,
 *     with the same start time, to count as healthy: a command that crashes at once is not
 * @param probeTimeout timeout of one HTTP health probe
 * @param defaultStopTimeout grace period between SIGTERM and SIGKILL for actions without a {@code
 *     stopTimeout} parameter ({@code docker.removeVolume})
 * @param helperImage image for the helper container of {@code docker.snapshotVolume} when no
 *     container on the engine uses the volume, or {@code null}: such a volume cannot be copied
 */
public record DockerOptions(
    String defaultHost,
    Duration connectTimeout,
    Duration callTimeout,
    Duration pollInterval,
    Duration heartbeatInterval,
    Duration runningSettle,
    Duration probeTimeout,
    Duration defaultStopTimeout,
    String helperImage) {
  /** The engine Docker's own clients use when {@code DOCKER_HOST} is unset. */
  public static final String STANDARD_HOST = "unix:///var/run/docker.sock";

  public DockerOptions {
    defaultHost = checkHost("DockerOptions.defaultHost", defaultHost);
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("callTimeout", callTimeout);
    requirePositive("pollInterval", pollInterval);
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("runningSettle", runningSettle);
    requirePositive("probeTimeout", probeTimeout);
    requirePositive("defaultStopTimeout", defaultStopTimeout);
    if (helperImage != null && helperImage.isBlank()) {
      throw new IllegalArgumentException("DockerOptions.helperImage must not be blank");
    }
  }

  /**
   * The worker's {@code DOCKER_HOST} (else {@value #STANDARD_HOST}); connect within 5 s, an engine
   * silent for 2 min fails the call; look every 500 ms, heartbeat every 2 s; 1 s of running counts
   * as healthy; HTTP probes time out after 5 s; 30 s to stop; no helper image.
   */
  public static DockerOptions defaults() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #defaults()} with {@code DOCKER_HOST} read from the given variables. */
  public static DockerOptions fromEnvironment(Map<String, String> environment) {
    String host = environment.get("DOCKER_HOST");
    return new DockerOptions(
        host == null || host.isBlank() ? STANDARD_HOST : host,
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        null);
  }

  public DockerOptions withDefaultHost(String host) {
    return new DockerOptions(
        host,
        connectTimeout,
        callTimeout,
        pollInterval,
        heartbeatInterval,
        runningSettle,
        probeTimeout,
        defaultStopTimeout,
        helperImage);
  }

  public DockerOptions withTimings(
      Duration newConnectTimeout,
      Duration newCallTimeout,
      Duration newPollInterval,
      Duration newHeartbeatInterval,
      Duration newRunningSettle) {
    return new DockerOptions(
        defaultHost,
        newConnectTimeout,
        newCallTimeout,
        newPollInterval,
        newHeartbeatInterval,
        newRunningSettle,
        probeTimeout,
        defaultStopTimeout,
        helperImage);
  }

  public DockerOptions withHelperImage(String image) {
    return new DockerOptions(
        defaultHost,
        connectTimeout,
        callTimeout,
        pollInterval,
        heartbeatInterval,
        runningSettle,
        probeTimeout,
        defaultStopTimeout,
        image);
  }

  /**
   * An engine address in canonical form.
   *
   * @throws IllegalArgumentException naming {@code field} and the value when it is not {@code
   *     unix:///absolute/path} or {@code tcp://host:port}
   */
  static String checkHost(String field, String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    URI uri;
    try {
      uri = URI.create(host.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " '" + host + "' is not a URI: " + e.getMessage());
    }
    if ("unix".equals(uri.getScheme())
        && uri.getPath() != null
        && uri.getPath().startsWith("/")
        && uri.getAuthority() == null) {
      return "unix://" + uri.getPath();
    }
    if ("tcp".equals(uri.getScheme())
        && uri.getHost() != null
        && uri.getPort() > 0
        && (uri.getPath() == null || uri.getPath().isEmpty())) {
      return "tcp://" + uri.getHost() + ":" + uri.getPort();
    }
    throw new IllegalArgumentException(
        field + " '" + host + "' must be unix:///absolute/path or tcp://host:port");
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "DockerOptions." + field + " must be positive, was " + value);
    }
  }
}
