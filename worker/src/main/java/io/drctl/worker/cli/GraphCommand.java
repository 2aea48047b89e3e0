package io.drctl.worker.cli;

import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl graph}: an incident's step graph as Mermaid or Graphviz DOT. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the step graph of one incident as Mermaid or Graphviz DOT.",
      "Dependencies are solid arrows, fallbacks dotted ones, parallel branches subgraphs."
    })
class GraphCommand implements Callable<Integer> {
  enum Format {
    mermaid,
    dot
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Runbook JSON file.")
  Path file;

  @Option(
      names = {"-i", "--incident"},
      required = true,
      paramLabel = "TYPE",
      description = "Incident type.")
  String incident;

  @Option(
      names = "--format",
      defaultValue = "mermaid",
      description = "mermaid or dot (default: ${DEFAULT-VALUE}).")
  Format format;

  @Mixin RunbookOptions runbook;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plan plan = runbook.plan(file, incident, new DiagnosticPrinter(out));
    StringBuilder text = new StringBuilder();
    if (format == Format.mermaid) {
      text.append("flowchart TD\n");
      mermaid(text, plan.steps(), "  ");
    } else {
      text.append("digraph \"")
          .append(plan.type())
          .append("\" {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n");
      dot(text, plan.steps(), "  ");
      text.append("}\n");
    }
    out.print(text);
    out.flush();
    return 0;
  }

  private static void mermaid(StringBuilder out, List<PlanStep> steps, String indent) {
    for (PlanStep step : steps) {
      String label = escape(step.title()) + "<br/><small>" + step.action() + "</small>";
      if (step.branches() != null) {
        out.append(indent)
            .append("subgraph ")
            .append(step.id())
            .append("[\"")
            .append(escape(step.title()))
            .append("\"]\n");
        for (PlanStep.PlanBranch branch : step.branches()) {
          out.append(indent)
              .append("  subgraph ")
              .append(step.id())
              .append("__")
              .append(branch.name())
              .append("[\"")
              .append(branch.name())
              .append("\"]\n");
          mermaid(out, branch.steps(), indent + "    ");
          out.append(indent).append("  end\n");
        }
        out.append(indent).append("end\n");
      } else {
        String open = step.action().equals("approval") ? "{{\"" : step.fallback() ? "([\"" : "[\"";
        String close = step.action().equals("approval") ? "\"}}" : step.fallback() ? "\"])" : "\"]";
        out.append(indent).append(step.id()).append(open).append(label).append(close).append('\n');
      }
      for (String need : step.needs()) {
        out.append(indent).append(need).append(" --> ").append(step.id()).append('\n');
      }
      for (String fallback : step.onFailure()) {
        out.append(indent)
            .append(step.id())
            .append(" -. on failure .-> ")
            .append(fallback)
            .append('\n');
      }
      if (step.condition() != null) {
        out.append(indent)
            .append("%% ")
            .append(step.id())
            .append(" runs if ")
            .append(step.condition())
            .append('\n');
      }
      if (step.destructive()) {
        out.append(indent)
            .append("style ")
            .append(step.id())
            .append(" stroke:#c00,stroke-width:2px\n");
      }
    }
  }

  private static void dot(StringBuilder out, List<PlanStep> steps, String indent) {
    for (PlanStep step : steps) {
      if (step.branches() != null) {
        out.append(indent)
            .append("subgraph \"cluster_")
            .append(step.id())
            .append("\" {\n")
            .append(indent)
            .append("  label=\"")
            .append(dotEscape(step.title()))
            .append("\";\n");
        out.append(indent).append("  \"").append(step.id()).append("\" [shape=point];\n");
        for (PlanStep.PlanBranch branch : step.branches()) {
          out.append(indent)
              .append("  subgraph \"cluster_")
              .append(step.id())
              .append("__")
              .append(branch.name())
              .append("\" {\n")
              .append(indent)
              .append("    label=\"")
              .append(branch.name())
              .append("\";\n");
          dot(out, branch.steps(), indent + "    ");
          out.append(indent).append("  }\n");
        }
        out.append(indent).append("}\n");
      } else {
        String shape =
            step.action().equals("approval")
                ? "hexagon"
                : step.fallback() ? "box, style=rounded" : "box";
        out.append(indent)
            .append('"')
            .append(step.id())
            .append("\" [label=\"")
            .append(dotEscape(step.title()))
            .append("\\n")
            .append(step.action())
            .append("\", shape=")
            .append(shape)
            .append(step.destructive() ? ", color=red" : "")
            .append("];\n");
      }
      for (String need : step.needs()) {
        out.append(indent)
            .append('"')
            .append(need)
            .append("\" -> \"")
            .append(step.id())
            .append("\";\n");
      }
      for (String fallback : step.onFailure()) {
        out.append(indent)
            .append('"')
            .append(step.id())
            .append("\" -> \"")
            .append(fallback)
            .append("\" [style=dashed, label=\"on failure\"];\n");
      }
    }
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;");
  }

  private static String dotEscape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
