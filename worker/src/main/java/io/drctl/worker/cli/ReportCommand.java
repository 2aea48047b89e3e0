package io.drctl.worker.cli;

import io.drctl.plan.Durations;
import io.drctl.worker.report.HistoryReport;
import io.drctl.worker.report.HtmlReport;
import io.drctl.worker.report.IncidentHistory;
import io.drctl.worker.report.IncidentRecord;
import io.drctl.worker.report.IncidentSummary;
import io.drctl.worker.report.MarkdownReport;
import io.drctl.worker.report.ReportException;
import io.drctl.worker.report.ReportText;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.TemporalConnection;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drctl report ID}: one incident's report, from its workflow history alone (no worker
 * needed, any age, any cluster); {@code drctl report --since 30d}: many incidents summarised
 * through visibility.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "An incident's report from its workflow history: trigger, runbook and pinned plan, steps with inputs,",
      "outputs and every attempt, operator actions, backups touched, RTO and RPO against the objectives.",
      "With --since: a summary of many incidents (count, outcomes, RTO distribution) through visibility.",
      "Exit status: 0 written, 2 bad request or no such incident, 3 Temporal unreachable."
    })
class ReportCommand extends TemporalCommand {
  enum Format {
    md,
    html,
    json
  }

  @Parameters(arity = "0..1", paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  @Option(
      names = "--run-id",
      paramLabel = "RUN",
      description = "A particular run (default: the latest).")
  String runId;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "md",
      description = "md (default), html (one self-contained file with a timeline) or json.")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here (atomically) instead of to standard output.")
  Path output;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Summarise the incidents started this long ago or later, e.g. 30d.")
  String since;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "With --since: only incidents of this type.")
  String type;

  private Instant from;

  @Override
  void prepare() {
    if ((workflowId == null) == (since == null)) {
      throw new Failures.UserError(
          "give an incident ID, or --since DURATION for a summary (not both)");
    }
    if (since != null) {
      if (!Durations.isValid(since)) {
        throw new Failures.UserError(
            "--since '" + since + "': not a duration such as 30d, 12h or 90m");
      }
      if (format == Format.html) {
        throw new Failures.UserError(
            "--format html is for one incident's report; the --since summary is md or json");
      }
      if (type != null && !type.matches("[A-Za-z0-9_.-]+")) {
        throw new Failures.UserError("--type '" + type + "': not an incident type");
      }
      if (runId != null) {
        throw new Failures.UserError(
            "--run-id names one incident's run; it does not go with --since");
      }
      from =
          Instant.now()
              .minus(Durations.parse(since))
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    } else if (type != null) {
      throw new Failures.UserError("--type goes with --since");
    }
    if (output != null && !Files.isDirectory(output.toAbsolutePath().getParent())) {
      throw new Failures.UserError(
          "--output " + output + ": no directory " + output.toAbsolutePath().getParent());
    }
  }

  @Override
  int run(TemporalConnection connection) throws IOException {
    String text;
    try {
      text = workflowId != null ? incident(connection) : summary(connection);
    } catch (ReportException e) {
      throw new Failures.UserError(e.getMessage());
    }
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    } else {
      write(output, text);
      spec.commandLine().getOut().println("wrote " + output);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private String incident(TemporalConnection connection) {
    IncidentRecord record =
        HistoryReport.build(
            workflowId,
            IncidentHistory.fetch(
                connection.stubs(), connection.settings().namespace(), workflowId, runId),
            connection.client().getOptions().getDataConverter(),
            System.currentTimeMillis());
    return switch (format) {
      case md -> MarkdownReport.render(record);
      case html -> HtmlReport.render(record);
      case json -> json(record);
    };
  }

  private String summary(TemporalConnection connection) {
    IncidentSummary summary;
    try {
      summary =
          IncidentSummary.of(
              connection.stubs(),
              connection.settings().namespace(),
              from,
              type,
              connection.client().getOptions().getDataConverter());
    } catch (RuntimeException e) {
      Status.Code code = RpcErrors.code(e).orElse(null);
      if (code != Status.Code.UNIMPLEMENTED && code != Status.Code.INVALID_ARGUMENT) {
        throw e;
      }
      throw new Failures.UserError(
          "Temporal at "
              + connection.settings().address()
              + " cannot answer list queries ("
              + RpcErrors.describe(e)
              + "); report --since needs them: the Temporal CLI's dev server and clusters answer them,"
              + " the Java test server does not");
    }
    return format == Format.json ? json(summary) : summary.markdown();
  }

  private static String json(Object value) {
    return ReportText.prettyJson(value) + "\n";
  }

  /**
   * Through a temporary file in the same directory, renamed over the target: a reader never sees
   * half a report.
   */
  private static void write(Path file, String text) {
    Path parent = file.toAbsolutePath().getParent();
    Path partial = null;
    try {
      partial = Files.createTempFile(parent, "." + file.getFileName(), ".part");
      Files.writeString(partial, text);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      String leftover = "";
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException again) {
          leftover = "; remove the partial file " + partial;
        }
      }
      throw new Failures.UserError(
          "--output " + file + ": cannot write: " + e.getMessage() + leftover);
    }
  }
}
