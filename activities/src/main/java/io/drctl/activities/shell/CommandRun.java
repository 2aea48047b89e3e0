package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;
import io.temporal.activity.ActivityExecutionContext;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One started program: its process, the pumps that capture its output and the writer of its stdin,
 * supervised until it exits, runs out of time, or the activity ends under it.
 */
final class CommandRun {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration DRAIN = Duration.ofSeconds(1);
  private static final File NO_INPUT = new File("/dev/null");

  /**
   * How a supervised run ended; {@code exitCode} is -1 if a timed-out process is not yet reaped.
   */
  record Outcome(int exitCode, boolean timedOut, long durationMillis) {}

  private final Process process;
  private final long startNanos;
  private final OutputTail stdout;
  private final OutputTail stderr;
  private final SecretMask mask;
  private final List<Thread> pumps;

  private CommandRun(
      Process process, long startNanos, OutputTail stdout, OutputTail stderr, SecretMask mask) {
    this.process = process;
    this.startNanos = startNanos;
    this.stdout = stdout;
    this.stderr = stderr;
    this.mask = mask;
    String suffix = "-" + process.pid();
    this.pumps =
        List.of(
            stdout.pump(process.getInputStream(), "shell-exec-stdout" + suffix),
            stderr.pump(process.getErrorStream(), "shell-exec-stderr" + suffix));
  }

  /** Starts the program; {@code stdin} may be {@code null} for an empty standard input. */
  static CommandRun start(
      ProcessBuilder builder, String stdin, OutputTail stdout, OutputTail stderr, SecretMask mask)
      throws IOException {
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
    }
    long startNanos = System.nanoTime();
    Process process = builder.start();
    CommandRun run = new CommandRun(process, startNanos, stdout, stderr, mask);
    if (stdin != null) {
      run.feed(stdin);
    }
    return run;
  }

  private void feed(String stdin) {
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream input = process.getOutputStream()) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                // The program exited or closed stdin before reading it all; its exit code says
                // whether that was a problem.
                return;
              }
            },
            "shell-exec-stdin-" + process.pid());
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Waits for the program to exit, heartbeating {@link ShellExecProgress} every {@code
   * heartbeatInterval}. Kills the process tree when {@code timeout} (from the start, {@code null}
   * for none) runs out, when a heartbeat reports the activity cancelled or gone, when the thread is
   * interrupted, or on any other error; the exception then propagates.
   */
  Outcome await(
      ActivityExecutionContext context,
      Duration heartbeatInterval,
      Duration timeout,
      Duration killGrace) {
    boolean exited = false;
    try {
      exited = waitForExit(context, heartbeatInterval, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ActionFailures.retryable(
          ActionFailures.INTERRUPTED,
          "the worker interrupted the activity; the program was killed");
    } finally {
      if (!exited) {
        ProcessTree.kill(process.toHandle(), killGrace);
      }
      drain();
    }
    return new Outcome(process.isAlive() ? -1 : process.exitValue(), !exited, elapsedMillis());
  }

  private boolean waitForExit(
      ActivityExecutionContext context, Duration heartbeatInterval, Duration timeout)
      throws InterruptedException {
    long nextHeartbeat = startNanos;
    while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (timeout != null && now - startNanos >= timeout.toNanos()) {
        return false;
      }
      if (now - nextHeartbeat >= 0) {
        heartbeat(context);
        nextHeartbeat = now + heartbeatInterval.toNanos();
      }
    }
    return true;
  }

  private void heartbeat(ActivityExecutionContext context) {
    // Throws io.temporal.client.ActivityCompletionException when the activity was cancelled,
    // timed out on the server, or the worker is shutting down; await() then kills the tree.
    context.heartbeat(progress());
  }

  ShellExecProgress progress() {
    OutputTail latest = stderr.lastWriteNanos() - stdout.lastWriteNanos() > 0 ? stderr : stdout;
    return new ShellExecProgress(
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
        stdout.totalBytes(),
        stderr.totalBytes(),
        latest.lastLine(mask));
  }

  private long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /**
   * Lets the pumps read what is left in the pipes. A background process the program left behind may
   * hold them open; its output then goes on being drained by the daemon pumps, unreported.
   */
  private void drain() {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    for (Thread pump : pumps) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      try {
        pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
