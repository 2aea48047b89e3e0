package io.drctl.worker.cli;

import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract on the real server: the Temporal CLI's dev server, when bin/setup installed it
 * ({@code DRCTL_TEMPORAL_CLI} is set by {@code . "$(bin/setup --env)"}, which bin/test does).
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
class TemporalCliServerTest extends ServerContract {
  @Override
  DevServer start(DevServerOptions options) {
    return ContractServers.temporalCli(options);
  }

  @Override
  boolean visibilityQueries() {
    return true;
  }
}
