package io.drctl.worker.cli;

/** How a command prints its findings. */
enum OutputFormat {
  human,
  json
}
