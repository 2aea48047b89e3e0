package io.drctl.worker.alerts;

/**
 * How the receiver serves, checked once at start.
 *
 * @param host the interface to bind, e.g. 0.0.0.0 or 127.0.0.1
 * @param port the port; 0 picks a free one (tests)
 * @param maxBodyBytes larger bodies are refused with 413
 * @param threads requests handled at once; more wait in the accept queue
 * @param authentication who may post
 */
public record ReceiverSettings(
    String host, int port, int maxBodyBytes, int threads, RequestAuthentication authentication) {
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_THREADS = 16;

  public ReceiverSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--receiver-port " + port + ": not a port (1 to 65535)");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException(
          "--receiver-max-body " + maxBodyBytes + ": at least 1024 bytes");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--receiver-threads " + threads + ": at least 1");
    }
  }
}
