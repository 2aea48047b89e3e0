package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.sentinelFailover} step, field for field the {@code params} of
 * {@code redis.sentinelFailover} in the action catalog, plus {@value StepTargets#MEMBER}. Absent
 * fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param sentinel Redis target that is one of the Sentinels: its host and port, and a password
 *     reference when the Sentinels require one.
 * @param target Redis target of the current master. Its password reference also authenticates to
 *     the new master.
 * @param masterName The master's name in the Sentinel configuration (sentinel monitor NAME ...).
 * @param pauseWrites Pause writes on the old master and let the replicas catch up before failing
 *     over, so that no acknowledged write is lost. false: fail over at once; writes the replica had
 *     not received are lost.
 * @param timeout How long to wait for the replicas to catch up and for the failover to finish.
 * @param heartbeatKey A key the application sets to the current time in epoch milliseconds, often
 *     (e.g. every second): with it, the failover of a lost master measures the data lost
 *     (dataLossSeconds).
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisSentinelFailoverInput(
    @JsonProperty("sentinel") String sentinel,
    @JsonProperty("target") String target,
    @JsonProperty("masterName") String masterName,
    @JsonProperty("pauseWrites") Boolean pauseWrites,
    @JsonProperty("timeout") String timeout,
    @JsonProperty("heartbeatKey") String heartbeatKey,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_MASTER_NAME = "mymaster";
  public static final boolean DEFAULT_PAUSE_WRITES = true;
  public static final String DEFAULT_TIMEOUT = "1m";

  public RedisSentinelFailoverInput {
    masterName = masterName == null ? DEFAULT_MASTER_NAME : masterName;
    pauseWrites = pauseWrites == null ? DEFAULT_PAUSE_WRITES : pauseWrites;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisSentinelFailoverInput["
        + "sentinel="
        + sentinel
        + ", "
        + "target="
        + target
        + ", "
        + "masterName="
        + masterName
        + ", "
        + "pauseWrites="
        + pauseWrites
        + ", "
        + "timeout="
        + timeout
        + ", "
        + "heartbeatKey="
        + heartbeatKey
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
