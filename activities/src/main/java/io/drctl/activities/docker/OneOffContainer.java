package io.drctl.activities.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.VolumesFrom;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command in a one-off sibling of a target's container: the container's own image (so its
 * tools match its server's version), {@code --volumes-from} the container, host networking, the
 * given user and environment, the command as the entrypoint (no shell). The sibling is labelled
 * {@value #LABEL}{@code =<key>}; before it starts, a leftover with the same key (a crash of an
 * earlier attempt) is removed, and it is always removed after the run: on success, on a non-zero
 * exit, on timeout, and when the activity is cancelled (a heartbeat throws).
 *
 * <p>Output is read from the sibling's log once it exited, the tail of each stream kept ({@link
 * OutputTail}) with resolved secret values masked. Secrets travel only in the container's
 * environment, never in its command, a message or a log.
 */
final class OneOffContainer {
  /** The label that marks a one-off sibling; its value is the run's key. */
  static final String LABEL = "io.drctl.oneoff";

  static final int MAX_OUTPUT_BYTES_LIMIT = DockerExecInput.MAX_OUTPUT_BYTES_LIMIT;

  private final DockerServices services;

  OneOffContainer(DockerServices services) {
    this.services = services;
  }

  DockerExecResult run(OneOffRun run) {
    DockerInputs.present("a one-off container", run);
    ContainerExec.checkCommand(run.argv(), run.env());
    DockerInputs.between("maxOutputBytes", run.maxOutputBytes(), 0, MAX_OUTPUT_BYTES_LIMIT);
    if (run.user() != null && run.user().isBlank()) {
      throw ActionFailures.invalidInput("user must not be blank");
    }
    if (run.timeout().isNegative() || run.timeout().isZero()) {
      throw ActionFailures.invalidInput("timeout must be positive, was " + run.timeout());
    }
    DockerTarget target =
        DockerTarget.of(run.targets(), "target", run.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    Heartbeats heartbeats = services.heartbeats();
    List<String> secretValues = new ArrayList<>();
    List<String> environment =
        ContainerExec.environment(services.secrets(), run.env(), secretValues);
    SecretMask mask = SecretMask.of(secretValues);
    String program = run.argv().get(0);
    String doing = "running " + program + " in a one-off container beside " + target.describe();

    InspectContainerResponse model = engine.container(target.requireContainer());
    removeLeftovers(engine, run.key());
    String id = create(engine, model, run, environment, doing);
    long started = System.nanoTime();
    try {
      try {
        engine.call(
            doing,
            DockerFailures.NO_SUCH_CONTAINER,
            () -> engine.client().startContainerCmd(id).exec());
      } catch (ApplicationFailure failure) {
        throw notFound(failure, program);
      }
      int exitCode = awaitExit(engine, id, run.timeout(), heartbeats, program, doing);
      OutputTail stdout = new OutputTail(run.maxOutputBytes(), mask.longestSecretBytes());
      OutputTail stderr = new OutputTail(run.maxOutputBytes(), mask.longestSecretBytes());
      Future<Void> reading =
          services.calls().submit(() -> readLog(engine, id, stdout, stderr, doing));
      heartbeats.await(
          reading, () -> progress(program, heartbeats, stdout.totalBytes() + stderr.totalBytes()));
      long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      DockerExecResult result = DockerExecResult.of(exitCode, stdout, stderr, mask, durationMillis);
      if (exitCode != run.expectedExitCode()) {
        throw ActionFailures.retryable(
            ActionFailures.UNEXPECTED_EXIT_CODE,
            program
                + " exited with code "
                + exitCode
                + " in a one-off container beside "
                + target.describe()
                + ", expected "
                + run.expectedExitCode()
                + "; "
                + ContainerExec.stderrSummary(result.stderr()),
            result);
      }
      return result;
    } finally {
      ContainerRecreation.remove(engine, id);
    }
  }

  /** Removes containers of an earlier attempt with the same key, running or not. */
  private static void removeLeftovers(DockerEngine engine, String key) {
    List<Container> leftovers =
        engine.call(
            "listing one-off containers labelled " + LABEL + "=" + key,
            DockerFailures.NO_SUCH_CONTAINER,
            () ->
                engine
                    .client()
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(LABEL, key))
                    .exec());
    for (Container leftover : leftovers) {
      ContainerRecreation.remove(engine, leftover.getId());
    }
  }

