package io.drctl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What code run by a test prints on System.out and System.err, captured for that test alone while
 * other test classes run at once (the worker module's second line of classes).
 *
 * <p>Replacing System.out and System.err for the length of a call, as a single-threaded suite may,
 * goes wrong once two tests do it at the same time: each saves what the other put there and puts it
 * back after, and one test's lines end up in the other's capture or on the console. Here System.out
 * and System.err are replaced once, by streams that send each write to the capture of the thread
 * that writes: the capturing thread's and those of the threads it starts meanwhile (an inheritable
 * thread-local). A thread started before, e.g. of a shared pool, that writes during a capture goes
 * to the newest capture still open, as it would have with the streams replaced; with none open, to
 * the console.
 */
public final class ThreadOutput {
  private static final InheritableThreadLocal<Capture> OWN = new InheritableThreadLocal<>();
  private static final Deque<Capture> OPEN = new ArrayDeque<>();
  private static boolean installed;

  private ThreadOutput() {}

  /** What a call printed, and what it returned. */
  public record Captured<T>(T value, String out, String err) {}

  /** What can be captured: a call that returns a value and may throw. */
  @FunctionalInterface
  public interface Call<T, E extends Exception> {
    T call() throws E;
  }

  /**
   * Runs {@code call} in this thread with what it (and threads it starts) prints on System.out and
   * System.err captured.
   */
  public static <T, E extends Exception> Captured<T> capture(Call<T, E> call) throws E {
    install();
    Capture capture = new Capture();
    Capture outer = OWN.get();
    synchronized (OPEN) {
      OPEN.push(capture);
    }
    OWN.set(capture);
    T value;
    try {
      value = call.call();
    } finally {
      if (outer == null) {
        OWN.remove();
      } else {
        OWN.set(outer);
      }
      synchronized (OPEN) {
        OPEN.remove(capture);
      }
      capture.open = false;
    }
    return new Captured<>(
        value,
        capture.out.toString(StandardCharsets.UTF_8),
        capture.err.toString(StandardCharsets.UTF_8));
  }

  private static synchronized void install() {
    if (installed) {
      return;
    }
    System.setOut(new PrintStream(new Dispatch(System.out, false), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Dispatch(System.err, true), true, StandardCharsets.UTF_8));
    installed = true;
  }

  /** The capture a write of the current thread goes to, or null for the console. */
  private static Capture current() {
    Capture own = OWN.get();
    if (own != null && own.open) {
      return own;
    }
    synchronized (OPEN) {
      return OPEN.peek();
    }
  }

  private static final class Capture {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    volatile boolean open = true;
  }

  /** System.out or System.err: each write to the writing thread's capture, else the console. */
  private static final class Dispatch extends OutputStream {
    private final PrintStream console;
    private final boolean err;

    Dispatch(PrintStream console, boolean err) {
      this.console = console;
      this.err = err;
    }

    private OutputStream target() {
      Capture capture = current();
      if (capture == null) {
        return console;
      }
      return err ? capture.err : capture.out;
    }

    @Override
    public void write(int b) throws IOException {
      target().write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      target().write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      target().flush();
    }
  }
}
