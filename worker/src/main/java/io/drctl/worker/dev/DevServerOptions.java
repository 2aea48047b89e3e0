package io.drctl.worker.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run the dev server.
 *
 * @param host the loopback address to bind
 * @param stateDir where the CLI's SQLite file and log go; unused by the in-memory test server
 * @param startTimeout how long to wait for the port to answer
 * @param uiCodecEndpoint the codec server the Web UI decodes payloads through, or null for none
 * @param serverArguments more arguments for the CLI's {@code server start-dev}, after drctl's own
 *     (the benchmarks' {@code --headless}, {@code --dynamic-config-value}: a value given for a key
 *     drctl sets too wins, being later); empty for none
 */
public record DevServerOptions(
    String host,
    int port,
    int uiPort,
    Path stateDir,
    String namespace,
    Duration startTimeout,
    String uiCodecEndpoint,
    List<String> serverArguments) {

  public DevServerOptions {
    serverArguments = List.copyOf(serverArguments);
  }

  /** Without a codec server for the Web UI or more server arguments. */
  public DevServerOptions(
      String host, int port, int uiPort, Path stateDir, String namespace, Duration startTimeout) {
    this(host, port, uiPort, stateDir, namespace, startTimeout, null, List.of());
  }

  /** The same with the Web UI decoding through {@code endpoint}. */
  public DevServerOptions withUiCodecEndpoint(String endpoint) {
    return new DevServerOptions(
        host, port, uiPort, stateDir, namespace, startTimeout, endpoint, serverArguments);
  }

  /** The same with {@code arguments} added to the CLI's command line. */
  public DevServerOptions withServerArguments(List<String> arguments) {
    return new DevServerOptions(
        host, port, uiPort, stateDir, namespace, startTimeout, uiCodecEndpoint, arguments);
  }
}
