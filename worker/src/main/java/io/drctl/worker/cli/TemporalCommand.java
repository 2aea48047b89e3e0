package io.drctl.worker.cli;

import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalOptions;
import io.drctl.worker.temporal.TemporalSettings;
import io.grpc.Status;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A client command: validates the Temporal options, connects, runs, and turns every problem with
 * the server into one line and an exit code (2 for what was asked, 3 for the server).
 */
abstract class TemporalCommand implements Callable<Integer> {
  static final int UNAVAILABLE = TemporalSetupException.UNAVAILABLE;

  @Spec CommandSpec spec;

  @Mixin TemporalOptions temporal;

  /** Runs with a checked connection; returns the exit code. */
  abstract int run(TemporalConnection connection) throws Exception;

  /** Checks what needs no server (files, inputs) before connecting, so those errors come first. */
  void prepare() {}

  @Override
  public final Integer call() throws Exception {
    TemporalSettings settings = settings(temporal);
    prepare();
    try (TemporalConnection connection = connect(settings)) {
      return run(connection);
    } catch (WorkflowNotFoundException e) {
      throw new Failures.UserError(
          "no incident '"
              + e.getExecution().getWorkflowId()
              + "' in namespace '"
              + settings.namespace()
              + "' at "
              + settings.address());
    } catch (RuntimeException e) {
      if (e instanceof Failures.UserError) {
        throw e;
      }
      throw serverFailure(settings, e);
    }
  }

  static TemporalSettings settings(TemporalOptions options) {
    try {
      return options.validate();
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
  }

  static TemporalConnection connect(TemporalSettings settings) {
    try {
      return TemporalConnection.open(settings);
    } catch (TemporalSetupException e) {
      throw new Failures.UserError(e.getMessage(), e.exitCode());
    }
  }

  /** A gRPC failure in words; anything else is left for {@link Failures} as an internal error. */
  static RuntimeException serverFailure(TemporalSettings settings, RuntimeException e) {
    if (e instanceof TemporalSetupException setup) {
      return new Failures.UserError(setup.getMessage(), setup.exitCode());
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof PayloadCodecException codec) {
        return new Failures.UserError("cannot read the incident's payloads: " + codec.getMessage());
      }
    }
    Status.Code code = RpcErrors.code(e).orElse(null);
    if (code == null) {
      return e;
    }
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          new Failures.UserError(
              "lost Temporal at " + settings.address() + ": " + RpcErrors.describe(e), UNAVAILABLE);
      case UNAUTHENTICATED, PERMISSION_DENIED ->
          new Failures.UserError(
              "Temporal at " + settings.address() + " refused: " + RpcErrors.describe(e),
              UNAVAILABLE);
      default ->
          new Failures.UserError(
              "Temporal at " + settings.address() + " answered " + RpcErrors.describe(e));
    };
  }
}
