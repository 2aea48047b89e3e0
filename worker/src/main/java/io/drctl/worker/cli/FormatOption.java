package io.drctl.worker.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format human|json} of the commands that print records (status, list, start, history,
 * backups, sandbox); the older {@code --json} of history, backups and sandbox stays as a hidden
 * alias for one release.
 */
final class FormatOption {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "human",
      description = "human or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(
      names = "--json",
      hidden = true,
      description = "The same as --format json (kept for one release).")
  boolean json;

  /** Whether to print JSON. */
  boolean json() {
    return json || format == OutputFormat.json;
  }
}
