package io.drctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers the tests start. A port the kernel hands out as free is released again before
 * the server binds it, and meanwhile any outgoing connection may take it (it is from the ephemeral
 * range): a server that then fails to bind is started again on new ports.
 */
public final class FreePorts {
  private static final int ATTEMPTS = 3;

  private FreePorts() {}

  /** A loopback port nothing listened on a moment ago. */
  public static int any() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A free loopback port in {@code [from, to)}, chosen at random. Each kind of server takes its own
   * range, so that two fixtures in one JVM do not race for the same ports.
   */
  public static int inRange(int from, int to) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(from, to);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // taken: the loop tries another
      }
    }
    throw new IllegalStateException("no free port in " + from + "-" + (to - 1));
  }

  /** Whether something accepts connections on {@code port} of 127.0.0.1 now. */
  public static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What starts a server on ports of its own choosing ({@link #any}). */
  @FunctionalInterface
  public interface Start<T> {
    T start() throws Exception;
  }

  /**
   * Runs {@code start} again, up to three times in all, while it fails because a port it chose was
   * taken ("address already in use" anywhere in the failure).
   */
  public static <T> T retryingWhenTaken(Start<T> start) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.start();
      } catch (Exception e) {
        if (attempt == ATTEMPTS || !portTaken(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean portTaken(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && message.toLowerCase(Locale.ROOT).contains("address already in use")) {
        return true;
      }
    }
    return false;
  }
}
