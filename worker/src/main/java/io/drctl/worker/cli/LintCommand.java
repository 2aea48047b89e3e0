package io.drctl.worker.cli;

import picocli.CommandLine.Command;

/** {@code drctl lint}: like validate, but policy findings fail the run. */
@Command(
    name = "lint",
    description = {
      "Reports policy findings as well as errors; any finding fails the run.",
      "Findings: destructive steps without an approval or safety copy, unused inputs and",
      "targets, conditions that are always false, data incidents without an RPO.",
      "Severities come from the runbook's policy.rules. Exit status: 0 clean, 1 warnings, 2 invalid."
    })
class LintCommand extends ValidateCommand {
  @Override
  boolean strict() {
    return true;
  }
}
