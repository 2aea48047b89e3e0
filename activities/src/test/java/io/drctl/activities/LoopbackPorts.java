package io.drctl.activities;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers activity tests start (PostgreSQL, Redis): a random loopback port of a
 * range that nothing listened on a moment ago. Each kind of server takes its own range, so that
 * two fixtures in one JVM do not race for the same ports.
 */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A free loopback port in {@code [from, to)}. */
  public static int free(int from, int to) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(from, to);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // taken: the loop tries another
      }
    }
    throw new AssertionError("no free port in " + from + "-" + (to - 1));
  }
}
