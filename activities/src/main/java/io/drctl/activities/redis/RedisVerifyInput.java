package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.verify} step, field for field the {@code params} of {@code
 * redis.verify} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to act on. Host, port, password reference, container and data
 *     directory come from it.
 * @param minKeys Fewest keys accepted (0 for a cache that may start empty).
 * @param sampleKeys Keys that must exist.
 * @param checkPersistence Require rdb_last_bgsave_status and aof_last_write_status ok.
 * @param failOnMismatch Fail with VerificationFailed when a check fails. false: report ok false.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisVerifyInput(
    @JsonProperty("target") String target,
    @JsonProperty("minKeys") Integer minKeys,
    @JsonProperty("sampleKeys") List<String> sampleKeys,
    @JsonProperty("checkPersistence") Boolean checkPersistence,
    @JsonProperty("failOnMismatch") Boolean failOnMismatch,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final int DEFAULT_MIN_KEYS = 0;
  public static final boolean DEFAULT_CHECK_PERSISTENCE = true;
  public static final boolean DEFAULT_FAIL_ON_MISMATCH = true;

  public RedisVerifyInput {
    minKeys = minKeys == null ? DEFAULT_MIN_KEYS : minKeys;
    sampleKeys =
        sampleKeys == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(sampleKeys));
    checkPersistence = checkPersistence == null ? DEFAULT_CHECK_PERSISTENCE : checkPersistence;
    failOnMismatch = failOnMismatch == null ? DEFAULT_FAIL_ON_MISMATCH : failOnMismatch;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisVerifyInput["
        + "target="
        + target
        + ", "
        + "minKeys="
        + minKeys
        + ", "
        + "sampleKeys="
        + sampleKeys
        + ", "
        + "checkPersistence="
        + checkPersistence
        + ", "
        + "failOnMismatch="
        + failOnMismatch
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
