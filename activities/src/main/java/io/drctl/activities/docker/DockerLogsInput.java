package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.logs} step, field for field the {@code params} of {@code
 * docker.logs} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container's logs are read
 * @param tail lines from the end
 * @param since only lines newer than this runbook duration ago, or {@code null}
 * @param grep Java regular expression lines must match (found anywhere in the line), or {@code
 *     null}
 * @param maxOutputBytes bytes of text kept (the last lines)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerLogsInput(
    @JsonProperty("target") String target,
    @JsonProperty("tail") Integer tail,
    @JsonProperty("since") String since,
    @JsonProperty("grep") String grep,
    @JsonProperty("maxOutputBytes") Integer maxOutputBytes,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final int DEFAULT_TAIL = 200;
  public static final int TAIL_LIMIT = 100_000;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 65_536;
  public static final int MAX_OUTPUT_BYTES_LIMIT = 10_485_760;

  public DockerLogsInput {
    tail = tail == null ? DEFAULT_TAIL : tail;
    maxOutputBytes = maxOutputBytes == null ? DEFAULT_MAX_OUTPUT_BYTES : maxOutputBytes;
    targets = DockerInputs.targets(targets);
  }

  public static DockerLogsInput of(String target, Map<String, JsonNode> targets) {
    return new DockerLogsInput(target, null, null, null, null, targets);
  }

  public DockerLogsInput withTail(int lines) {
    return new DockerLogsInput(target, lines, since, grep, maxOutputBytes, targets);
  }

  public DockerLogsInput withSince(String duration) {
    return new DockerLogsInput(target, tail, duration, grep, maxOutputBytes, targets);
  }

  public DockerLogsInput withGrep(String regex) {
    return new DockerLogsInput(target, tail, since, regex, maxOutputBytes, targets);
  }

  public DockerLogsInput withMaxOutputBytes(int bytes) {
    return new DockerLogsInput(target, tail, since, grep, bytes, targets);
  }

  @Override
  public String toString() {
    return "DockerLogsInput[target="
        + target
        + ", tail="
        + tail
        + ", since="
        + since
        + ", grep="
        + grep
        + ", maxOutputBytes="
        + maxOutputBytes
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
