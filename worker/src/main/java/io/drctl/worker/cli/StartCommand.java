package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.InputValues;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.SearchAttributeRegistration;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.workflow.StartRequest;
import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drctl start TYPE}: compiles the runbook here, checks the inputs against it, and starts the
 * incident with its plan pinned, so that what runs is what this runbook says, whatever the workers'
 * runbook is.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an incident with the plan compiled from the runbook here, pinned for its whole life.",
      "Exit status: 0 started, 2 bad runbook, input or id, 3 Temporal unreachable."
    })
class StartCommand extends TemporalCommand {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  @Parameters(paramLabel = "TYPE", description = "Incident type, e.g. database_failure.")
  String type;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description = "An input; repeat for more. Overrides --input-file.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(names = "--input-file", paramLabel = "FILE", description = "A JSON object of inputs.")
  Path inputFile;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "Workflow id (default: TYPE-<UTC time>, e.g. database_failure-20250101T120000Z).")
  String workflowId;

  @Option(
      names = {"--by", "--as"},
      paramLabel = "WHO",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "Who starts it, recorded in the history (default: $USER, else the login name).")
  String by;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why; shown with the incident and kept in its report.")
  String reason;

  @Mixin RunbookSource runbook;

  @Mixin UiUrlOption ui;

  /** json: id, runId, type, title, runbookVersion, planHash, taskQueue, startedBy, webUi. */
  @Mixin FormatOption output;

  private Plan plan;
  private ObjectNode provided;
  private io.drctl.activities.notify.NotifyOptions links;

  @Override
  void prepare() {
    links = ui.notifyOptions(); // a bad --ui-url is refused before anything starts
    CompiledRunbook compiled = runbook.compile(spec.commandLine().getErr());
    plan = compiled.plan(type).orElseThrow(() -> new Failures.UserError(compiled.noIncident(type)));
    provided = providedInputs();
    InputValues.Result checked = InputValues.resolve(plan.inputs(), provided);
    if (!checked.ok()) {
      throw new Failures.UserError(
          "cannot start "
              + type
              + ":\n  "
              + String.join("\n  ", checked.errors())
              + "\n(inputs: drctl explain "
              + runbook.file
              + " -i "
              + type
              + ")");
    }
  }

  @Override
  int run(TemporalConnection connection) {
    PrintWriter out = spec.commandLine().getOut();
    String id =
        workflowId != null
            ? workflowId
            : type + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME);
    String startedBy = by == null || by.isBlank() ? "drctl" : by;
    StartRequest request = new StartRequest(plan, provided, startedBy, reason);
    WorkflowOptions options =
        IncidentLaunch.options(request, id, connection.settings().taskQueue()).build();
    WorkflowExecution execution;
    try {
      execution =
          connection
              .client()
              .newUntypedWorkflowStub(type, options)
              .start(IncidentLaunch.envelope(request));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new Failures.UserError(
          "an incident with id " + id + " is already running; give another --id");
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.INVALID_ARGUMENT)
          && RpcErrors.describe(e)
              .toLowerCase(java.util.Locale.ROOT)
              .contains("search attribute")) {
        throw new Failures.UserError(
            "namespace '"
                + connection.settings().namespace()
                + "' lacks drctl's search attributes ("
                + RpcErrors.describe(e)
                + "); start `drctl worker` once, which registers them, or register "
                + String.join(", ", SearchAttributeRegistration.names())
                + " as Keyword",
            UNAVAILABLE);
      }
      throw e;
    }
    String page = links.incidentLink(connection.settings().namespace(), execution.getWorkflowId());
    if (output.json()) {
      out.println(
          PlanJson.mapper()
              .createObjectNode()
              .put("id", execution.getWorkflowId())
              .put("runId", execution.getRunId())
              .put("type", type)
              .put("title", plan.title())
              .put("runbookVersion", plan.runbookVersion())
              .put("planHash", plan.hash())
              .put("taskQueue", connection.settings().taskQueue())
              .put("startedBy", startedBy)
              .put("webUi", page)
              .toPrettyString());
      out.flush();
      return 0;
    }
    out.println("started " + type + " as " + execution.getWorkflowId() + " — " + plan.title());
    out.println(
        "  runbook "
            + plan.runbookVersion()
            + ", plan "
            + plan.hash().substring(0, 12)
            + ", task queue "
            + connection.settings().taskQueue()
            + ", by "
            + startedBy);
    out.println("watch it:   drctl watch " + execution.getWorkflowId());
    out.println("status:     drctl status " + execution.getWorkflowId());
    if (page != null) {
      out.println("web UI:     " + page);
    }
    out.flush();
    return 0;
  }

  private ObjectNode providedInputs() {
    ObjectNode provided = PlanJson.mapper().createObjectNode();
    if (inputFile != null) {
      JsonNode file;
      try {
        file = PlanJson.mapper().readTree(Files.readString(inputFile));
      } catch (NoSuchFileException e) {
        throw new Failures.UserError("--input-file " + inputFile + ": no such file");
      } catch (IOException e) {
        throw new Failures.UserError(
            "--input-file " + inputFile + ": not JSON: " + firstLine(e.getMessage()));
      }
      if (file == null || !file.isObject()) {
        throw new Failures.UserError(
            "--input-file " + inputFile + ": must hold a JSON object of name: value");
      }
      provided.setAll((ObjectNode) file);
    }
    inputs.forEach(provided::put);
    return provided;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
