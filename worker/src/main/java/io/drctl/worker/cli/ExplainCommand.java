package io.drctl.worker.cli;

import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.runbook.InputSpec;
import io.drctl.store.text.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl explain}: the compiled plan of one incident, defaults resolved, as a table. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Shows the compiled plan of one incident with every default resolved.")
class ExplainCommand implements Callable<Integer> {
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
      defaultValue = "human",
      description = "human (a table) or json (the plan itself).")
  OutputFormat format;

  @Mixin RunbookOptions runbook;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Plan plan = runbook.plan(file, incident, new DiagnosticPrinter(out));
    if (format == OutputFormat.json) {
      out.println(
          io.drctl.plan.PlanJson.mapper()
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(plan));
      out.flush();
      return 0;
    }
    out.println("incident  " + plan.type() + " — " + plan.title());
    out.println(
        "severity  "
            + plan.severity()
            + (plan.scenario() == null ? "" : "   scenario " + plan.scenario())
            + (plan.target() == null ? "" : "   target " + plan.target()));
    out.println(
        "objective RTO "
            + plan.objectives().rto()
            + (plan.objectives().rpo() == null ? "" : ", RPO " + plan.objectives().rpo())
            + "   when a step is exhausted: "
            + plan.onExhausted().json());
    out.println(
        "runbook   "
            + (plan.runbookName() == null ? "" : plan.runbookName() + " ")
            + plan.runbookVersion()
            + "   plan "
            + plan.hash().substring(0, 12));
    if (!plan.inputs().isEmpty()) {
      out.println();
      TextTable inputs = new TextTable("input", "type", "default", "description");
      for (Map.Entry<String, InputSpec> input : plan.inputs().entrySet()) {
        InputSpec spec = input.getValue();
        inputs.row(
            input.getKey() + (spec.mustBeGiven() ? " *" : ""),
            spec.type(),
            spec.defaultValue() == null ? "" : spec.defaultValue().toString(),
            spec.description());
      }
      inputs.print(out);
    }
    out.println();
    TextTable steps =
        new TextTable("#", "step", "action", "needs", "if", "timeout", "retry", "notes");
    addSteps(steps, plan.steps(), "", new int[] {0});
    steps.print(out);
    out.flush();
    return 0;
  }

  private static void addSteps(
      TextTable table, List<PlanStep> steps, String indent, int[] counter) {
    for (PlanStep step : steps) {
      List<String> notes = new ArrayList<>();
      if (step.destructive()) notes.add("destructive");
      if (step.fallback()) notes.add("fallback");
      if (!step.onFailure().isEmpty())
        notes.add("onFailure: " + String.join(", ", step.onFailure()));
      if (step.continueOnError()) notes.add("continueOnError");
      if (step.heartbeat() != null) notes.add("heartbeat " + step.heartbeat());
      if (step.kind().isBuiltIn() || step.onExhausted() == null) {
        // built-ins have no retries to exhaust
      } else {
        notes.add("exhausted: " + step.onExhausted().json());
      }
      String retry =
          step.retry() == null
              ? ""
              : step.retry().maxAttempts()
                  + "x "
                  + step.retry().initialInterval()
                  + "*"
                  + trim(step.retry().backoffCoefficient())
                  + "≤"
                  + step.retry().maxInterval();
      table.row(
          String.valueOf(++counter[0]),
          indent + step.id(),
          step.action(),
          step.fallback()
              ? "(on failure)"
              : step.needs().isEmpty() ? "—" : String.join(", ", step.needs()),
          step.condition() == null ? "" : step.condition(),
          step.timeout() == null ? "" : step.timeout(),
          retry,
          String.join("; ", notes));
      if (step.branches() != null) {
        for (PlanStep.PlanBranch branch : step.branches()) {
          table.row("", indent + "  ‖ " + branch.name(), "", "", "", "", "", "");
          addSteps(table, branch.steps(), indent + "    ", counter);
        }
      }
    }
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
