package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.drctl.plan.InputValues;
import io.drctl.plan.Plan;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.EscalationSpec;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.InputSpec;
import io.drctl.runbook.RunbookSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.runbook.TargetSpec;
import io.drctl.source.JsonPointers;
import io.drctl.steps.StepKinds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one incident: checks its inputs, steps ({@link StepChecks}), expressions, escalation and
 * reachability, runs its lint ({@link IncidentLint}), and builds its {@link Plan} ({@link
 * PlanBuilder}). One instance per incident.
 */
final class IncidentCompiler {
  /** Bounds the graph analysis (and a workflow's history); far above any real runbook. */
  static final int MAX_STEPS = 5000;

  private final ActionCatalog catalog;
  private final RunbookSpec runbook;
  private final Map<String, IncidentSpec> incidents;
  private final Diagnostics out;
  private final LintPolicy lint;
  private final String sourceHash;
  private final Set<String> usedTargets;
  private final IncidentFacts facts = new IncidentFacts();
  private StepChecks steps;

  IncidentCompiler(
      ActionCatalog catalog,
      RunbookSpec runbook,
      Map<String, IncidentSpec> incidents,
      Diagnostics out,
      LintPolicy lint,
      String sourceHash,
      Set<String> usedTargets) {
    this.catalog = catalog;
    this.runbook = runbook;
    this.incidents = incidents;
    this.out = out;
    this.lint = lint;
    this.sourceHash = sourceHash;
    this.usedTargets = usedTargets;
  }

  /** Reports every problem of the incident; returns its plan, or null when it has errors. */
  Plan compile(IncidentSpec incident, String pointer) {
    Map<String, TargetSpec> targets = runbook.targets() == null ? Map.of() : runbook.targets();
    steps = new StepChecks(catalog, incidents, targets, out, usedTargets);
    if (incident.objectives() != null) {
      DurationChecks.positive(incident.objectives().rto(), pointer + "/objectives/rto", out);
      DurationChecks.any(incident.objectives().rpo(), pointer + "/objectives/rpo", out);
    }
    checkInputs(incident, pointer);
    if (incident.target() != null) {
      steps.targetName(incident.target(), null, JsonPointers.child(pointer, "target"));
    }
    int size = countSteps(incident.steps());
    if (size > MAX_STEPS) {
      out.error(
          "too-many-steps",
          JsonPointers.child(pointer, "steps"),
          "incident '"
              + incident.type()
              + "' has "
              + size
              + " steps; at most "
              + MAX_STEPS
              + " are allowed",
          "split it into incidents that run each other with the runbook action");
      return null;
    }
    StepGraph graph = StepGraph.build(incident, pointer, out);
    for (StepNode node : graph.all()) {
      steps.check(node);
    }
    if (!graph.cyclic) {
      ExpressionChecker expressions =
          new ExpressionChecker(out, graph, incident.inputsOrEmpty(), targets);
      for (StepNode node : graph.all()) {
        checkExpressions(node, expressions);
      }
      checkEscalation(incident, pointer, expressions);
      findUnreachable(graph);
      new IncidentLint(lint, out).check(incident, pointer, graph, expressions, facts);
      usedTargets.addAll(expressions.usedTargets());
      facts.readSteps = expressions.readSteps();
    }
    if (out.hasErrorsUnder(pointer)) {
      return null;
    }
    Plan plan = new PlanBuilder(runbook, sourceHash, out, facts).build(incident, graph, targets);
    return out.hasErrorsUnder(pointer) ? null : plan;
  }

  private static int countSteps(List<StepSpec> steps) {
    int count = 0;
    for (StepSpec step : steps) {
      count++;
      if (step.branches() != null) {
        for (StepSpec.BranchSpec branch : step.branches()) {
          count += countSteps(branch.steps());
        }
      }
    }
    return count;
  }

  private void checkInputs(IncidentSpec incident, String pointer) {
    for (Map.Entry<String, InputSpec> entry : incident.inputsOrEmpty().entrySet()) {
      String at = JsonPointers.child(JsonPointers.child(pointer, "inputs"), entry.getKey());
      InputSpec input = entry.getValue();
      if (input.allowed() != null) {
        for (int i = 0; i < input.allowed().size(); i++) {
          try {
            InputValues.coerce(
                new InputSpec(input.type(), input.description(), null, null, null, null),
                input.allowed().get(i));
          } catch (IllegalArgumentException e) {
            out.error(
                "bad-default",
                at + "/enum/" + i,
                "enum value of input '" + entry.getKey() + "': " + e.getMessage(),
                "every enum value must be of the input's type, " + input.type());
          }
        }
      }
      if (input.pattern() != null) {
        try {
          java.util.regex.Pattern.compile(input.pattern());
        } catch (java.util.regex.PatternSyntaxException e) {
          out.error(
              "bad-format",
              at + "/pattern",
              "pattern of input '"
                  + entry.getKey()
                  + "' is not a valid regular expression: "
                  + e.getDescription(),
              "Java regular expression syntax, matched against the whole value");
        }
      }
      if (input.pattern() != null && !"string".equals(input.type())) {
        out.error(
            "not-applicable",
            at + "/pattern",
            "pattern applies only to string inputs, not " + input.type(),
            "remove it");
      }
      if (input.defaultValue() != null) {
        try {
          InputValues.coerce(input, input.defaultValue());
        } catch (IllegalArgumentException e) {
          out.error(
              "bad-default",
              at + "/default",
              "default of input '" + entry.getKey() + "': " + e.getMessage(),
              "the default must be a valid " + input.type());
        }
      }
    }
  }

