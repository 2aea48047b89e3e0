package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PostgreSQL client tool whose standard output (or input) is a data stream: pg_dump to the store,
 * pg_restore from a file, pg_basebackup to the store. {@code shell.exec} keeps only a bounded tail,
 * so streaming needs this small runner. The environment (with the resolved password) goes only to
 * the child; stderr's last lines, the password masked, are the result's and the failure message's.
 * The process is killed when the copy fails or the activity is cancelled (a heartbeat throws).
 * Heartbeats report the bytes copied.
 */
final class StreamedTool {
  private static final int STDERR_LINES = 15;
  private static final int STDERR_BYTES = 8192;

  private StreamedTool() {}

  /** What a successful run produced: bytes copied and the last lines of stderr. */
  record Result(long bytes, List<String> stderr) {}

  /**
   * Runs {@code argv} and copies its stdout into {@code sink} (not closed).
   *
   * @return bytes copied and the last lines of stderr
   * @throws io.temporal.failure.ApplicationFailure {@code failureType} (retryable) on a non-zero
   *     exit
   */
  static Result run(
      List<String> argv,
      Map<String, String> environment,
      String secret,
      OutputStream sink,
      Progress progress,
      String phase,
      String failureType) {
    return run(argv, environment, secret, null, sink, progress, phase, failureType);
  }

  /**
   * Runs {@code argv} with {@code source} (not closed) as its standard input and copies its stdout
   * into {@code sink} (not closed). {@code source} is always read to its end, also after the tool
   * closed its input early (pg_restore --schema-only stops after the table of contents): a store
   * stream checks its SHA-256 only at its end. A failure reading {@code source} (e.g. {@code
   * BackupCorruptException}) kills the tool and is thrown as it is, before the tool's exit code is
   * looked at, for the caller to classify. Heartbeats report the bytes read from {@code source}.
   *
   * @param source the tool's input; null: {@code /dev/null}
   */
  static Result run(
      List<String> argv,
      Map<String, String> environment,
      String secret,
      InputStream source,
      OutputStream sink,
      Progress progress,
      String phase,
      String failureType) {
    SecretMask mask = SecretMask.of(secret == null ? List.of() : List.of(secret));
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectInput(
                source == null
                    ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                    : ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ActionFailures.nonRetryable(
          ActionFailures.COMMAND_NOT_FOUND,
          "cannot start "
              + argv.get(0)
              + ": "
              + e.getMessage()
              + " (set "
              + PostgresOptions.BINDIR_VARIABLE
              + ")");
    }
    OutputTail stderr = new OutputTail(STDERR_BYTES, mask.longestSecretBytes());
    Thread errors =
        stderr.pump(process.getErrorStream(), "stderr-" + argv.get(0).replaceAll(".*/", ""));
    AtomicLong copied = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> copyFailure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread copier =
        new Thread(
            () -> {
              try (InputStream out = process.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = out.read(buffer)) >= 0) {
                  sink.write(buffer, 0, read);
                  copied.addAndGet(read);
                }
              } catch (IOException | RuntimeException e) {
                copyFailure.set(e);
                process.destroyForcibly();
              }
            },
            "stdout-" + argv.get(0).replaceAll(".*/", ""));
    copier.setDaemon(true);
    copier.start();
    AtomicLong fed = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> feedFailure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread feeder = source == null ? null : feed(source, process, fed, feedFailure, argv.get(0));
    boolean finished = false;
    try {
      // Heartbeats come from this thread, also while the tool is silent (pg_restore).
      while (copier.isAlive() || (feeder != null && feeder.isAlive())) {
        (copier.isAlive() ? copier : feeder).join(TimeUnit.SECONDS.toMillis(1));
        progress.beat(phase, source == null ? copied.get() : fed.get());
      }
      Exception fault = feedFailure.get();
      if (fault instanceof RuntimeException runtime) {
        throw runtime; // e.g. a BackupCorruptException of the store's stream, classified by the
        // caller
      }
      if (fault != null) {
        throw new java.io.UncheckedIOException(
            "reading the input of " + argv.get(0) + " failed", (IOException) fault);
      }
      Exception failure = copyFailure.get();
      if (failure instanceof RuntimeException runtime) {
        throw runtime; // e.g. a StoreException from the sink, classified by the caller
      }
      if (failure != null) {
        throw new java.io.UncheckedIOException(
            "copying the output of " + argv.get(0) + " failed", (IOException) failure);
      }
      int exit = process.waitFor();
      errors.join(TimeUnit.SECONDS.toMillis(5));
      finished = true;
      List<String> errorLines = stderr.lastLines(mask, STDERR_LINES);
      if (exit != 0) {
        throw ActionFailures.retryable(
            failureType,
            argv.get(0).replaceAll(".*/", "")
                + " exited with code "
                + exit
                + ": "
                + String.join("\n", errorLines));
      }
      return new Result(copied.get(), errorLines);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ActionFailures.retryable(
          ActionFailures.INTERRUPTED, "the worker interrupted the activity: it is stopping");
    } finally {
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /**
   * Copies {@code source} into the tool's stdin until the tool closes it, then reads the rest of
   * {@code source} to its end without passing it on.
   */
  private static Thread feed(
      InputStream source,
      Process process,
      AtomicLong fed,
      java.util.concurrent.atomic.AtomicReference<Exception> failure,
      String tool) {
    Thread thread =
        new Thread(
            () -> {
              OutputStream stdin = process.getOutputStream();
              boolean open = true;
              try {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = source.read(buffer)) >= 0) {
                  fed.addAndGet(read);
                  if (open) {
                    try {
                      stdin.write(buffer, 0, read);
                    } catch (IOException closed) {
                      open = false; // the tool has read all it needs (or died: its exit code tells)
                    }
                  }
                }
              } catch (IOException | RuntimeException e) {
                failure.set(e);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
              } finally {
                try {
                  stdin.close();
                } catch (IOException closed) {
                  // Already closed by the tool's exit; nothing is lost.
                }
              }
            },
            "stdin-" + tool.replaceAll(".*/", ""));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
