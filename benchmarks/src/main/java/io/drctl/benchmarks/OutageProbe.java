package io.drctl.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * How long a Redis server does not serve while some work runs: a thread sends {@code PING} every
 * {@value #INTERVAL_MILLIS} ms, each on a new connection as a reconnecting client would, and counts
 * the time between a probe that got no {@code +PONG} (refused, closed, or {@code -LOADING}) and the
 * next one that did. Measured from outside, the same way for every contender.
 */
final class OutageProbe implements AutoCloseable {
  private static final int INTERVAL_MILLIS = 5;
  private static final int TIMEOUT_MILLIS = 200;
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

  private final int port;
  private final Thread thread;
  private volatile boolean running = true;
  private long downSince = -1;
  private long downNanos;

  private OutageProbe(int port) {
    this.port = port;
    this.thread = new Thread(this::probe, "outage-probe-" + port);
    this.thread.setDaemon(true);
  }

  /** Starts probing the server on 127.0.0.1:{@code port}. */
  static OutageProbe start(int port) {
    OutageProbe probe = new OutageProbe(port);
    probe.thread.start();
    return probe;
  }

  /** Stops probing; the seconds the server did not serve (a span still open counts to now). */
  double seconds() throws InterruptedException {
    close();
    return downNanos / 1e9;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }

  private void probe() {
    while (running) {
      boolean up = serves();
      long now = System.nanoTime();
      if (!up && downSince < 0) {
        downSince = now;
      } else if (up && downSince >= 0) {
        downNanos += now - downSince;
        downSince = -1;
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (downSince >= 0) {
      downNanos += System.nanoTime() - downSince;
    }
  }

  private boolean serves() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.getOutputStream().write(PING);
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[5];
      int read = 0;
      while (read < answer.length) {
        int n = in.read(answer, read, answer.length - read);
        if (n < 0) {
          return false;
        }
        read += n;
      }
      return "+PONG".equals(new String(answer, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }
}
