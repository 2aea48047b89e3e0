package io.drctl.compiler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.alerts.AlertRouting;
import io.drctl.catalog.ActionCatalog;
import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.ScheduledIncident;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.RunbookSpec;
import io.drctl.runbook.ScheduleSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.runbook.TargetSpec;
import io.drctl.source.JsonPointers;
import io.drctl.source.JsonSourceReader;
import io.drctl.source.SourceDocument;
import io.drctl.source.SourceSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles runbook JSON into plans. The stages run in order: parse with positions, validate against
 * the JSON Schema, apply an environment's targets file, check the semantics of every incident, and
 * build one immutable {@link Plan} per incident.
 *
 * <p>Every problem is reported, not just the first; none throws. Pure: no I/O beyond reading its
 * own schema from the class path once. Thread-safe.
 */
public final class RunbookCompiler {
  public static final String SCHEMA_ID = "https://drctl.io/schemas/runbook.schema.json";
  public static final String TARGETS_SCHEMA_ID = "https://drctl.io/schemas/targets.schema.json";

  private static final ObjectMapper BINDER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final ActionCatalog catalog;
  private final SchemaCheck runbookSchema;
  private final SchemaCheck targetsSchema;

  public RunbookCompiler(ActionCatalog catalog) {
    this.catalog = catalog;
    String runbook = resource("runbook.schema.json");
    String targets = resource("targets.schema.json");
    Map<String, String> documents = Map.of(SCHEMA_ID, runbook, TARGETS_SCHEMA_ID, targets);
    this.runbookSchema = SchemaCheck.of(SCHEMA_ID, documents, readTree(runbook));
    this.targetsSchema = SchemaCheck.of(TARGETS_SCHEMA_ID, documents, readTree(targets));
  }

  /** The compiler over the standard action catalog. */
  public static RunbookCompiler standard() {
    return new RunbookCompiler(ActionCatalog.standard());
  }

  /** The runbook JSON Schema text, as shipped. */
  public static String schemaText() {
    return resource("runbook.schema.json");
  }

  /** A source file: its name as the user gave it, and its text. */
  public record Source(String file, String text) {}

  public CompileResult compile(Source runbook) {
    return compile(runbook, null);
  }

  /**
   * Compiles {@code runbook}, with its targets replaced by those of {@code targetsFile} if given.
   */
  public CompileResult compile(Source runbook, Source targetsFile) {
    List<Diagnostic> all = new ArrayList<>();
    SourceDocument document = parse(runbook, all);
    if (document == null) {
      return new CompileResult(all, null);
    }
    Diagnostics out = new Diagnostics(document);
    JsonNode root = document.root();
    runbookSchema.validate(root, "", out);
    if (!root.isObject()) {
      all.addAll(out.list());
      return new CompileResult(all, null);
    }
    Map<String, TargetSpec> targets = bindTargets(root, out);
    if (targetsFile != null) {
      Map<String, TargetSpec> overrides = readOverrides(targetsFile, targets, all);
      if (overrides == null) {
        all.addAll(out.list());
        return new CompileResult(all, null);
      }
      targets.putAll(overrides);
    }
    RunbookSpec spec = bindRunbook(root, targets, out);
    String sourceHash = PlanJson.sha256(runbook.text());
    NotificationsCompiler.Section notifications =
        new NotificationsCompiler(out, targets).compile(root);
    Map<String, Plan> plans = compileIncidents(spec, root, sourceHash, notifications, out);
    List<ScheduledIncident> schedules = compileSchedules(spec, root, out);
    AlertRouting alerts =
        new AlertRoutesCompiler(out, targets.keySet(), incidentsByType(spec, root)).compile(root);
    all.addAll(out.list());
    boolean failed = all.stream().anyMatch(Diagnostic::isError);
    return new CompileResult(
        all,
        failed
            ? null
            : new CompiledRunbook(
                runbook.file(), spec.name(), spec.version(), sourceHash, plans, schedules, alerts));
  }

