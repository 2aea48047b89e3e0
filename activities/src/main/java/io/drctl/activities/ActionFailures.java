package io.drctl.activities;

import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * The one place where activity errors become {@link ApplicationFailure}s. Every failure that leaves
 * an activity has a stable {@code type} from the constants below (runbooks name these types in
 * {@code retry.nonRetryable}) and says explicitly whether a retry can help.
 *
 * <p>Call rules: backends throw {@link #retryable} or {@link #nonRetryable} failures for the cases
 * they recognise, and wrap their method body with {@link #classify} so that anything else is
 * classified here, once. Messages and details go into workflow history: never put a secret value in
 * them.
 */
public final class ActionFailures {
  /** The step's {@code with} is malformed in a way the compiler could not catch. Not retryable. */
  public static final String INVALID_INPUT = "InvalidInput";

  /** A secret reference cannot be resolved on this worker. Not retryable. */
  public static final String SECRET_UNAVAILABLE = "SecretUnavailable";

  /** The action has a catalog definition but no implementation in this worker. Not retryable. */
  public static final String ACTION_NOT_IMPLEMENTED = "ActionNotImplemented";

  /** The program to run is not on the PATH (or not at the given path). Not retryable. */
  public static final String COMMAND_NOT_FOUND = "CommandNotFound";

  /** The program exists but may not be executed. Not retryable. */
  public static final String COMMAND_NOT_EXECUTABLE = "CommandNotExecutable";

  /** The program exited with a code other than the expected one. Retryable. */
  public static final String UNEXPECTED_EXIT_CODE = "UnexpectedExitCode";

  /** The program outlived the attempt's start-to-close timeout and was killed. Retryable. */
  public static final String COMMAND_TIMED_OUT = "CommandTimedOut";

  /** The worker interrupted the activity (it is shutting down). Retryable. */
  public static final String INTERRUPTED = "Interrupted";

  /** An I/O error on the worker. Retryable. */
  public static final String IO_FAILURE = "IoFailure";

  /** A bug or an unforeseen condition in the worker. Retryable. */
  public static final String INTERNAL_ERROR = "InternalError";

  private ActionFailures() {}

  /** A failure that the workflow may retry according to the step's retry policy. */
  public static ApplicationFailure retryable(String type, String message, Object... details) {
    return build(type, message, false, details);
  }

  /** A failure that no retry can fix; the step fails at once. */
  public static ApplicationFailure nonRetryable(String type, String message, Object... details) {
    return build(type, message, true, details);
  }

  /** {@link #INVALID_INPUT}, not retryable. */
  public static ApplicationFailure invalidInput(String message) {
    return nonRetryable(INVALID_INPUT, message);
  }

  /**
   * The boundary classification for anything a backend did not classify itself. Returns (never
   * throws) the exception to throw:
   *
   * <ul>
   *   <li>{@link ApplicationFailure}: already classified, returned as is;
   *   <li>{@link ActivityCompletionException} (cancelled, timed out on the server, worker
   *       shutdown): returned as is, because the SDK reports these itself;
   *   <li>{@link IllegalArgumentException}: {@link #INVALID_INPUT}, not retryable;
   *   <li>{@link IOException} or {@link UncheckedIOException}: {@link #IO_FAILURE}, retryable;
   *   <li>anything else: {@link #INTERNAL_ERROR}, retryable, with the cause attached.
   * </ul>
   */
  public static RuntimeException classify(Throwable error) {
    if (error instanceof ApplicationFailure failure) {
      return failure;
    }
    if (error instanceof ActivityCompletionException completion) {
      return completion;
    }
    if (error instanceof IllegalArgumentException) {
      return invalidInput(error.getMessage());
    }
    if (error instanceof IOException || error instanceof UncheckedIOException) {
      Throwable io = error instanceof UncheckedIOException unchecked ? unchecked.getCause() : error;
      return retryable(IO_FAILURE, io.getClass().getSimpleName() + ": " + io.getMessage());
    }
    return ApplicationFailure.newBuilder()
        .setType(INTERNAL_ERROR)
        .setMessage(error.getClass().getName() + ": " + error.getMessage())
        .setNonRetryable(false)
        .setCause(error)
        .build();
  }

  /**
   * {@code action} applied to {@code input}, with whatever escapes it {@link #classify classified}:
   * the body of every method of an activity implementation that delegates its work.
   */
  public static <I, O> O classified(Function<I, O> action, I input) {
    try {
      return action.apply(input);
    } catch (RuntimeException e) {
      throw classify(e);
    }
  }

  private static ApplicationFailure build(
      String type, String message, boolean nonRetryable, Object... details) {
    return ApplicationFailure.newBuilder()
        .setType(type)
        .setMessage(message)
        .setNonRetryable(nonRetryable)
        .setDetails(details)
        .build();
  }
}
