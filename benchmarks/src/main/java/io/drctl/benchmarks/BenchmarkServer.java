package io.drctl.benchmarks;

import io.drctl.testing.FreePorts;
import io.drctl.testing.TemporalCliLocation;
import io.drctl.workflow.IncidentWorkflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The Temporal server both contenders run against: the real dev server of the Temporal CLI when its
 * binary is present, else the SDK's Java test server in this process. Started by the harness and
 * stopped by {@link #close}.
 */
interface BenchmarkServer extends AutoCloseable {
  /** host:port of the frontend. */
  String target();

  /** Which server this is, for the report. */
  String description();

  /** CPU time the server process used so far, when it runs in its own process. */
  OptionalLong cpuNanos();

  /** The server's last log lines, when it has a log of its own. */
  default String logTail() {
    return "";
  }

  @Override
  void close();

  /**
   * {@code cli}: the CLI dev server, or fail; {@code java}: the Java test server; {@code auto}: the
   * first if its binary is there; {@code HOST:PORT}: a server already running there (search
   * attributes must be registered). The CLI server keeps its SQLite file under {@code
   * databaseParent} and reads its transfer queue {@code transferPollsPerSecond} times a second (0:
   * its default).
   */
  static BenchmarkServer start(String kind, Path databaseParent, int transferPollsPerSecond) {
    if (kind.contains(":")) {
      return new BenchmarkServer() {
        @Override
        public String target() {
          return kind;
        }

        @Override
        public String description() {
          return "an external server at " + kind + ", not started by the benchmark";
        }

        @Override
        public OptionalLong cpuNanos() {
          return OptionalLong.empty();
        }

        @Override
        public void close() {}
      };
    }
    Path cli = TemporalCliLocation.expected();
    boolean haveCli = Files.isExecutable(cli);
    return switch (kind) {
      case "cli" -> {
        if (!haveCli) {
          throw new IllegalStateException(
              "--server cli: no Temporal CLI at " + cli + " (set DRCTL_TEMPORAL_CLI)");
        }
        yield TemporalCliServer.start(cli, databaseParent, transferPollsPerSecond);
      }
      case "java" -> InProcessTestServer.start(FreePorts.any());
      case "auto" ->
          haveCli
              ? TemporalCliServer.start(cli, databaseParent, transferPollsPerSecond)
              : InProcessTestServer.start(FreePorts.any());
      default ->
          throw new IllegalArgumentException(
              "--server " + kind + ": expected auto, cli, java or HOST:PORT");
    };
  }

  /** The custom search attributes the incident workflow upserts; all Keyword. */
  static List<String> searchAttributes() {
    return IncidentWorkflows.SEARCH_ATTRIBUTES.stream().map(key -> key.getName()).toList();
  }
}
