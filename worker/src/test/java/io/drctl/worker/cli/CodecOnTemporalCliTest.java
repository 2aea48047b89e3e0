package io.drctl.worker.cli;

import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Payload encryption on the real server: the Temporal CLI's dev server, when bin/setup installed
 * it.
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
class CodecOnTemporalCliTest extends CodecContract {
  @Override
  DevServer start(DevServerOptions options) {
    return ContractServers.temporalCli(options);
  }

  @Override
  boolean handsWorkflowsToARestartedWorker() {
    return true;
  }
}
