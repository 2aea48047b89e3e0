package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Runs {@code shell.exec} steps as local processes. Stateless and thread-safe. */
final class ShellActivitiesImpl implements ShellBackend {
  private static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "LANG");
  private static final int STDERR_LINES_IN_MESSAGE = 10;
  private static final int STDERR_CHARS_IN_MESSAGE = 2000;

  private final SecretResolver secrets;
  private final ShellOptions options;

  ShellActivitiesImpl(SecretResolver secrets) {
    this(secrets, ShellOptions.defaults());
  }

  ShellActivitiesImpl(SecretResolver secrets, ShellOptions options) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public ShellExecResult exec(ShellExecInput input) {
    try {
      return run(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }

  private ShellExecResult run(ShellExecInput input) {
    ShellExecValidation.check(input);
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<String> secretValues = new ArrayList<>();
    Map<String, String> environment = environment(input.env(), secretValues);
    SecretMask mask = SecretMask.of(secretValues);
    try (WorkingDirectory directory = WorkingDirectory.of(input.workingDirectory())) {
      String program = input.argv().get(0);
      List<String> command = new ArrayList<>(input.argv());
      Path executable = ExecutableLookup.find(program, environment.get("PATH"), directory.path());
      command.set(0, executable.toString());
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.path().toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);

      int slack = mask.longestSecretBytes();
      OutputTail stdout = new OutputTail(input.maxOutputBytes(), slack);
      OutputTail stderr = new OutputTail(input.maxOutputBytes(), slack);
      CommandRun run = start(builder, input.stdin(), stdout, stderr, mask);
      Duration timeout = startToCloseTimeout(context.getInfo());
      CommandRun.Outcome outcome =
          run.await(context, heartbeatInterval(context.getInfo()), timeout, options.killGrace());

      OutputTail.Text out = stdout.text(mask);
      OutputTail.Text err = stderr.text(mask);
      ShellExecResult result =
          new ShellExecResult(
              outcome.exitCode(),
              out.text(),
              err.text(),
              out.truncated() || err.truncated(),
              outcome.durationMillis());
      if (outcome.timedOut()) {
        throw ActionFailures.retryable(
            ActionFailures.COMMAND_TIMED_OUT,
            program
                + " was killed after "
                + seconds(outcome.durationMillis())
                + ": the attempt's start-to-close timeout of "
                + seconds(timeout.toMillis())
                + " ran out; "
                + stderrSummary(err.text()),
            result);
      }
      if (result.exitCode() != input.expectedExitCode()) {
        throw ActionFailures.retryable(
            ActionFailures.UNEXPECTED_EXIT_CODE,
            program
                + " exited with code "
                + result.exitCode()
                + ", expected "
                + input.expectedExitCode()
                + "; "
                + stderrSummary(err.text()),
            result);
      }
      return result;
    }
  }

  /** PATH, HOME and LANG of the worker, then the step's variables with references resolved. */
  private Map<String, String> environment(Map<String, String> stepEnv, List<String> secretValues) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : INHERITED_VARIABLES) {
      String value = options.workerEnvironment().get(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    stepEnv.forEach(
        (name, value) -> {
          if (!SecretResolver.isReference(value)) {
            environment.put(name, value);
            return;
          }
          String revealed;
          try {
            revealed = secrets.resolve(value).reveal();
          } catch (IllegalArgumentException e) {
            throw ActionFailures.invalidInput("env." + name + ": " + e.getMessage());
          }
          environment.put(name, revealed);
          secretValues.add(revealed);
        });
    return environment;
  }

  private static CommandRun start(
      ProcessBuilder builder, String stdin, OutputTail stdout, OutputTail stderr, SecretMask mask) {
    try {
      return CommandRun.start(builder, stdin, stdout, stderr, mask);
    } catch (IOException e) {
      // The lookup checked the program; this is a race with its removal, or a kernel refusal.
      String message = String.valueOf(e.getMessage());
      if (message.contains("error=2,")) {
        throw ActionFailures.nonRetryable(ActionFailures.COMMAND_NOT_FOUND, message);
      }
      if (message.contains("error=13,")) {
        throw ActionFailures.nonRetryable(ActionFailures.COMMAND_NOT_EXECUTABLE, message);
      }
      throw new UncheckedIOException(e);
    }
  }

  private Duration heartbeatInterval(ActivityInfo info) {
    Duration heartbeatTimeout = info.getHeartbeatTimeout();
    Duration interval = options.heartbeatInterval();
    if (isSet(heartbeatTimeout) && heartbeatTimeout.dividedBy(2).compareTo(interval) < 0) {
      return heartbeatTimeout.dividedBy(2);
    }
    return interval;
  }

  private static Duration startToCloseTimeout(ActivityInfo info) {
    Duration timeout = info.getStartToCloseTimeout();
    return isSet(timeout) ? timeout : null;
  }

  private static boolean isSet(Duration duration) {
    return duration != null && !duration.isZero() && !duration.isNegative();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String stderrSummary(String stderr) {
    String trimmed = stderr.strip();
    if (trimmed.isEmpty()) {
      return "stderr was empty";
    }
    String[] lines = trimmed.split("\n");
    int from = Math.max(0, lines.length - STDERR_LINES_IN_MESSAGE);
    String tail = String.join("\n", List.of(lines).subList(from, lines.length));
    if (tail.length() > STDERR_CHARS_IN_MESSAGE) {
      tail = "…" + tail.substring(tail.length() - STDERR_CHARS_IN_MESSAGE);
    }
    return "last lines of stderr:\n" + tail;
  }
}
