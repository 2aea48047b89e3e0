package io.drctl.worker.cli;

import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;

/** The contract on the in-memory Java test server, which every machine has. */
class JavaTestServerTest extends ServerContract {
  @Override
  DevServer start(DevServerOptions options) {
    return ContractServers.javaTestServer(options);
  }

  @Override
  boolean visibilityQueries() {
    return false;
  }
}