  private static String create(
      DockerEngine engine,
      InspectContainerResponse model,
      OneOffRun run,
      List<String> environment,
      String doing) {
    String name =
        model.getName().replaceFirst("^/", "")
            + "-drctl-oneoff-"
            + UUID.randomUUID().toString().substring(0, 8);
    return engine.call(
        doing,
        DockerFailures.NO_SUCH_IMAGE,
        () -> {
          var create =
              engine
                  .client()
                  .createContainerCmd(model.getImageId())
                  .withName(name)
                  .withEntrypoint(run.argv().get(0))
                  .withCmd(run.argv().subList(1, run.argv().size()))
                  .withEnv(environment)
                  .withLabels(Map.of(LABEL, run.key()))
                  .withHostConfig(
                      HostConfig.newHostConfig()
                          .withNetworkMode("host")
                          .withVolumesFrom(new VolumesFrom(model.getId())));
          if (run.user() != null) {
            create.withUser(run.user());
          }
          return create.exec().getId();
        });
  }

  /**
   * Waits for the sibling to exit, heartbeating; kills it after {@code timeout}. A cancelled or
   * timed-out activity learns it from a heartbeat, which throws; the caller removes the sibling.
   */
  private int awaitExit(
      DockerEngine engine,
      String id,
      Duration timeout,
      Heartbeats heartbeats,
      String program,
      String doing) {
    Future<Integer> waiting =
        services
            .calls()
            .submit(
                () ->
                    engine.call(
                        doing,
                        DockerFailures.NO_SUCH_CONTAINER,
                        () ->
                            engine
                                .client()
                                .waitContainerCmd(id)
                                .exec(new WaitContainerResultCallback())
                                .awaitStatusCode()));
    long deadline = System.nanoTime() + timeout.toNanos();
    long poll = Math.max(50, services.options().heartbeatInterval().toMillis());
    try {
      while (true) {
        try {
          return waiting.get(
              Math.min(
                  poll, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))),
              TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          if (System.nanoTime() >= deadline) {
            throw ActionFailures.retryable(
                ActionFailures.COMMAND_TIMED_OUT,
                doing
                    + ": still running after "
                    + timeout.toSeconds()
                    + "s; the container was removed");
          }
          heartbeats.beat(progress(program, heartbeats, 0));
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Heartbeats.interrupted();
    } finally {
      waiting.cancel(true);
    }
  }

  private static Void readLog(
      DockerEngine engine, String id, OutputTail stdout, OutputTail stderr, String doing)
      throws InterruptedException {
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            OutputTail into = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
            into.append(payload, 0, payload.length);
          }
        };
    engine.call(
        doing,
        DockerFailures.NO_SUCH_CONTAINER,
        () ->
            engine
                .client()
                .logContainerCmd(id)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(false)
                .exec(callback));
    callback.awaitCompletion();
    return null;
  }

  /** The engine refuses to start a program the image does not have: that is a missing command. */
  private static ApplicationFailure notFound(ApplicationFailure failure, String program) {
    String message = failure.getOriginalMessage();
    if (message != null
        && (message.contains("executable file not found") || message.contains("no such file"))) {
      return ActionFailures.nonRetryable(
          ActionFailures.COMMAND_NOT_FOUND,
          program + " is not in the image of the container: " + message);
    }
    return failure;
  }

  private static DockerProgress progress(String program, Heartbeats heartbeats, long bytes) {
    return new DockerProgress(
        "running " + program + " in a one-off container",
        1,
        "",
        0,
        bytes,
        (long) heartbeats.elapsedSeconds());
  }
}
