package io.drctl.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The drctl command line. */
@Command(
    name = "drctl",
    mixinStandardHelpOptions = true,
    versionProvider = Drctl.Version.class,
    description = "Disaster-recovery runbooks as durable Temporal workflows.",
    subcommands = {
      ValidateCommand.class,
      LintCommand.class,
      ExplainCommand.class,
      GraphCommand.class,
      ActionsCommand.class,
      SchemaCommand.class,
      WorkerCommand.class,
      DevCommand.class,
      DrillCommand.class,
      ReceiverCommand.class,
      CodecServerCommand.class,
      StartCommand.class,
      StatusCommand.class,
      WatchCommand.class,
      SteerCommands.Approve.class,
      SteerCommands.Reject.class,
      SteerCommands.Retry.class,
      SteerCommands.Skip.class,
      SteerCommands.Pause.class,
      SteerCommands.Resume.class,
      SteerCommands.Abort.class,
      ListCommand.class,
      HistoryCommand.class,
      ReportCommand.class,
      SchedulesCommand.class,
      BackupsCommand.class,
      SandboxCommand.class,
      WalCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Drctl implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code; never throws. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Drctl());
    cli.setExecutionExceptionHandler(new Failures());
    cli.setParameterExceptionHandler(Failures::usage);
    String fromEnvironment = System.getenv(LogFormat.VARIABLE);
    String wrong =
        fromEnvironment == null ? null : LogFormat.check(fromEnvironment, LogFormat.VARIABLE);
    if (wrong != null) {
      cli.getErr().println("drctl: " + wrong);
      cli.getErr().flush();
      return 2;
    }
    return cli.execute(args);
  }

  @CommandLine.Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Log lines on standard error as text or json, one object a line (env "
              + LogFormat.VARIABLE
              + "; default text).")
  void logFormat(String format) {
    String wrong = LogFormat.check(format, "--log-format");
    if (wrong != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), wrong);
    }
    LogFormat.apply(format);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Drctl.class.getPackage().getImplementationVersion();
      return new String[] {"drctl " + (version == null ? "development" : version)};
    }
  }
}
