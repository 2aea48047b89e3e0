package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.restart} step, field for field the {@code params} of {@code
 * docker.restart} in the action catalog ({@code io/drctl/catalog/docker.json}), plus the reserved
 * {@value StepTargets#MEMBER} the workflow adds. Absent fields take the catalog's defaults; unknown
 * fields are ignored. Immutable.
 *
 * @param target container, postgres or redis target whose container is restarted
 * @param stopTimeout grace period between SIGTERM and SIGKILL, a runbook duration
 * @param waitHealthy wait for health after each start
 * @param healthTimeout how long each attempt waits for health, a runbook duration
 * @param healthUrl HTTP endpoint over the target's healthUrl, or {@code null}
 * @param maxAttempts restarts tried within this run until healthy
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRestartInput(
    @JsonProperty("target") String target,
    @JsonProperty("stopTimeout") String stopTimeout,
    @JsonProperty("waitHealthy") Boolean waitHealthy,
    @JsonProperty("healthTimeout") String healthTimeout,
    @JsonProperty("healthUrl") String healthUrl,
    @JsonProperty("maxAttempts") Integer maxAttempts,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_STOP_TIMEOUT = "30s";
  public static final String DEFAULT_HEALTH_TIMEOUT = "2m";
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int MAX_ATTEMPTS_LIMIT = 10;

  public DockerRestartInput {
    stopTimeout = stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
    waitHealthy = waitHealthy == null || waitHealthy;
    healthTimeout = healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
    maxAttempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    targets = DockerInputs.targets(targets);
  }

  /** A restart of {@code target}'s container, every other field at its default. */
  public static DockerRestartInput of(String target, Map<String, JsonNode> targets) {
    return new DockerRestartInput(target, null, null, null, null, null, targets);
  }

  public DockerRestartInput withStopTimeout(String duration) {
    return new DockerRestartInput(
        target, duration, waitHealthy, healthTimeout, healthUrl, maxAttempts, targets);
  }

  public DockerRestartInput withHealth(boolean wait, String timeout, String url) {
    return new DockerRestartInput(target, stopTimeout, wait, timeout, url, maxAttempts, targets);
  }

  public DockerRestartInput withMaxAttempts(int attempts) {
    return new DockerRestartInput(
        target, stopTimeout, waitHealthy, healthTimeout, healthUrl, attempts, targets);
  }

  @Override
  public String toString() {
    return "DockerRestartInput[target="
        + target
        + ", stopTimeout="
        + stopTimeout
        + ", waitHealthy="
        + waitHealthy
        + ", healthTimeout="
        + healthTimeout
        + ", healthUrl="
        + healthUrl
        + ", maxAttempts="
        + maxAttempts
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
