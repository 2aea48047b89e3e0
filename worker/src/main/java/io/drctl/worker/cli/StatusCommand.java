package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.plan.PlanJson;
import io.drctl.worker.temporal.TemporalConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code drctl status ID}: where an incident stands, once. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows where an incident stands: its steps, what it waits for, the decisions so far.",
      "Exit status: 0 shown, 2 no such incident, 3 Temporal unreachable."
    })
class StatusCommand extends TemporalCommand {
  @Parameters(paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  /** json: id, runId, type, status, taskQueue, progress while it runs, report once it ended. */
  @Mixin FormatOption output;

  @Override
  int run(TemporalConnection connection) {
    IncidentSnapshot snapshot = IncidentSnapshot.take(connection.client(), workflowId);
    if (output.json()) {
      ObjectNode json =
          PlanJson.mapper()
              .createObjectNode()
              .put("id", snapshot.description().getExecution().getWorkflowId())
              .put("runId", snapshot.description().getExecution().getRunId())
              .put("type", snapshot.description().getWorkflowType())
              .put("status", Statuses.name(snapshot.description().getStatus()))
              .put("taskQueue", snapshot.description().getTaskQueue());
      json.set("progress", PlanJson.mapper().valueToTree(snapshot.progress()));
      json.set("report", PlanJson.mapper().valueToTree(snapshot.report()));
      json.put("failureType", snapshot.failureType()).put("note", snapshot.note());
      spec.commandLine().getOut().println(json.toPrettyString());
      spec.commandLine().getOut().flush();
      return 0;
    }
    IncidentPrinter.print(snapshot, spec.commandLine().getOut());
    return 0;
  }
}
