package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.waitHealthy} step, field for field the {@code params} of
 * {@code docker.waitHealthy} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container is watched
 * @param probe {@code container} (its HEALTHCHECK status, else its running state) or {@code http}
 * @param url http probe URL, or {@code null} for the target's healthUrl
 * @param expectedStatus HTTP status that means healthy
 * @param interval time between probes, a runbook duration
 * @param within how long to wait in all, a runbook duration
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerWaitHealthyInput(
    @JsonProperty("target") String target,
    @JsonProperty("probe") String probe,
    @JsonProperty("url") String url,
    @JsonProperty("expectedStatus") Integer expectedStatus,
    @JsonProperty("interval") String interval,
    @JsonProperty("within") String within,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String PROBE_CONTAINER = "container";
  public static final String PROBE_HTTP = "http";
  public static final int DEFAULT_EXPECTED_STATUS = 200;
  public static final String DEFAULT_INTERVAL = "5s";
  public static final String DEFAULT_WITHIN = "2m";

  public DockerWaitHealthyInput {
    probe = probe == null ? PROBE_CONTAINER : probe;
    expectedStatus = expectedStatus == null ? DEFAULT_EXPECTED_STATUS : expectedStatus;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    within = within == null ? DEFAULT_WITHIN : within;
    targets = DockerInputs.targets(targets);
  }

  public static DockerWaitHealthyInput of(String target, Map<String, JsonNode> targets) {
    return new DockerWaitHealthyInput(target, null, null, null, null, null, targets);
  }

  public DockerWaitHealthyInput withTiming(String newInterval, String newWithin) {
    return new DockerWaitHealthyInput(
        target, probe, url, expectedStatus, newInterval, newWithin, targets);
  }

  public DockerWaitHealthyInput withHttpProbe(String newUrl, int status) {
    return new DockerWaitHealthyInput(
        target, PROBE_HTTP, newUrl, status, interval, within, targets);
  }

  @Override
  public String toString() {
    return "DockerWaitHealthyInput[target="
        + target
        + ", probe="
        + probe
        + ", url="
        + url
        + ", expectedStatus="
        + expectedStatus
        + ", interval="
        + interval
        + ", within="
        + within
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
