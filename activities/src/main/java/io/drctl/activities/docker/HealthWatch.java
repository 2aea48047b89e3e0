package io.drctl.activities.docker;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.RestartPolicy;
import io.drctl.activities.Heartbeats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;

/**
 * Watches one container's health, by the catalog's rule: its HEALTHCHECK status when it has one
 * (while Docker still says {@code starting}, its health command is also run at each look, and
 * passing counts as healthy: {@link HealthCommand}), else an HTTP probe of a health URL when there
 * is one, else its running state, which counts as healthy once the container has stayed up, with
 * the same start time, for {@link DockerOptions#runningSettle()} (a command that crashes at once is
 * not healthy). Read only. Not thread-safe: one per wait.
 */
final class HealthWatch {

  /** How health is judged. */
  enum Mode {
    /** HEALTHCHECK, else the URL, else the running state: restart, start, recreate. */
    CONTAINER_THEN_URL,
    /**
     * Only the URL, healthy on {@code expectedStatus}: {@code docker.waitHealthy} with probe http.
     */
    URL_ONLY
  }

  /**
   * One look.
   *
   * @param healthy healthy now
   * @param health the word for it: healthy, unhealthy, starting, running, exited, ... or for a URL
   *     probe {@code status NNN} or what kept it from an answer
   * @param hopeless the container has exited and its restart policy will not start it again
   * @param container the container as inspected, {@code null} for a URL-only probe
   */
  record Reading(
      boolean healthy, String health, boolean hopeless, InspectContainerResponse container) {}

  private final DockerEngine engine;
  private final String container;
  private final URI url;
  private final IntPredicate goodStatus;
  private final Mode mode;
  private final DockerOptions options;
  private final HttpClient http;
  private String runningStartedAt;
  private long runningSinceNanos;

  HealthWatch(
      DockerEngine engine,
      String container,
      URI url,
      IntPredicate goodStatus,
      Mode mode,
      DockerOptions options,
      HttpClient http) {
    this.engine = engine;
    this.container = container;
    this.url = url;
    this.goodStatus = goodStatus;
    this.mode = mode;
    this.options = options;
    this.http = http;
  }

  /** Any 2xx, the catalog's rule for health URLs of restart and start. */
  static boolean success(int status) {
    return status >= 200 && status < 300;
  }

  /** Looks once; {@link DockerFailures#NO_SUCH_CONTAINER} when the container is gone. */
  Reading probe() {
    if (mode == Mode.URL_ONLY) {
      String answer = probeUrl();
      return new Reading(answer == null, answer == null ? "healthy" : answer, false, null);
    }
    InspectContainerResponse inspected = engine.container(container);
    InspectContainerResponse.ContainerState state = inspected.getState();
    boolean running =
        Boolean.TRUE.equals(state.getRunning())
            && !Boolean.TRUE.equals(state.getRestarting())
            && !Boolean.TRUE.equals(state.getPaused());
    boolean hopeless = !running && hasExitedForGood(inspected);
    HealthState check = state.getHealth();
    if (check != null && check.getStatus() != null && !"none".equals(check.getStatus())) {
      String status = check.getStatus();
      if (running
          && "starting".equals(status)
          && HealthCommand.passes(engine.client(), inspected, options.probeTimeout())) {
        return new Reading(true, "healthy", false, inspected);
      }
      return new Reading(
          running && "healthy".equals(status),
          running ? status : status(state),
          hopeless,
          inspected);
    }
    if (url != null) {
      String answer = running ? probeUrl() : status(state);
      return new Reading(
          answer == null, answer == null ? "healthy" : "unhealthy", hopeless, inspected);
    }
    return new Reading(
        running && settled(state.getStartedAt()),
        running ? "running" : status(state),
        hopeless,
        inspected);
  }

  /** The end of a wait: the last look and how many were made. */
  record Outcome(Reading last, int probes) {
    boolean healthy() {
      return last.healthy();
    }
  }

  /**
   * Probes every {@code interval} until healthy or {@code within} has passed (or, with {@code
   * stopWhenHopeless}, the container has exited for good), heartbeating {@code details} after each
   * probe; the heartbeat throws when the activity is cancelled. Probes at least once.
   */
  Outcome await(
      Duration within,
      Duration interval,
      boolean stopWhenHopeless,
      Heartbeats heartbeats,
      BiFunction<Reading, Integer, Object> details) {
    long deadline = System.nanoTime() + within.toNanos();
    int probes = 0;
    while (true) {
      Reading reading = probe();
      probes++;
      heartbeats.beat(details.apply(reading, probes));
      long left = deadline - System.nanoTime();
      if (reading.healthy() || (stopWhenHopeless && reading.hopeless()) || left <= 0) {
        return new Outcome(reading, probes);
      }
      Duration pause = interval;
      Duration settle = untilSettled();
      if (!settle.isZero() && settle.compareTo(pause) < 0) {
        pause = settle.plusMillis(10);
      }
      Heartbeats.sleep(pause.toNanos() < left ? pause : Duration.ofNanos(left));
    }
  }

  /**
   * How long until a container seen running now would count as settled, or zero. Lets a waiter look
   * again as soon as that can change instead of after a whole interval.
   */
  Duration untilSettled() {
    if (runningStartedAt == null) {
      return Duration.ZERO;
    }
    long left = options.runningSettle().toNanos() - (System.nanoTime() - runningSinceNanos);
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  private boolean settled(String startedAt) {
    long now = System.nanoTime();
    if (!Objects.equals(startedAt, runningStartedAt)) {
      runningStartedAt = startedAt;
      runningSinceNanos = now;
    }
    return now - runningSinceNanos >= options.runningSettle().toNanos();
  }

  /** {@code null} when the URL answered with a good status, else what it answered or why not. */
  private String probeUrl() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(options.probeTimeout()).GET().build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return goodStatus.test(status) ? null : "status " + status;
    } catch (IOException e) {
      return "no answer: "
          + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage().toLowerCase(Locale.ROOT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Heartbeats.interrupted();
    }
  }

  private static String status(InspectContainerResponse.ContainerState state) {
    return state.getStatus() == null ? "unknown" : state.getStatus();
  }

  /** Exited or dead, and the restart policy will not bring it back. */
  private static boolean hasExitedForGood(InspectContainerResponse inspected) {
    String status = status(inspected.getState());
    if (!status.equals("exited") && !status.equals("dead")) {
      return false;
    }
    RestartPolicy policy =
        inspected.getHostConfig() == null ? null : inspected.getHostConfig().getRestartPolicy();
    String name = policy == null || policy.getName() == null ? "" : policy.getName();
    return switch (name) {
      case "always", "unless-stopped" -> false;
      case "on-failure" -> {
        Long exitCode = inspected.getState().getExitCodeLong();
        Integer maximum = policy.getMaximumRetryCount();
        int restarts = inspected.getRestartCount() == null ? 0 : inspected.getRestartCount();
        yield exitCode == null
            || exitCode == 0
            || (maximum != null && maximum > 0 && restarts >= maximum);
      }
      default -> true;
    };
  }
}
