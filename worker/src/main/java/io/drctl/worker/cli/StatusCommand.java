package io.drctl.worker.cli;

import io.drctl.worker.temporal.TemporalConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drctl status ID}: where an incident stands, once. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows where an incident stands: its steps, what it waits for, the decisions so far.",
        "Exit status: 0 shown, 2 no such incident, 3 Temporal unreachable."})
class StatusCommand extends TemporalCommand {
  @Parameters(paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  @Override
  int run(TemporalConnection connection) {
    IncidentPrinter.print(IncidentSnapshot.take(connection.client(), workflowId), spec.commandLine().getOut());
    return 0;
  }
}
