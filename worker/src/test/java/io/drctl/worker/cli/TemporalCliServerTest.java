package io.drctl.worker.cli;

import io.drctl.worker.dev.DevServer;
import io.drctl.worker.dev.DevServerOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract on the real server: the Temporal CLI's dev server, when bin/setup installed it
 * ({@code DRCTL_TEMPORAL_CLI} is set by {@code . "$(bin/setup --env)"}, which bin/test does).
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
class TemporalCliServerTest extends ServerContract {
  @Override
  DevServer start(DevServerOptions options) {
    Path cli = Path.of(System.getenv("DRCTL_TEMPORAL_CLI"));
    return DevServer.start(new DevServer.Choice(DevServer.Kind.cli, cli, "DRCTL_TEMPORAL_CLI"), options, launched -> {});
  }

  @Override
  boolean visibilityQueries() {
    return true;
  }
}
