package io.drctl.activities.secrets;

import java.util.Objects;

/**
 * A resolved secret value. It prints as {@code ****} everywhere ({@link #toString()}), so it can
 * sit in a record or a log line by mistake without leaking; only {@link #reveal()} gives the value,
 * and callers use it at the last moment (a process environment, a connection property).
 */
public final class Secret {
  static final String MASK = "****";

  private final String value;

  Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret value. Never log it, return it from an activity, or put it in a failure. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return MASK;
  }
}
