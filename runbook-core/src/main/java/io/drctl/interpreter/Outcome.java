package io.drctl.interpreter;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an incident ended. Its {@link #json()} name is what reports, search attributes and histories
 * carry.
 */
public enum Outcome {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  ABORTED("aborted");

  private final String json;

  Outcome(String json) {
    this.json = json;
  }

  @JsonValue
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return json;
  }
}
