package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happens when a step has failed for good and has no fallback. */
public enum OnExhausted {
  /** Wait for an operator to retry, skip or abort, and escalate. */
  INTERVENE,
  /** Fail the incident at once. */
  FAIL;

  @JsonValue
  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  public static OnExhausted fromJson(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
