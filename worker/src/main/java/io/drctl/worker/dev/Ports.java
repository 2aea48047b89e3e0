package io.drctl.worker.dev;

import io.drctl.worker.TemporalSetupException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Checks on local TCP ports, so a busy port is reported before a server fails on it. */
final class Ports {
  private Ports() {}

  /**
   * @throws TemporalSetupException naming the option and the port when it is in use
   */
  static void ensureFree(String host, int port, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          option
              + " "
              + port
              + ": "
              + host
              + ":"
              + port
              + " is taken (is another Temporal server running? `drctl worker --address "
              + host
              + ":"
              + port
              + "` uses it; or pick another port with "
              + option
              + ")");
    }
  }

  /** Whether something accepts connections on host:port now. */
  static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
