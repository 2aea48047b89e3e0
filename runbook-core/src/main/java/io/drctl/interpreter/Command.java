package io.drctl.interpreter;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The operator commands. Each is a signal and an update of the incident workflow under its {@link
 * #json()} name, which recorded histories carry: never rename one.
 */
public enum Command {
  APPROVE("approve"),
  REJECT("reject"),
  RETRY("retry"),
  SKIP("skip"),
  PAUSE("pause"),
  RESUME("resume"),
  ABORT("abort");

  private final String json;

  Command(String json) {
    this.json = json;
  }

  /** The signal and update name. */
  @JsonValue
  public String json() {
    return json;
  }

  /** Whether the command must say why: it ends a step or the incident. */
  boolean needsReason() {
    return this == REJECT || this == SKIP || this == ABORT;
  }

  @Override
  public String toString() {
    return json;
  }
}
