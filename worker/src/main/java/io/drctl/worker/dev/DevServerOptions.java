package io.drctl.worker.dev;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the dev server.
 *
 * @param host the loopback address to bind
 * @param stateDir where the CLI's SQLite file and log go; unused by the in-memory test server
 * @param startTimeout how long to wait for the port to answer
 */
public record DevServerOptions(String host, int port, int uiPort, Path stateDir, String namespace, Duration startTimeout) {}
