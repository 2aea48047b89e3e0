package io.drctl.worker;

/**
 * A problem connecting drctl to Temporal, said in one line: a bad option, an unreachable server, a
 * namespace without drctl's search attributes. The CLI prints the message and exits with {@link
 * #exitCode()}; there is never a stack trace to show.
 */
public final class TemporalSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A bad option or file: fix the command line. */
  public static final int INVALID = 2;

  /** The server cannot be reached or refused what drctl needs from it. */
  public static final int UNAVAILABLE = 3;

  private final int exitCode;

  public TemporalSetupException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public static TemporalSetupException invalid(String message) {
    return new TemporalSetupException(message, INVALID);
  }

  public static TemporalSetupException unavailable(String message) {
    return new TemporalSetupException(message, UNAVAILABLE);
  }

  public int exitCode() {
    return exitCode;
  }
}
