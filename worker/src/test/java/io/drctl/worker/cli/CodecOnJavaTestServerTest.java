package io.drctl.worker.cli;

import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;

/** Payload encryption on the in-memory Java test server, which every machine has. */
class CodecOnJavaTestServerTest extends CodecContract {
  @Override
  DevServer start(DevServerOptions options) {
    return ContractServers.javaTestServer(options);
  }

  @Override
  boolean handsWorkflowsToARestartedWorker() {
    return false;
  }
}
