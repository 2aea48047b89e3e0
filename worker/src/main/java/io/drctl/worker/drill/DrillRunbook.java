package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.alerts.Alert;
import io.drctl.alerts.AlertRoutingException;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.compiler.Diagnostic;
import io.drctl.compiler.RunbookCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The runbook a drill serves: the operator's runbook, unchanged, plus one alert route for each
 * scenario whose alert none of its routes takes (the runbook routes PostgresDown, BackendDown and
 * RedisDown; monitoring's other alerts are the drill's to name). Each added route matches the
 * scenario's {@code alertname} and the {@code drill_scenario} label only the drill sets, so it can
 * never catch a real alert. Written beside the drill's state, compiled with the sandbox's targets,
 * and served by the drill's worker and receiver.
 */
public final class DrillRunbook {
  static final String SCENARIO_LABEL = "drill_scenario";
  private static final java.util.regex.Pattern LABEL_READ =
      java.util.regex.Pattern.compile("labels\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DrillRunbook() {}

  /** The labels of {@code scenario}'s alert, with {@code extra} from its injection. */
  static Map<String, String> labels(DrillScenario scenario, Map<String, String> extra) {
    java.util.Map<String, String> labels = new java.util.TreeMap<>(scenario.alert());
    labels.putAll(extra);
    labels.put(SCENARIO_LABEL, scenario.key());
    return labels;
  }

  /**
   * Writes {@code out}: {@code runbook} plus the routes the scenarios need, and compiles it with
   * {@code targets}.
   *
   * @throws DrillException when either file is unreadable or invalid, with the compiler's first
   *     errors
   */
  static CompiledRunbook write(
      Path runbook, Path targets, Collection<DrillScenario> scenarios, Path out) {
    try {
      CompiledRunbook original = compile(runbook, Files.readString(runbook), targets);
      ObjectNode root = (ObjectNode) JSON.readTree(runbook.toFile());
      root.remove("$schema");
      ObjectNode alerts =
          root.has("alerts") ? (ObjectNode) root.get("alerts") : root.putObject("alerts");
      ArrayNode routes =
          alerts.has("routes") ? (ArrayNode) alerts.get("routes") : alerts.putArray("routes");
      for (DrillScenario scenario : scenarios) {
        if (!scenario.runnable() || routed(original, scenario)) {
          continue;
        }
        ObjectNode route = routes.addObject();
        route.put("name", "drill-" + scenario.key().replace('_', '-'));
        ArrayNode match =
            route
                .putArray("match")
                .add("alertname=" + scenario.alert().get("alertname"))
                .add(SCENARIO_LABEL + "=" + scenario.key());
        // The labels the inputs read must be there: the compiler insists, and so does the drill.
        java.util.regex.Matcher read =
            LABEL_READ.matcher(String.join(" ", scenario.routeInputs().values()));
        java.util.Set<String> required = new java.util.TreeSet<>();
        while (read.find()) {
          required.add(read.group(1));
        }
        required.forEach(label -> match.add(label + "=~\".+\""));
        route.put("incident", scenario.incident());
        route.put("target", scenario.target());
        route.put("cooldown", "1m");
        if (!scenario.routeInputs().isEmpty()) {
          ObjectNode inputs = route.putObject("inputs");
          scenario.routeInputs().forEach(inputs::put);
        }
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, JSON.writeValueAsString(root));
      return compile(out, Files.readString(out), targets);
    } catch (IOException e) {
      throw new DrillException(
          "cannot write the drill's runbook " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code out}: {@code runbook} with only the incident {@code type}, cut to {@code steps},
   * and compiles it with {@code targets}.
   *
   * @return the cut incident's plan, which a start pins: the worker serving the whole runbook runs
   *     exactly these steps
   * @throws DrillException when a file is unreadable, the incident or a step is missing, or the cut
   *     does not compile
   */
  static io.drctl.plan.Plan cutPlan(
      Path runbook, Path targets, String type, List<String> steps, Path out) {
    try {
      ObjectNode cut = cut((ObjectNode) JSON.readTree(runbook.toFile()), type, steps);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, JSON.writeValueAsString(cut));
      return compile(out, Files.readString(out), targets)
          .plan(type)
          .orElseThrow(() -> new DrillException(out + " lost its incident " + type));
    } catch (IOException e) {
      throw new DrillException("cannot cut " + runbook + " to " + type + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new DrillException(runbook + ": " + e.getMessage(), e);
    }
  }

  /**
   * A copy of {@code runbook}'s JSON with only the incident {@code type}, its steps cut to {@code
   * steps} (in its order); an ordering on a step the cut leaves out goes with it. Without the
   * schema reference, the schedules and the alert routes, which name incidents the cut leaves out.
   *
   * @throws IllegalArgumentException when the runbook has no such incident or it lacks a step
   */
  public static ObjectNode cut(ObjectNode runbook, String type, List<String> steps) {
    ObjectNode copy = runbook.deepCopy();
    copy.remove(List.of("$schema", "schedules", "alerts"));
    ObjectNode incident = null;
    for (com.fasterxml.jackson.databind.JsonNode candidate : copy.path("incidents")) {
      if (type.equals(candidate.path("type").asText())) {
        incident = (ObjectNode) candidate;
      }
    }
    if (incident == null) {
      throw new IllegalArgumentException("no incident " + type);
    }
    ArrayNode kept = JSON.createArrayNode();
    for (com.fasterxml.jackson.databind.JsonNode step : incident.path("steps")) {
      if (steps.contains(step.path("id").asText())) {
        kept.add(step);
        if (step.path("needs").isArray()) {
          ArrayNode needs = (ArrayNode) step.path("needs");
          for (int i = needs.size() - 1; i >= 0; i--) {
            if (!steps.contains(needs.get(i).asText())) {
              needs.remove(i);
            }
          }
          if (needs.isEmpty()) {
            ((ObjectNode) step).remove("needs");
          }
        }
      }
    }
    if (kept.size() != steps.size()) {
      throw new IllegalArgumentException(
          "incident " + type + " has not all of the steps " + steps + " to cut it to");
    }
    incident.set("steps", kept);
    copy.putArray("incidents").add(incident);
    return copy;
  }

  private static boolean routed(CompiledRunbook runbook, DrillScenario scenario) {
    Alert alert =
        new Alert("drill", Alert.FIRING, labels(scenario, Map.of()), Map.of(), null, null, null);
    try {
      return runbook
          .alerts()
          .route(alert)
          .filter(found -> found.incident().equals(scenario.incident()))
          .isPresent();
    } catch (AlertRoutingException e) {
      return false;
    }
  }

  private static CompiledRunbook compile(Path file, String text, Path targets) throws IOException {
    CompileResult result =
        RunbookCompiler.standard()
            .compile(
                new RunbookCompiler.Source(file.toString(), text),
                new RunbookCompiler.Source(targets.toString(), Files.readString(targets)));
    if (!result.ok()) {
      List<String> errors = result.errors().stream().limit(3).map(Diagnostic::format).toList();
      throw new DrillException(
          file + " with targets " + targets + " is not valid: " + String.join("; ", errors));
    }
    return result.runbook();
  }
}