  private void checkExpressions(StepNode node, ExpressionChecker expressions) {
    if (node.spec.condition() != null) {
      ExpressionChecker.Condition condition =
          expressions.checkCondition(node, node.spec.condition(), node.pointer + "/if", null);
      if (condition.constant() != null) {
        facts.constantConditions.put(node, condition.constant());
      }
    }
    ObjectNode with = node.spec.with();
    if (with == null || node.action == null) {
      return;
    }
    Map<String, String> types = paramTypes(node.action);
    String condition = StepKinds.standard().of(node.action.kind()).resultCondition();
    ObjectNode templates = with;
    if (condition != null) {
      templates = with.deepCopy();
      templates.remove(condition);
    }
    ObjectNode folded =
        (ObjectNode) expressions.checkTemplates(node, templates, node.pointer + "/with", types);
    if (condition != null && with.get(condition) != null && with.get(condition).isTextual()) {
      ActionDefinition polled = catalog.find(with.path("action").asText()).orElse(null);
      if (polled != null) {
        expressions.checkCondition(
            node, with.get(condition).asText(), node.pointer + "/with/" + condition, polled);
      }
      folded.set(condition, with.get(condition));
    }
    facts.foldedWith.put(node, folded);
  }

  private static Map<String, String> paramTypes(ActionDefinition action) {
    Map<String, String> types = new HashMap<>();
    action
        .params()
        .path("properties")
        .fields()
        .forEachRemaining(
            f -> {
              JsonNode type = f.getValue().get("type");
              if (type != null && type.isTextual()) {
                types.put(f.getKey(), type.asText());
              }
            });
    return types;
  }

  /** Checks the escalation that applies to this incident: its own, or the runbook's default. */
  private void checkEscalation(
      IncidentSpec incident, String pointer, ExpressionChecker expressions) {
    DefaultsSpec defaults = runbook.defaults() == null ? DefaultsSpec.NONE : runbook.defaults();
    EscalationSpec spec =
        incident.escalation() != null ? incident.escalation() : defaults.escalation();
    if (spec == null) {
      return;
    }
    String at = incident.escalation() != null ? pointer + "/escalation" : "/defaults/escalation";
    ActionDefinition action = catalog.find(spec.action()).orElse(null);
    if (action == null) {
      return; // the schema's enum already names the allowed actions
    }
    steps.params(action, spec.with(), at + "/with");
    facts.escalationWith =
        expressions.checkTemplates(null, spec.with(), at + "/with", paramTypes(action));
  }

  /** Steps that wait for an unconditional fail step never run. */
  private void findUnreachable(StepGraph graph) {
    Map<StepNode, StepNode> blockers = new HashMap<>();
    for (StepNode node : graph.all()) {
      for (StepNode dependency : node.needs) {
        StepNode cause = blocker(dependency, blockers);
        if (cause != null) {
          out.error(
              "unreachable",
              node.pointer,
              "step '"
                  + node.id()
                  + "' can never run: it waits for step '"
                  + cause.id()
                  + "', which always fails",
              "give '"
                  + cause.id()
                  + "' an if, make it a fallback (onFailure), or remove the steps after it");
          break;
        }
      }
    }
  }

  /** The unconditional fail step that {@code node} waits for, if any; memoised per node. */
  private StepNode blocker(StepNode node, Map<StepNode, StepNode> memo) {
    if (memo.containsKey(node)) {
      return memo.get(node);
    }
    memo.put(node, null); // the graph is acyclic here; this only guards against surprises
    StepNode cause = null;
    if (node.action != null
        && StepKinds.standard().of(node.action.kind()).alwaysFails()
        && node.spec.condition() == null
        && !Boolean.TRUE.equals(node.spec.continueOnError())
        && node.spec.onFailure() == null) {
      cause = node;
    }
    for (int i = 0; cause == null && i < node.needs.size(); i++) {
      cause = blocker(node.needs.get(i), memo);
    }
    memo.put(node, cause);
    return cause;
  }
}
