package io.drctl.activities.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Worker-wide settings of the postgres backend, fixed at construction.
 *
 * @param binDirectory where the PostgreSQL client tools run on the worker host live (pg_dump,
 *     pg_rewind, pg_basebackup, pg_ctl)
 * @param connectTimeout connect timeout of every JDBC connection that its input does not set
 * @param pollInterval how often waits (promotion, streaming) look again
 */
public record PostgresOptions(Path binDirectory, Duration connectTimeout, Duration pollInterval) {
  /** The environment variable naming the tools' directory. */
  public static final String BINDIR_VARIABLE = "DRCTL_PG_BINDIR";

  public static final Path STANDARD_BINDIR = Path.of("/usr/lib/postgresql/15/bin");

  public PostgresOptions {
    Objects.requireNonNull(binDirectory, "binDirectory");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
  }

  /** {@value #BINDIR_VARIABLE} of the worker's environment, else {@link #STANDARD_BINDIR}. */
  public static PostgresOptions defaults() {
    return from(System.getenv());
  }

  static PostgresOptions from(Map<String, String> environment) {
    String configured = environment.get(BINDIR_VARIABLE);
    Path bindir =
        configured == null || configured.isBlank() ? STANDARD_BINDIR : Path.of(configured);
    return new PostgresOptions(bindir, Duration.ofSeconds(10), Duration.ofMillis(200));
  }

  /** The path of a tool, e.g. {@code pg_rewind}; the caller reports it missing when it runs. */
  Path tool(String name) {
    return binDirectory.resolve(name);
  }

  boolean hasTool(String name) {
    return Files.isExecutable(tool(name));
  }
}
