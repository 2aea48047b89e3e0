package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.worker.report.HtmlReport;
import io.drctl.worker.report.IncidentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A drill's results as files in the report directory: {@value #JSON_FILE} (the SLA table's rows
 * with every measurement) and {@value #HTML_FILE} (the table, then each incident's report with its
 * timeline, one self-contained page). Each is written to a temporary file and renamed.
 */
public final class DrillReportFiles {
  static final String JSON_FILE = "drill.json";
  static final String HTML_FILE = "drill.html";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DrillReportFiles() {}

  /** What a drill ran on and found. */
  public record Summary(
      String startedAt,
      String endedAt,
      String machine,
      String server,
      List<ScenarioResult> results) {
    /** Whether every scenario met its objectives or was skipped. */
    public boolean passed() {
      return results.stream().allMatch(ScenarioResult::passed);
    }
  }

  static ObjectNode json(Summary summary) {
    ObjectNode root = JSON.createObjectNode();
    root.put("startedAt", summary.startedAt());
    root.put("endedAt", summary.endedAt());
    root.put("machine", summary.machine());
    root.put("server", summary.server());
    root.put("passed", summary.passed());
    ArrayNode scenarios = root.putArray("scenarios");
    summary.results().forEach(result -> scenarios.add(JSON.valueToTree(result)));
    return root;
  }

  /** Writes both files into {@code dir} (created if missing). */
  static void write(Path dir, Summary summary, List<IncidentRecord> records) throws IOException {
    Files.createDirectories(dir);
    atomically(dir.resolve(JSON_FILE), JSON.writeValueAsString(json(summary)) + "\n");
    String lead =
        "<h1>drctl drill: "
            + (summary.passed() ? "every objective met" : "objectives missed or scenarios failed")
            + "</h1>\n<p>"
            + HtmlReport.escape(
                summary.startedAt()
                    + " → "
                    + summary.endedAt()
                    + " on "
                    + summary.machine()
                    + "; "
                    + summary.server())
            + "</p>\n"
            + SlaTable.html(summary.results());
    atomically(
        dir.resolve(HTML_FILE),
        HtmlReport.renderAll("drctl drill " + summary.startedAt(), lead, records));
  }

  private static void atomically(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, text);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
