package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.shell.ShellActivities;
import io.drctl.activities.shell.ShellExecInput;
import io.drctl.activities.shell.ShellExecResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs Redis's programs on the worker (redis-check-aof, redis-check-rdb, redis-server) through the
 * shell backend: no second process runner. None of them is given the password: the checks read
 * files only, and redis-server reads it from its own configuration file. Must run inside an
 * activity.
 */
final class RedisTools {
  /** Bytes of stdout and of stderr kept of one run (the tail). */
  private static final int MAX_OUTPUT_BYTES = 1024 * 1024;

  private final RedisOptions options;
  private final ShellActivities shell;

  RedisTools(RedisOptions options, ShellActivities shell) {
    this.options = options;
    this.shell = shell;
  }

  /** What a run printed and how it ended. */
  record Run(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code tool} (a name resolved by {@link RedisOptions#tool}, or a path) with {@code
   * arguments} and returns how it ended, whatever its exit code.
   */
  Run run(String tool, List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(tool.contains("/") ? tool : options.tool(tool));
    argv.addAll(arguments);
    ShellExecInput input = new ShellExecInput(argv, Map.of(), "/", null, 0, MAX_OUTPUT_BYTES);
    try {
      ShellExecResult result = shell.exec(input);
      return new Run(result.exitCode(), result.stdout(), result.stderr());
    } catch (ApplicationFailure failure) {
      if (ActionFailures.UNEXPECTED_EXIT_CODE.equals(failure.getType())) {
        ShellExecResult result = failure.getDetails().get(0, ShellExecResult.class);
        return new Run(result.exitCode(), result.stdout(), result.stderr());
      }
      if (ActionFailures.COMMAND_NOT_FOUND.equals(failure.getType())) {
        throw ActionFailures.nonRetryable(
            ActionFailures.COMMAND_NOT_FOUND,
            tool
                + " is not installed on the worker: "
                + failure.getOriginalMessage()
                + " (set "
                + RedisOptions.SERVER_VARIABLE
                + ")");
      }
      throw failure;
    }
  }

  /** {@link #run}, failing with {@code failureType} (retryable) unless it exits with 0. */
  Run succeeding(String failureType, String tool, List<String> arguments) {
    Run run = run(tool, arguments);
    if (run.exitCode() != 0) {
      throw ActionFailures.retryable(
          failureType,
          tool
              + " exited with code "
              + run.exitCode()
              + ": "
              + lastLine(run.stderr().isBlank() ? run.stdout() : run.stderr()));
    }
    return run;
  }

  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
