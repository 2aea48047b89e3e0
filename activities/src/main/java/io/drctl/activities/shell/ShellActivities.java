package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Runs programs on the worker: the {@code shell} actions of the catalog, activity types {@code
 * shell.<verb>}.
 *
 * <p>Each method spells out its full activity type: Temporal ignores {@code namePrefix} for a
 * method with an explicit {@code @ActivityMethod(name)}, and without one it capitalises the method
 * name ({@code shell.Exec}). The prefix stays as the backend's mark and the default for a method
 * that forgets its name.
 */
@ActivityInterface(namePrefix = "shell.")
public interface ShellActivities {

  /**
   * Runs {@code argv} directly with {@link ProcessBuilder}, never through a shell string (pass
   * {@code ["sh", "-c", SCRIPT]} to get shell syntax), and waits for it.
   *
   * <p><b>Environment.</b> The child sees only {@code PATH}, {@code HOME} and {@code LANG} of the
   * worker plus {@code input.env}. Values of the form {@code env:NAME} or {@code file:/path} are
   * secret references, resolved here on every attempt; their values are replaced by {@code ****}
   * wherever they appear in the captured output and heartbeat details. The program is looked up in
   * the child's {@code PATH}. Without a working directory, the program runs in a fresh temporary
   * directory that is deleted afterwards.
   *
   * <p><b>Output.</b> Keeps the last {@code maxOutputBytes} bytes of stdout and of stderr (the
   * tail, on a UTF-8 character boundary) and sets {@code truncated} when anything was cut.
   *
   * <p><b>Liveness.</b> Heartbeats every few seconds with {@link ShellExecProgress}. When the
   * activity is cancelled, timed out by the server (heartbeat or start-to-close), or its worker
   * shuts down, the program and all its descendants get SIGTERM, then SIGKILL after a grace period.
   * The attempt's start-to-close timeout is also enforced locally. A process that daemonised itself
   * (double fork) is no longer a descendant and is not killed. After a normal exit, background
   * processes the program left behind are left alone (e.g. a server it started); they should not
   * keep stdout/stderr open.
   *
   * <p><b>Repetition.</b> Called once per attempt. If the worker crashes mid-run the activity runs
   * again from the start on a later attempt, possibly while the first program is still running on
   * the dead worker's host; making the program idempotent is the caller's business.
   *
   * @return the exit code and captured output, when the exit code equals {@code expectedExitCode}
   * @throws io.temporal.failure.ApplicationFailure with type {@link
   *     ActionFailures#UNEXPECTED_EXIT_CODE} (retryable; message has the exit code and the last
   *     lines of stderr; details hold the {@link ShellExecResult}), {@link
   *     ActionFailures#COMMAND_TIMED_OUT} (retryable), {@link ActionFailures#COMMAND_NOT_FOUND},
   *     {@link ActionFailures#COMMAND_NOT_EXECUTABLE}, {@link ActionFailures#SECRET_UNAVAILABLE},
   *     {@link ActionFailures#INVALID_INPUT} (all non-retryable), or {@link
   *     ActionFailures#IO_FAILURE} (retryable)
   */
  @ActivityMethod(name = "shell.exec")
  ShellExecResult exec(ShellExecInput input);
}
