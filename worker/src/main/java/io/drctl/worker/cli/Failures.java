package io.drctl.worker.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line and an exit code. A stack trace is printed only with
 * DRCTL_DEBUG=1, because bad input must never show one.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  static final int INVALID = 2;
  static final int INTERNAL = 70;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof UserError user) {
      cli.getErr().println("drctl: " + user.getMessage());
      return user.exitCode();
    }
    cli.getErr()
        .println(
            "drctl: internal error: "
                + e
                + " (set DRCTL_DEBUG=1 for details, and please report it)");
    if ("1".equals(System.getenv("DRCTL_DEBUG"))) {
      e.printStackTrace(cli.getErr());
    }
    return INTERNAL;
  }

  static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println("drctl: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
    cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help'.");
    return INVALID;
  }

  /** A problem with what the user asked for: a missing file, an unknown incident. */
  static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    UserError(String message) {
      this(message, INVALID);
    }

    UserError(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }
}
