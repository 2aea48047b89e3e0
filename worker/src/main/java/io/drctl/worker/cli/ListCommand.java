package io.drctl.worker.cli;

import io.drctl.store.text.TextTable;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.workflow.IncidentWorkflows;
import io.grpc.Status;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drctl list}: incidents, newest first, through a visibility query. Servers without
 * visibility queries (the Java test server) get an unfiltered list instead, filtered here, with a
 * note that says so.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists incidents, newest first.",
      "On a server without visibility queries (the Java test server) the filters run here, over the latest executions."
    })
class ListCommand extends TemporalCommand {
  /** How many executions the fallback reads at most before filtering. */
  static final int FALLBACK_SCAN = 1000;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only incidents of this type.")
  String type;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description =
          "Only in this Temporal status: running, completed, failed, canceled, terminated, continued-as-new, timed-out.")
  String status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  /** json: an array of id, runId, type, status, outcome, severity, startedAt, endedAt. */
  @picocli.CommandLine.Mixin FormatOption output;

  @Override
  int run(TemporalConnection connection) {
    if (limit < 1) {
      throw new Failures.UserError("--limit " + limit + ": must be at least 1");
    }
    WorkflowExecutionStatus wanted = status == null ? null : Statuses.parse(status);
    if (type != null && !type.matches("[A-Za-z0-9_.-]+")) {
      throw new Failures.UserError("--type '" + type + "': not an incident type");
    }
    String query = query(wanted);
    PrintWriter out = spec.commandLine().getOut();
    WorkflowServiceGrpc.WorkflowServiceBlockingStub service = connection.stubs().blockingStub();
    String namespace = connection.settings().namespace();
    List<WorkflowExecutionInfo> executions;
    try {
      executions = page(service, namespace, query, limit);
    } catch (RuntimeException e) {
      Status.Code code = RpcErrors.code(e).orElse(null);
      if (code != Status.Code.UNIMPLEMENTED && code != Status.Code.INVALID_ARGUMENT) {
        throw e;
      }
      executions = unfiltered(service, namespace);
      Predicate<WorkflowExecutionInfo> filter =
          info ->
              (type == null || info.getType().getName().equals(type))
                  && (wanted == null || info.getStatus() == wanted);
      executions = executions.stream().filter(filter).limit(limit).toList();
      spec.commandLine()
          .getErr()
          .println(
              "drctl: note: Temporal at "
                  + connection.settings().address()
                  + " cannot run visibility queries ("
                  + RpcErrors.describe(e)
                  + "); "
                  + (query.isEmpty()
                      ? "listed the latest " + FALLBACK_SCAN + " executions at most without one."
                      : "it could not filter by "
                          + filters()
                          + ", so drctl filtered the latest "
                          + FALLBACK_SCAN
                          + " executions itself."));
      spec.commandLine().getErr().flush();
    }
    if (output.json()) {
      com.fasterxml.jackson.databind.node.ArrayNode array =
          io.drctl.plan.PlanJson.mapper().createArrayNode();
      for (WorkflowExecutionInfo info : executions) {
        array
            .addObject()
            .put("id", info.getExecution().getWorkflowId())
            .put("runId", info.getExecution().getRunId())
            .put("type", info.getType().getName())
            .put("status", Statuses.name(info.getStatus()))
            .put("outcome", attribute(info, IncidentWorkflows.OUTCOME.getName()))
            .put("severity", attribute(info, IncidentWorkflows.SEVERITY.getName()))
            .put(
                "startedAt",
                info.hasStartTime()
                    ? java.time.Instant.ofEpochSecond(info.getStartTime().getSeconds()).toString()
                    : null)
            .put(
                "endedAt",
                info.hasCloseTime()
                    ? java.time.Instant.ofEpochSecond(info.getCloseTime().getSeconds()).toString()
                    : null);
      }
      out.println(array.toPrettyString());
      out.flush();
      return 0;
    }
    if (executions.isEmpty()) {
      out.println("no incidents" + (query.isEmpty() ? "" : " match " + filters()));
      out.flush();
      return 0;
    }
    TextTable table =
        new TextTable("id", "type", "status", "outcome", "severity", "started", "ended");
    for (WorkflowExecutionInfo info : executions) {
      table.row(
          info.getExecution().getWorkflowId(),
          info.getType().getName(),
          Statuses.name(info.getStatus()),
          attribute(info, IncidentWorkflows.OUTCOME.getName()),
          attribute(info, IncidentWorkflows.SEVERITY.getName()),
          info.hasStartTime()
              ? IncidentPrinter.utc(
                  java.time.Instant.ofEpochSecond(info.getStartTime().getSeconds()))
              : "",
          info.hasCloseTime()
              ? IncidentPrinter.utc(
                  java.time.Instant.ofEpochSecond(info.getCloseTime().getSeconds()))
              : "");
    }
    table.print(out);
    out.flush();
    return 0;
  }

  String query(WorkflowExecutionStatus wanted) {
    List<String> clauses = new ArrayList<>();
    if (type != null) {
      clauses.add("WorkflowType = '" + type + "'");
    }
    if (wanted != null) {
      clauses.add("ExecutionStatus = '" + Statuses.queryValue(wanted) + "'");
    }
    return String.join(" AND ", clauses);
  }

  private String filters() {
    List<String> asked = new ArrayList<>();
    if (type != null) {
      asked.add("--type " + type);
    }
    if (status != null) {
      asked.add("--status " + status);
    }
    return String.join(" and ", asked);
  }

  private static List<WorkflowExecutionInfo> page(
      WorkflowServiceGrpc.WorkflowServiceBlockingStub service,
      String namespace,
      String query,
      int max) {
    List<WorkflowExecutionInfo> found = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse response =
          service.listWorkflowExecutions(
              ListWorkflowExecutionsRequest.newBuilder()
                  .setNamespace(namespace)
                  .setQuery(query)
                  .setPageSize(Math.min(max - found.size(), 1000))
                  .setNextPageToken(token)
                  .build());
      found.addAll(response.getExecutionsList());
      token = response.getNextPageToken();
    } while (!token.isEmpty() && found.size() < max);
    return found.size() > max ? found.subList(0, max) : found;
  }

  /**
   * Everything the server will list without a query: ListWorkflowExecutions, else open plus closed.
   */
  private static List<WorkflowExecutionInfo> unfiltered(
      WorkflowServiceGrpc.WorkflowServiceBlockingStub service, String namespace) {
    try {
      return page(service, namespace, "", FALLBACK_SCAN);
    } catch (RuntimeException e) {
      if (!RpcErrors.is(e, Status.Code.UNIMPLEMENTED)) {
        throw e;
      }
    }
    List<WorkflowExecutionInfo> all =
        new ArrayList<>(
            service
                .listOpenWorkflowExecutions(
                    ListOpenWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(namespace)
                        .setMaximumPageSize(FALLBACK_SCAN)
                        .build())
                .getExecutionsList());
    all.addAll(
        service
            .listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setMaximumPageSize(FALLBACK_SCAN)
                    .build())
            .getExecutionsList());
    all.sort(
        Comparator.comparing((WorkflowExecutionInfo info) -> info.getStartTime().getSeconds())
            .thenComparing(info -> info.getStartTime().getNanos())
            .reversed());
    return all.size() > FALLBACK_SCAN ? all.subList(0, FALLBACK_SCAN) : all;
  }

  private static String attribute(WorkflowExecutionInfo info, String name) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(name);
    if (payload == null) {
      return "";
    }
    try {
      String value = GlobalDataConverter.get().fromPayload(payload, String.class, String.class);
      return value == null ? "" : value;
    } catch (RuntimeException e) {
      return "?"; // not a string: not one of drctl's Keyword attributes
    }
  }
}
