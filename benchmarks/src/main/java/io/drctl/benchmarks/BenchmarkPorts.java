package io.drctl.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** Loopback ports for the servers the benchmarks start. */
final class BenchmarkPorts {
  private BenchmarkPorts() {}

  /**
   * A free loopback port for a server a benchmark starts: from the range {@code FIRST-LAST} in the
   * environment variable {@value #PORTS_ENV} when it is set (a machine shared by several sessions
   * gives each its own range), else one the kernel picks. The port is free when returned; the
   * server binds it soon after.
   */
  static int free() {
    String range = System.getenv(PORTS_ENV);
    if (range == null || range.isBlank()) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot find a free loopback port", e);
      }
    }
    String[] bounds = range.trim().split("-");
    int first;
    int last;
    try {
      first = Integer.parseInt(bounds[0]);
      last = Integer.parseInt(bounds[bounds.length - 1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORTS_ENV + "=" + range + ": expected FIRST-LAST, e.g. 29660-29719");
    }
    int size = last - first + 1;
    for (int i = 0; i < size; i++) {
      int port = first + Math.floorMod(NEXT_PORT.getAndIncrement(), size);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try the next one
      }
    }
    throw new IllegalStateException("no free loopback port in " + PORTS_ENV + "=" + range);
  }

  static final String PORTS_ENV = "DRCTL_BENCH_PORTS";
  private static final AtomicInteger NEXT_PORT =
      new AtomicInteger((int) (ProcessHandle.current().pid() % 61));
}
