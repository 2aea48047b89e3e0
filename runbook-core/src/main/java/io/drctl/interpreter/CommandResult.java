package io.drctl.interpreter;

/** The answer to an operator update: whether it took effect, and what happened. */
public record CommandResult(boolean accepted, String message) {
  public static CommandResult accepted(String message) {
    return new CommandResult(true, message);
  }

  public static CommandResult refused(String message) {
    return new CommandResult(false, message);
  }
}
