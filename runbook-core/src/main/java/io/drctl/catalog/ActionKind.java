package io.drctl.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a step runs: as an activity, or as one of the control steps the workflow runs itself. */
public enum ActionKind {
  ACTIVITY("activity"),
  APPROVAL("approval"),
  SLEEP("sleep"),
  WAIT_UNTIL("waitUntil"),
  PARALLEL("parallel"),
  RUNBOOK("runbook"),
  FAIL("fail");

  private final String json;

  ActionKind(String json) {
    this.json = json;
  }

  @JsonValue
  public String json() {
    return json;
  }

  @JsonCreator
  public static ActionKind fromJson(String value) {
    for (ActionKind kind : values()) {
      if (kind.json.equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown action kind '" + value + "'");
  }

  public boolean isBuiltIn() {
    return this != ACTIVITY;
  }

  @Override
  public String toString() {
    return json.toLowerCase(Locale.ROOT);
  }
}
