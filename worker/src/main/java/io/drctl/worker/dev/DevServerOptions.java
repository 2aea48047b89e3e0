package io.drctl.worker.dev;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the dev server.
 *
 * @param host the loopback address to bind
 * @param stateDir where the CLI's SQLite file and log go; unused by the in-memory test server
 * @param startTimeout how long to wait for the port to answer
 * @param uiCodecEndpoint the codec server the Web UI decodes payloads through, or null for none
 */
public record DevServerOptions(
    String host, int port, int uiPort, Path stateDir, String namespace, Duration startTimeout, String uiCodecEndpoint) {

  /** Without a codec server for the Web UI. */
  public DevServerOptions(String host, int port, int uiPort, Path stateDir, String namespace, Duration startTimeout) {
    this(host, port, uiPort, stateDir, namespace, startTimeout, null);
  }

  /** The same with the Web UI decoding through {@code endpoint}. */
  public DevServerOptions withUiCodecEndpoint(String endpoint) {
    return new DevServerOptions(host, port, uiPort, stateDir, namespace, startTimeout, endpoint);
  }
}
