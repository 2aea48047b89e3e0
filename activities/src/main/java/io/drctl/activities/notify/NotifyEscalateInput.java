package io.drctl.activities.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code with} of a {@code notify.escalate} step, field for field the {@code params} of {@code
 * notify.escalate} in the action catalog, plus the reserved {@value StepTargets#MEMBER} the
 * workflow adds. Absent fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target name of the paging service's http target, looked up in {@code targets}
 * @param format payload shape: pagerduty or json
 * @param level 1 on-call, 2 secondary, 3 management
 * @param severity warning, error or critical
 * @param message what happened and what is needed, expressions already evaluated
 * @param dedupKey deduplication key, or {@code null} for the default (the incident id)
 * @param failAfterPaging after paging, fail with Escalated
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifyEscalateInput(
    @JsonProperty("target") String target,
    @JsonProperty("format") String format,
    @JsonProperty("level") Integer level,
    @JsonProperty("severity") String severity,
    @JsonProperty("message") String message,
    @JsonProperty("dedupKey") String dedupKey,
    @JsonProperty("failAfterPaging") Boolean failAfterPaging,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_FORMAT = "pagerduty";
  public static final int DEFAULT_LEVEL = 1;
  public static final String DEFAULT_SEVERITY = "critical";

  public NotifyEscalateInput {
    format = format == null ? DEFAULT_FORMAT : format;
    level = level == null ? DEFAULT_LEVEL : level;
    severity = severity == null ? DEFAULT_SEVERITY : severity;
    failAfterPaging = failAfterPaging == null || failAfterPaging;
    targets =
        targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** A page through {@code target}, the rest at defaults. */
  public static NotifyEscalateInput of(
      String target, String message, Map<String, JsonNode> targets) {
    return new NotifyEscalateInput(target, null, null, null, message, null, null, targets);
  }

  public NotifyEscalateInput withFormat(String newFormat) {
    return new NotifyEscalateInput(
        target, newFormat, level, severity, message, dedupKey, failAfterPaging, targets);
  }

  public NotifyEscalateInput withLevel(int newLevel) {
    return new NotifyEscalateInput(
        target, format, newLevel, severity, message, dedupKey, failAfterPaging, targets);
  }

  public NotifyEscalateInput withDedupKey(String key) {
    return new NotifyEscalateInput(
        target, format, level, severity, message, key, failAfterPaging, targets);
  }

  public NotifyEscalateInput withFailAfterPaging(boolean fail) {
    return new NotifyEscalateInput(
        target, format, level, severity, message, dedupKey, fail, targets);
  }

  @Override
  public String toString() {
    return "NotifyEscalateInput[target="
        + target
        + ", format="
        + format
        + ", level="
        + level
        + ", severity="
        + severity
        + ", message="
        + (message == null ? "none" : message.length() + " chars")
        + ", dedupKey="
        + dedupKey
        + ", failAfterPaging="
        + failAfterPaging
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
