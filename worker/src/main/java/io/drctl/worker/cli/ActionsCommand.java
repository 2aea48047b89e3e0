package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl actions}: every action with its documented parameters and outputs. */
@Command(
    name = "actions",
    mixinStandardHelpOptions = true,
    description = "Lists the actions with their parameters and outputs.")
class ActionsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "Show only this action, or every action with this prefix (e.g. postgres).")
  String name;

  @Option(names = "--format", defaultValue = "human", description = "human or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ActionCatalog catalog = ActionCatalog.standard();
    List<ActionDefinition> actions =
        catalog.all().stream()
            .filter(a -> name == null || a.name().equals(name) || a.prefix().equals(name))
            .toList();
    if (actions.isEmpty()) {
      Set<String> known = new java.util.TreeSet<>(catalog.names());
      catalog.all().forEach(a -> known.add(a.prefix()));
      throw new Failures.UserError(
          "no action or prefix '"
              + name
              + "'"
              + io.drctl.compiler.DidYouMean.closest(name, known)
                  .map(s -> "; did you mean '" + s + "'?")
                  .orElse(""));
    }
    if (format == OutputFormat.json) {
      out.println(
          io.drctl.plan.PlanJson.mapper()
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(actions));
      out.flush();
      return 0;
    }
    for (ActionDefinition action : actions) {
      out.println(action.name() + "  —  " + action.title());
      out.println("  " + action.description());
      String facts =
          (action.kind().isBuiltIn() ? "built-in, runs in the workflow" : "activity")
              + (action.destructive() ? "; destructive" : "")
              + (action.idempotent() ? "; idempotent" : "")
              + (action.guard() ? "; makes a safety copy" : "")
              + (action.defaultTimeout() != null
                  ? "; default timeout " + action.defaultTimeout()
                  : "");
      out.println("  (" + facts + ")");
      JsonNode params = action.params();
      Set<String> required = new java.util.HashSet<>();
      params.path("required").forEach(r -> required.add(r.asText()));
      Iterator<Map.Entry<String, JsonNode>> fields = params.path("properties").fields();
      if (fields.hasNext()) {
        out.println("  with:");
      }
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode p = field.getValue();
        String type =
            p.has("x-target")
                ? "target " + p.get("x-target").toString().replace("\"", "")
                : p.has("enum")
                    ? String.join(
                        "|",
                        StreamSupport.stream(p.get("enum").spliterator(), false)
                            .map(JsonNode::asText)
                            .toList())
                    : p.path("type").asText("any");
        out.println(
            "    "
                + field.getKey()
                + (required.contains(field.getKey()) ? " *" : "")
                + "  ("
                + type
                + (p.has("default") ? ", default " + p.get("default") : "")
                + ")  "
                + p.path("description").asText(""));
      }
      Map<String, String> outputs = action.outputFields();
      if (!outputs.isEmpty()) {
        out.println(
            "  output: "
                + String.join(
                    ", ",
                    outputs.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .toList()));
      }
      out.println();
    }
    out.flush();
    return 0;
  }
}
