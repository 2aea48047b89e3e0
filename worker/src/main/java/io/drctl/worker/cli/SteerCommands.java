package io.drctl.worker.cli;

import io.drctl.workflow.IncidentWorkflows;
import picocli.CommandLine.Command;

/** The seven operator commands; each is a {@link SteerCommand} with its own name and help. */
final class SteerCommands {
  private SteerCommands() {}

  @Command(
      name = IncidentWorkflows.APPROVE,
      mixinStandardHelpOptions = true,
      description = "Approves the step waiting for approval (exit 0 accepted, 1 refused).")
  static final class Approve extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.APPROVE;
    }
  }

  @Command(
      name = IncidentWorkflows.REJECT,
      mixinStandardHelpOptions = true,
      description = "Rejects the step waiting for approval (exit 0 accepted, 1 refused).")
  static final class Reject extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.REJECT;
    }
  }

  @Command(
      name = IncidentWorkflows.RETRY,
      mixinStandardHelpOptions = true,
      description = "Runs a step that failed for good once more (exit 0 accepted, 1 refused).")
  static final class Retry extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.RETRY;
    }
  }

  @Command(
      name = IncidentWorkflows.SKIP,
      mixinStandardHelpOptions = true,
      description =
          "Skips a step and goes on: the one waiting for an operator or approval, or --step (exit 0 accepted, 1 refused).")
  static final class Skip extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.SKIP;
    }
  }

  @Command(
      name = IncidentWorkflows.PAUSE,
      mixinStandardHelpOptions = true,
      description =
          "Starts no new step until resumed; running ones finish (exit 0 accepted, 1 refused).")
  static final class Pause extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.PAUSE;
    }
  }

  @Command(
      name = IncidentWorkflows.RESUME,
      mixinStandardHelpOptions = true,
      description = "Resumes a paused incident (exit 0 accepted, 1 refused).")
  static final class Resume extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.RESUME;
    }
  }

  @Command(
      name = IncidentWorkflows.ABORT,
      mixinStandardHelpOptions = true,
      description =
          "Aborts the incident: running steps are cancelled (exit 0 accepted, 1 refused).")
  static final class Abort extends SteerCommand {
    @Override
    String command() {
      return IncidentWorkflows.ABORT;
    }
  }
}
