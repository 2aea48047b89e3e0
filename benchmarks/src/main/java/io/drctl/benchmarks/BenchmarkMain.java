package io.drctl.benchmarks;

import java.util.function.Function;

/**
 * What the benchmarks' command lines share: option values, and how a run ends (status 2 bad
 * options, 1 failed).
 */
final class BenchmarkMain {
  private BenchmarkMain() {}

  /** A run of the benchmark with its parsed options. */
  interface Run<O> {
    void run(O options) throws Exception;
  }

  /** The value of option {@code args[i]}, which must follow it. */
  static String value(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value");
    }
    return args[i + 1];
  }

  /** The positive integer value of option {@code args[i - 1]}, at {@code args[i]}. */
  static int positive(String[] args, int i) {
    String text = value(args, i - 1);
    try {
      int value = Integer.parseInt(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(args[i - 1] + " must be a positive integer, was " + text);
  }

  /**
   * Parses, runs and exits: 2 with the message on bad options, 1 with each cause's message
   * (outermost first) on a failure, 0 otherwise. Exits also on success, as a java.util.Timer thread
   * that is not a daemon outlives the activity environment's close.
   */
  static <O> void main(String what, String[] args, Function<String[], O> parse, Run<O> run) {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run.run(options);
      System.exit(0);
    } catch (IllegalStateException e) {
      // A tool or a check failed: its message names the command and carries its output.
      System.err.println(what + " benchmark failed: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println(what + " benchmark failed:");
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        System.err.println("  " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
      System.exit(1);
    }
  }
}
