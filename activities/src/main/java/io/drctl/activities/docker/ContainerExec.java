package io.drctl.activities.docker;

import com.github.dockerjava.api.command.InspectExecResponse;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@code docker.exec}: a command in a running container, with stdin and bounded output. */
final class ContainerExec {
  private static final int STDERR_CHARS_IN_MESSAGE = 2000;
  private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(5);

  private final DockerServices services;

  ContainerExec(DockerServices services) {
    this.services = services;
  }

  DockerExecResult exec(DockerExecInput input) {
    DockerInputs.present("docker.exec", input);
    check(input);
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    List<String> secretValues = new ArrayList<>();
    List<String> environment = environment(services.secrets(), input.env(), secretValues);
    SecretMask mask = SecretMask.of(secretValues);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    String containerId = engine.container(target.requireContainer()).getId();
    String doing = "running " + input.argv().get(0) + " in " + target.describe();

    String execId =
        engine.call(
            doing,
            DockerFailures.NO_SUCH_CONTAINER,
            () -> {
              var create =
                  engine
                      .client()
                      .execCreateCmd(containerId)
                      .withCmd(input.argv().toArray(String[]::new))
                      .withEnv(environment)
                      .withAttachStdout(true)
                      .withAttachStderr(true)
                      .withAttachStdin(input.stdin() != null)
                      .withTty(false);
              if (input.user() != null) {
                create.withUser(input.user());
              }
              if (input.workingDirectory() != null) {
                create.withWorkingDir(input.workingDirectory());
              }
              return create.exec().getId();
            });

    OutputTail stdout = new OutputTail(input.maxOutputBytes(), mask.longestSecretBytes());
    OutputTail stderr = new OutputTail(input.maxOutputBytes(), mask.longestSecretBytes());
    long started = System.nanoTime();
    try (ExecStream stream =
        ExecStream.start(engine.host(), execId, services.options().connectTimeout(), doing)) {
      if (input.stdin() != null) {
        byte[] bytes = input.stdin().getBytes(StandardCharsets.UTF_8);
        services.calls().submit(() -> feed(stream, bytes));
      }
      Future<Void> pumping =
          services
              .calls()
              .submit(
                  () -> {
                    stream.pump(stdout, stderr);
                    return null;
                  });
      heartbeats.await(
          pumping,
          () ->
              new DockerProgress(
                  "running " + input.argv().get(0),
                  1,
                  "",
                  0,
                  stdout.totalBytes() + stderr.totalBytes(),
                  (long) heartbeats.elapsedSeconds()));
    } catch (IOException e) {
      throw EngineFailures.unavailable(engine.host(), doing, e);
    } catch (RuntimeException e) {
      IOException io = EngineFailures.ioCause(e);
      throw io != null && !(e instanceof ApplicationFailure)
          ? EngineFailures.unavailable(engine.host(), doing, io)
          : e;
    }
    long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    int exitCode = exitCode(engine, execId, doing);
    DockerExecResult result = DockerExecResult.of(exitCode, stdout, stderr, mask, durationMillis);
    if (exitCode != input.expectedExitCode()) {
      throw ActionFailures.retryable(
          ActionFailures.UNEXPECTED_EXIT_CODE,
          input.argv().get(0)
              + " exited with code "
              + exitCode
              + " in "
              + target.describe()
              + ", expected "
              + input.expectedExitCode()
              + "; "
              + stderrSummary(result.stderr()),
          result);
    }
    return result;
  }

  private static Void feed(ExecStream stream, byte[] bytes) {
    try {
      stream.sendStdin(bytes);
    } catch (IOException e) {
      // The command exited or closed stdin before reading it all; its exit code tells whether
      // that was a problem.
      return null;
    }
    return null;
  }

  /** The exit code, once the engine has recorded it (just after the stream ends). */
  private int exitCode(DockerEngine engine, String execId, String doing) {
    long deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
    while (true) {
      InspectExecResponse exec =
          engine.call(
              doing,
              DockerFailures.NO_SUCH_CONTAINER,
              () -> engine.client().inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(exec.isRunning()) && exec.getExitCodeLong() != null) {
        return exec.getExitCodeLong().intValue();
      }
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            DockerFailures.ENGINE_ERROR,
            doing + ": the output ended but the engine reports no exit code");
      }
      Heartbeats.sleep(Duration.ofMillis(50));
    }
  }

  private static void check(DockerExecInput input) {
    checkCommand(input.argv(), input.env());
    DockerInputs.between(
        "maxOutputBytes", input.maxOutputBytes(), 0, DockerExecInput.MAX_OUTPUT_BYTES_LIMIT);
    if (input.user() != null && input.user().isBlank()) {
      throw ActionFailures.invalidInput("user must not be blank");
    }
    if (input.workingDirectory() != null) {
      DockerInputs.containerPath("workingDirectory", input.workingDirectory());
    }
  }

  /** An argv naming a program, without empty or NUL arguments; env names and values usable. */
  static void checkCommand(List<String> argv, Map<String, String> env) {
    if (argv.isEmpty()) {
      throw ActionFailures.invalidInput("argv must name a program");
    }
    for (int index = 0; index < argv.size(); index++) {
      String argument = argv.get(index);
      if (argument == null || argument.isEmpty() || argument.indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput(
            "argv[" + index + "] is empty or contains a NUL character");
      }
    }
    for (Map.Entry<String, String> variable : env.entrySet()) {
      String name = variable.getKey();
      if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput("env has an invalid variable name '" + name + "'");
      }
      if (variable.getValue() == null || variable.getValue().indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput(
            "env." + name + " has no value or contains a NUL character");
      }
    }
  }

  /**
   * NAME=VALUE pairs with secret references resolved; the values resolved go to {@code
   * secretValues}.
   */
  static List<String> environment(
      SecretResolver secrets, Map<String, String> env, List<String> secretValues) {
    List<String> pairs = new ArrayList<>();
    env.forEach(
        (name, value) -> {
          String resolved = value;
          if (SecretResolver.isReference(value)) {
            try {
              resolved = secrets.resolve(value).reveal();
            } catch (IllegalArgumentException e) {
              throw ActionFailures.invalidInput("env." + name + ": " + e.getMessage());
            }
            secretValues.add(resolved);
          }
          pairs.add(name + "=" + resolved);
        });
    return pairs;
  }

  static String stderrSummary(String stderr) {
    String trimmed = stderr.strip();
    if (trimmed.isEmpty()) {
      return "stderr was empty";
    }
    String tail =
        trimmed.length() > STDERR_CHARS_IN_MESSAGE
            ? "…" + trimmed.substring(trimmed.length() - STDERR_CHARS_IN_MESSAGE)
            : trimmed;
    return "last lines of stderr:\n" + tail;
  }
}