  /** Every incident type, with its spec, or null for one with schema errors (already reported). */
  private static Map<String, IncidentSpec> incidentsByType(RunbookSpec spec, JsonNode root) {
    Map<String, IncidentSpec> byType = new LinkedHashMap<>();
    JsonNode list = root.path("incidents");
    for (int i = 0; i < list.size() && i < spec.incidents().size(); i++) {
      if (list.get(i).path("type").isTextual()
          && !byType.containsKey(list.get(i).path("type").asText())) {
        byType.put(list.get(i).path("type").asText(), spec.incidents().get(i));
      }
    }
    return byType;
  }

  private static SourceDocument parse(Source source, List<Diagnostic> all) {
    try {
      return JsonSourceReader.read(source.file(), source.text());
    } catch (SourceSyntaxException e) {
      all.add(
          new Diagnostic(
              Diagnostic.Severity.ERROR,
              "syntax",
              source.file(),
              e.position().line(),
              e.position().column(),
              e.pointer(),
              e.getMessage(),
              e.hint()));
      return null;
    }
  }

  private Map<String, TargetSpec> bindTargets(JsonNode root, Diagnostics out) {
    Map<String, TargetSpec> targets = new TreeMap<>();
    JsonNode node = root.path("targets");
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      // A target with errors, even without a kind, still exists: steps that name it must not also
      // report it unknown.
      if (field.getValue() instanceof ObjectNode object) {
        targets.put(field.getKey(), TargetSpec.of(object));
      }
    }
    return targets;
  }

  private Map<String, TargetSpec> readOverrides(
      Source file, Map<String, TargetSpec> targets, List<Diagnostic> all) {
    SourceDocument document = parse(file, all);
    if (document == null) {
      return null;
    }
    Diagnostics out = new Diagnostics(document);
    targetsSchema.validate(document.root(), "", out);
    Map<String, TargetSpec> overrides = new LinkedHashMap<>();
    if (!out.hasErrors()) {
      document
          .root()
          .path("targets")
          .fields()
          .forEachRemaining(
              field -> {
                String at = JsonPointers.child("/targets", field.getKey());
                TargetSpec replacement = TargetSpec.of((ObjectNode) field.getValue());
                TargetSpec original = targets.get(field.getKey());
                if (original == null) {
                  out.errorAtKey(
                      "unknown-target",
                      at,
                      "the runbook has no target '" + field.getKey() + "' to replace",
                      DidYouMean.hint(field.getKey(), targets.keySet()));
                } else if (original.hasKind() && !original.kind().equals(replacement.kind())) {
                  out.error(
                      "wrong-target-kind",
                      at + "/kind",
                      "target '"
                          + field.getKey()
                          + "' is a "
                          + original.kind()
                          + " in the runbook; an environment may change where it is, not what it is",
                      null);
                } else {
                  overrides.put(field.getKey(), replacement);
                }
              });
    }
    all.addAll(out.list());
    return out.hasErrors() ? null : overrides;
  }

  private RunbookSpec bindRunbook(JsonNode root, Map<String, TargetSpec> targets, Diagnostics out) {
    DefaultsSpec defaults =
        out.hasErrorsUnder("/defaults") || !root.has("defaults")
            ? DefaultsSpec.NONE
            : bind(root.get("defaults"), DefaultsSpec.class);
    if (defaults != DefaultsSpec.NONE && !DurationChecks.defaults(defaults, out)) {
      defaults = DefaultsSpec.NONE; // its errors stand; plans are not built
    }
    Map<String, String> rules = new LinkedHashMap<>();
    if (!out.hasErrorsUnder("/policy")) {
      root.path("policy")
          .path("rules")
          .fields()
          .forEachRemaining(f -> rules.put(f.getKey(), f.getValue().asText()));
    }
    List<IncidentSpec> incidents = new ArrayList<>();
    JsonNode list =
        root.path("incidents").isArray()
            ? root.path("incidents")
            : JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < list.size(); i++) {
      // An incident with schema errors is left out of the semantic checks; its errors stand.
      incidents.add(
          out.hasErrorsUnder("/incidents/" + i) ? null : bind(list.get(i), IncidentSpec.class));
    }
    return new RunbookSpec(
        root.path("version").asText(null),
        root.path("name").asText(null),
        root.path("description").asText(null),
        targets,
        defaults,
        rules,
        incidents);
  }

  private Map<String, Plan> compileIncidents(
      RunbookSpec spec,
      JsonNode root,
      String sourceHash,
      NotificationsCompiler.Section notifications,
      Diagnostics out) {
    Map<String, IncidentSpec> byType = new LinkedHashMap<>();
    JsonNode list =
        root.path("incidents").isArray()
            ? root.path("incidents")
            : JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < list.size(); i++) {
      JsonNode type = list.get(i).path("type");
      if (!type.isTextual()) {
        continue;
      }
      IncidentSpec incident = spec.incidents().get(i);
      if (byType.containsKey(type.asText())) {
        int first = new ArrayList<>(byType.keySet()).indexOf(type.asText());
        out.error(
            "duplicate-incident",
            "/incidents/" + i + "/type",
            "incident type '" + type.asText() + "' is used twice",
            "first at line "
                + out.valuePosition("/incidents/" + first + "/type").line()
                + "; each type is one Temporal workflow type and must be unique");
        continue;
      }
      byType.put(type.asText(), incident);
    }
    LintPolicy lint = new LintPolicy(spec.lintRules());
    Set<String> usedTargets = new HashSet<>();
    Map<String, Plan> plans = new LinkedHashMap<>();
    Map<String, IncidentSpec> valid = new LinkedHashMap<>();
    byType.forEach(
        (type, incident) -> {
          if (incident != null) {
            valid.put(type, incident);
          }
        });
    for (int i = 0; i < spec.incidents().size(); i++) {
      IncidentSpec incident = spec.incidents().get(i);
      if (incident == null || byType.get(incident.type()) != incident) {
        continue;
      }
      IncidentCompiler compiler =
          new IncidentCompiler(catalog, spec, byType, out, lint, sourceHash, usedTargets);
      Plan plan = compiler.compile(incident, "/incidents/" + i);
      Notifications told =
          notifications == null || plan == null ? null : notifications.forSeverity(plan.severity());
      if (told != null) {
        plan = plan.withNotifications(told);
        plan = plan.withHash(PlanJson.hash(plan));
      }
      if (plan != null) {
        plans.put(incident.type(), plan);
      }
    }
    checkChildCycles(valid, spec, out);
    if (!out.hasErrors()) {
      plans = withChildPlans(plans);
    }
    if (notifications != null) {
      notifications.channels().forEach(c -> usedTargets.add(c.channel().target()));
    }
    for (String target : spec.targets().keySet()) {
      if (!usedTargets.contains(target) && !out.hasErrors()) {
        lint.report(
            out,
            LintRule.UNUSED_TARGET,
            JsonPointers.child("/targets", target),
            true,
            "target '" + target + "' is not used by any step",
            "remove it, or use it in a step");
      }
    }
    return plans;
  }

  /** The {@code schedules} section, checked by {@link ScheduleCompiler} against the incidents. */
  private static List<ScheduledIncident> compileSchedules(
      RunbookSpec spec, JsonNode root, Diagnostics out) {
    JsonNode list = root.path("schedules");
    if (!list.isArray()) {
      return List.of();
    }
    Map<String, IncidentSpec> byType = incidentsByType(spec, root);
    List<ScheduleSpec> specs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      specs.add(
          out.hasErrorsUnder("/schedules/" + i) ? null : bind(list.get(i), ScheduleSpec.class));
    }
    return new ScheduleCompiler(byType, out).compile(specs);
  }

  /**
   * Attaches to each plan the plans of the incidents it runs as children, transitively and
   * flattened, so that a parent pins its whole tree. Child plans carry no children themselves, and
   * no source hash (the parent's names the file): the parent's hash then changes with what runs,
   * not with how the file is laid out.
   */
  private static Map<String, Plan> withChildPlans(Map<String, Plan> plans) {
    Map<String, Plan> result = new LinkedHashMap<>();
    plans.forEach(
        (type, plan) -> {
          Map<String, Plan> closure = new TreeMap<>();
          collectChildPlans(plan, plans, closure);
          closure.remove(type);
          Plan withChildren = closure.isEmpty() ? plan : plan.withChildren(closure);
          result.put(
              type, closure.isEmpty() ? plan : withChildren.withHash(PlanJson.hash(withChildren)));
        });
    return result;
  }

  private static void collectChildPlans(
      Plan plan, Map<String, Plan> plans, Map<String, Plan> closure) {
    java.util.ArrayDeque<io.drctl.plan.PlanStep> queue = new java.util.ArrayDeque<>(plan.steps());
    while (!queue.isEmpty()) {
      io.drctl.plan.PlanStep step = queue.poll();
      if (step.branches() != null) {
        step.branches().forEach(b -> queue.addAll(b.steps()));
      }
      if (step.kind() == io.drctl.catalog.ActionKind.RUNBOOK) {
        String child = step.with().path("incident").asText();
        Plan childPlan = plans.get(child);
        if (childPlan != null && !closure.containsKey(child)) {
          closure.put(child, childPlan.withSourceHash(null));
          collectChildPlans(childPlan, plans, closure);
        }
      }
    }
  }

  /** An incident that runs itself as a child, directly or not, would never end. */
  private static void checkChildCycles(
      Map<String, IncidentSpec> incidents, RunbookSpec spec, Diagnostics out) {
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    incidents.forEach(
        (type, incident) -> {
          Set<String> children = new java.util.LinkedHashSet<>();
          collectChildren(incident.steps(), children);
          edges.put(type, children);
        });
    Set<String> reported = new HashSet<>();
    for (String start : edges.keySet()) {
      List<String> path = new ArrayList<>();
      findCycle(start, edges, path, new HashSet<>(), reported, spec, out);
    }
  }

  private static void findCycle(
      String type,
      Map<String, Set<String>> edges,
      List<String> path,
      Set<String> onPath,
      Set<String> reported,
      RunbookSpec spec,
      Diagnostics out) {
    if (onPath.contains(type)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(type), path.size()));
      cycle.add(type);
      if (reported.add(cycle.get(0))) {
        int index = 0;
        for (int i = 0; i < spec.incidents().size(); i++) {
          if (spec.incidents().get(i) != null && type.equals(spec.incidents().get(i).type())) {
            index = i;
          }
        }
        out.error(
            "runbook-cycle",
            "/incidents/" + index + "/type",
            "incidents run each other in a cycle: " + String.join(" -> ", cycle),
            "a runbook step must not start an incident that leads back to itself");
      }
      return;
    }
    if (!edges.containsKey(type)) {
      return;
    }
    path.add(type);
    onPath.add(type);
    for (String child : edges.get(type)) {
      findCycle(child, edges, path, onPath, reported, spec, out);
    }
    path.remove(path.size() - 1);
    onPath.remove(type);
  }

  private static void collectChildren(List<StepSpec> steps, Set<String> children) {
    for (StepSpec step : steps) {
      if ("runbook".equals(step.action())
          && step.with() != null
          && step.with().path("incident").isTextual()) {
        children.add(step.with().path("incident").asText());
      }
      if (step.branches() != null) {
        step.branches().forEach(b -> collectChildren(b.steps(), children));
      }
    }
  }

  private static <T> T bind(JsonNode node, Class<T> type) {
    try {
      return BINDER.treeToValue(node, type);
    } catch (IOException e) {
      throw new IllegalStateException(
          "a schema-valid " + type.getSimpleName() + " did not bind: " + e.getMessage(), e);
    }
  }

  private static JsonNode readTree(String text) {
    try {
      return BINDER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in =
        RunbookCompiler.class.getClassLoader().getResourceAsStream("io/drctl/schemas/" + name)) {
      if (in == null) {
        throw new IllegalStateException("schema " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
