package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.plan.Durations;
import io.drctl.plan.InputValues;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import io.drctl.plan.PlanStep;
import io.drctl.plan.RetryPolicy;
import io.drctl.plan.Escalation;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.EscalationSpec;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.InputSpec;
import io.drctl.runbook.OnExhausted;
import io.drctl.runbook.RetrySpec;
import io.drctl.runbook.RunbookSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.runbook.TargetSpec;
import io.drctl.source.JsonPointers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks one incident's semantics and builds its {@link Plan}. One instance per incident. */
final class IncidentCompiler {
  /** Bounds the graph analysis (and a workflow's history); far above any real runbook. */
  static final int MAX_STEPS = 5000;
  private static final String BUILT_IN_TIMEOUT = "10m";
  private static final String BUILT_IN_APPROVAL_TIMEOUT = "24h";

  private final ActionCatalog catalog;
  private final RunbookSpec runbook;
  private final Map<String, IncidentSpec> incidents;
  private final Diagnostics out;
  private final LintPolicy lint;
  private final String sourceHash;
  private final Set<String> usedTargets;
  private final Map<StepNode, Boolean> constantConditions = new HashMap<>();
  private final Map<StepNode, JsonNode> foldedWith = new HashMap<>();
  private final Set<StepNode> unreachable = new HashSet<>();
  /** Ids of the steps that some expression reads; such a step never runs in the background. */
  private Set<String> readSteps = Set.of();

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
    if (incident.objectives() != null) {
      DurationChecks.positive(incident.objectives().rto(), pointer + "/objectives/rto", out);
      DurationChecks.any(incident.objectives().rpo(), pointer + "/objectives/rpo", out);
    }
    checkInputs(incident, pointer);
    if (incident.target() != null) {
      checkTargetName(incident.target(), null, JsonPointers.child(pointer, "target"), targets);
    }
    int size = countSteps(incident.steps());
    if (size > MAX_STEPS) {
      out.error("too-many-steps", JsonPointers.child(pointer, "steps"),
          "incident '" + incident.type() + "' has " + size + " steps; at most " + MAX_STEPS + " are allowed",
          "split it into incidents that run each other with the runbook action");
      return null;
    }
    StepGraph graph = StepGraph.build(incident, pointer, out);
    for (StepNode node : graph.all()) {
      checkStep(node, targets);
    }
    if (!graph.cyclic) {
      ExpressionChecker expressions = new ExpressionChecker(out, graph, incident.inputsOrEmpty(), targets);
      for (StepNode node : graph.all()) {
        checkExpressions(node, expressions);
      }
      checkEscalation(incident, pointer, expressions, targets);
      findUnreachable(graph);
      lintIncident(incident, pointer, graph, expressions);
      usedTargets.addAll(expressions.usedTargets());
      readSteps = expressions.readSteps();
    }
    if (out.hasErrorsUnder(pointer)) {
      return null;
    }
    Plan plan = buildPlan(incident, graph, targets);
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
            InputValues.coerce(new InputSpec(input.type(), input.description(), null, null, null, null), input.allowed().get(i));
          } catch (IllegalArgumentException e) {
            out.error("bad-default", at + "/enum/" + i, "enum value of input '" + entry.getKey() + "': " + e.getMessage(),
                "every enum value must be of the input's type, " + input.type());
          }
        }
      }
      if (input.pattern() != null) {
        try {
          java.util.regex.Pattern.compile(input.pattern());
        } catch (java.util.regex.PatternSyntaxException e) {
          out.error("bad-format", at + "/pattern", "pattern of input '" + entry.getKey() + "' is not a valid regular expression: "
              + e.getDescription(), "Java regular expression syntax, matched against the whole value");
        }
      }
      if (input.pattern() != null && !"string".equals(input.type())) {
        out.error("not-applicable", at + "/pattern", "pattern applies only to string inputs, not " + input.type(), "remove it");
      }
      if (input.defaultValue() != null) {
        try {
          InputValues.coerce(input, input.defaultValue());
        } catch (IllegalArgumentException e) {
          out.error("bad-default", at + "/default", "default of input '" + entry.getKey() + "': " + e.getMessage(),
              "the default must be a valid " + input.type());
        }
      }
    }
  }

  private void checkStep(StepNode node, Map<String, TargetSpec> targets) {
    StepSpec spec = node.spec;
    node.action = catalog.find(spec.action()).orElse(null);
    if (node.action == null) {
      out.error(
          "unknown-action",
          node.pointer + "/action",
          "unknown action '" + spec.action() + "'",
          DidYouMean.closest(spec.action(), catalog.names()).map(s -> "did you mean '" + s + "'?")
              .orElse("drctl actions lists every action"));
      return;
    }
    ActionKind kind = node.action.kind();
    if (kind == ActionKind.PARALLEL && spec.branches() == null) {
      out.error("missing-branches", node.pointer, "a parallel step needs branches", "add \"branches\": [{\"name\": ..., \"steps\": [...]}, ...]");
    }
    if (kind != ActionKind.PARALLEL && spec.branches() != null) {
      out.errorAtKey("not-applicable", node.pointer + "/branches", "only a parallel step has branches",
          "set \"action\": \"parallel\", or move these steps into the list");
    }
    if (kind.isBuiltIn()) {
      for (String property : List.of("retry", "heartbeat")) {
        boolean set = property.equals("retry") ? spec.retry() != null : spec.heartbeat() != null;
        if (set) {
          out.errorAtKey("not-applicable", node.pointer + "/" + property,
              property + " applies to actions run as activities, not to the built-in " + spec.action(), "remove it");
        }
      }
      if (kind == ActionKind.PARALLEL && spec.timeout() != null) {
        out.errorAtKey("not-applicable", node.pointer + "/timeout", "a parallel step has no timeout of its own",
            "set timeouts on the steps of its branches");
      }
      if ((kind == ActionKind.SLEEP || kind == ActionKind.FAIL) && spec.timeout() != null) {
        out.errorAtKey("not-applicable", node.pointer + "/timeout", "a " + spec.action() + " step has no timeout",
            kind == ActionKind.SLEEP ? "the sleep's with.duration says how long it waits" : "remove it");
      }
    }
    if (spec.blocking() != null && !node.action.background()) {
      out.errorAtKey("not-applicable", node.pointer + "/blocking",
          "blocking applies only to notifications that run in the background ("
              + String.join(", ", catalog.all().stream().filter(ActionDefinition::background).map(ActionDefinition::name).toList())
              + "), not to " + spec.action(),
          "remove it: a " + spec.action() + " step always blocks the steps after it");
    }
    checkParams(node, node.action, spec.with(), node.pointer + "/with", targets);
    checkDurations(node);
    if (kind == ActionKind.WAIT_UNTIL && spec.with() != null) {
      checkPolledAction(node, targets);
    }
    if (kind == ActionKind.RUNBOOK && spec.with() != null) {
      checkChildIncident(node);
    }
    if (kind == ActionKind.APPROVAL && spec.with() != null) {
      checkQuorum(node);
    }
  }

  /** A quorum larger than the list of named approvers could never be reached: the gate would only time out. */
  private void checkQuorum(StepNode node) {
    JsonNode quorum = node.spec.with().path("quorum");
    JsonNode approvers = node.spec.with().path("approvers");
    if (quorum.isInt() && approvers.isArray() && approvers.size() > 0 && quorum.asInt() > approvers.size()) {
      out.error("unreachable-quorum", node.pointer + "/with/quorum",
          "quorum " + quorum.asInt() + " needs " + quorum.asInt() + " distinct approvals, but only " + approvers.size()
              + " approver" + (approvers.size() == 1 ? " is" : "s are") + " named",
          "name more approvers, or lower the quorum to " + approvers.size());
    }
  }

  /** Validates {@code with} against the action's parameter schema, then its target references. */
  private void checkParams(StepNode node, ActionDefinition action, ObjectNode with, String at, Map<String, TargetSpec> targets) {
    JsonNode params = with == null ? JsonNodeFactory.instance.objectNode() : with;
    Diagnostics scratch = out.scratch();
    // Without a with, a missing parameter is reported at the step itself, which exists in the file.
    String base = with == null ? at.substring(0, at.lastIndexOf('/')) : at;
    ParamChecks.of(catalog).of(action).validate(params, base, scratch);
    for (Diagnostic d : scratch.list()) {
      JsonNode offending = params.at(d.pointer().substring(base.length()));
      if (offending.isTextual() && offending.asText().contains("${{") && !d.code().equals("unknown-property")) {
        continue; // an expression: its type is checked by the expression checker
      }
      boolean atKey = d.code().equals("unknown-property") || d.code().equals("bad-name");
      out.add(d.severity(), d.code(), d.pointer(), atKey ? out.keyPosition(d.pointer()) : out.valuePosition(d.pointer()),
          d.message() + (d.code().equals("unknown-property") ? " for action " + action.name() : ""), d.hint());
    }
    for (Map.Entry<String, Set<String>> param : action.targetParams().entrySet()) {
      JsonNode value = params.get(param.getKey());
      if (value != null && value.isTextual() && !value.asText().contains("${{")) {
        checkTargetName(value.asText(), param.getValue(), JsonPointers.child(at, param.getKey()), targets);
      }
    }
  }

  private void checkTargetName(String name, Set<String> kinds, String at, Map<String, TargetSpec> targets) {
    TargetSpec target = targets.get(name);
    if (target == null) {
      out.error("unknown-target", at, "no target '" + name + "' in this runbook",
          targets.isEmpty() ? "declare it under targets" : DidYouMean.hint(name, targets.keySet()));
      return;
    }
    usedTargets.add(name);
    if (kinds != null && !kinds.contains(target.kind())) {
      out.error("wrong-target-kind", at, "target '" + name + "' is a " + target.kind() + ", but this parameter takes a "
          + String.join(" or ", kinds), null);
    }
  }

  private void checkDurations(StepNode node) {
    StepSpec spec = node.spec;
    DurationChecks.positive(spec.timeout(), node.pointer + "/timeout", out);
    DurationChecks.positive(spec.heartbeat(), node.pointer + "/heartbeat", out);
    DurationChecks.retry(spec.retry(), node.pointer + "/retry", out);
    ObjectNode with = spec.with();
    if (with != null && node.action.kind() == ActionKind.SLEEP && with.path("duration").isTextual()
        && !with.path("duration").asText().contains("${{")) {
      DurationChecks.positive(with.path("duration").asText(), node.pointer + "/with/duration", out);
    }
    if (with != null && node.action.kind() == ActionKind.WAIT_UNTIL && with.path("interval").isTextual()) {
      DurationChecks.positive(with.path("interval").asText(), node.pointer + "/with/interval", out);
    }
  }

  /** After defaults are resolved: a heartbeat timeout must be shorter than the attempt timeout. */
  private void checkResolvedTimeouts(StepNode node, PlanStep step) {
    if (step.heartbeat() != null && step.timeout() != null
        && Durations.parse(step.heartbeat()).compareTo(Durations.parse(step.timeout())) >= 0) {
      boolean own = node.spec.heartbeat() != null;
      out.error("heartbeat-exceeds-timeout", node.pointer + (own ? "/heartbeat" : ""),
          "heartbeat " + step.heartbeat() + " is not shorter than the step's timeout " + step.timeout()
              + (node.spec.timeout() == null ? " (the default of " + step.action() + ")" : ""),
          "a heartbeat timeout must be shorter than the step's timeout, or it never fires; set timeout on the step");
    }
  }

  private void checkPolledAction(StepNode node, Map<String, TargetSpec> targets) {
    JsonNode name = node.spec.with().get("action");
    if (name == null || !name.isTextual()) {
      return;
    }
    String at = node.pointer + "/with/action";
    ActionDefinition polled = catalog.find(name.asText()).orElse(null);
    if (polled == null || polled.kind() != ActionKind.ACTIVITY) {
      out.error("unknown-action", at, "waitUntil polls an activity action; '" + name.asText() + "' is not one",
          DidYouMean.closest(name.asText(), catalog.names()).map(s -> "did you mean '" + s + "'?").orElse("drctl actions lists them"));
      return;
    }
    if (!polled.idempotent() || polled.destructive()) {
      out.error("not-idempotent", at, "waitUntil repeats its action; " + polled.name() + " is not safe to repeat",
          "poll a read-only action such as postgres.isReady or http.check");
    }
    JsonNode inner = node.spec.with().get("with");
    checkParams(node, polled, inner instanceof ObjectNode o ? o : null, node.pointer + "/with/with", targets);
  }

  private void checkChildIncident(StepNode node) {
    JsonNode name = node.spec.with().get("incident");
    if (name == null || !name.isTextual()) {
      return;
    }
    IncidentSpec child = incidents.get(name.asText());
    String at = node.pointer + "/with/incident";
    if (child == null) {
      out.error("unknown-incident", at, "no incident of type '" + name.asText() + "' in this runbook",
          DidYouMean.hint(name.asText(), incidents.keySet()));
      return;
    }
    IncidentInputChecks.check(child, node.spec.with().path("inputs"), node.pointer + "/with/inputs", node.pointer + "/with",
        true, out);
  }

  private void checkExpressions(StepNode node, ExpressionChecker expressions) {
    if (node.spec.condition() != null) {
      ExpressionChecker.Condition condition =
          expressions.checkCondition(node, node.spec.condition(), node.pointer + "/if", null);
      if (condition.constant() != null) {
        constantConditions.put(node, condition.constant());
      }
    }
    ObjectNode with = node.spec.with();
    if (with == null || node.action == null) {
      return;
    }
    Map<String, String> types = paramTypes(node.action);
    ObjectNode folded = (ObjectNode) expressions.checkTemplates(node, withoutUntil(node, with), node.pointer + "/with", types);
    if (node.action.kind() == ActionKind.WAIT_UNTIL && with.get("until") != null && with.get("until").isTextual()) {
      ActionDefinition polled = catalog.find(with.path("action").asText()).orElse(null);
      if (polled != null) {
        expressions.checkCondition(node, with.get("until").asText(), node.pointer + "/with/until", polled);
      }
      folded.set("until", with.get("until"));
    }
    foldedWith.put(node, folded);
  }

  private static ObjectNode withoutUntil(StepNode node, ObjectNode with) {
    if (node.action.kind() != ActionKind.WAIT_UNTIL) {
      return with;
    }
    ObjectNode copy = with.deepCopy();
    copy.remove("until");
    return copy;
  }

  private static Map<String, String> paramTypes(ActionDefinition action) {
    Map<String, String> types = new HashMap<>();
    action.params().path("properties").fields().forEachRemaining(f -> {
      JsonNode type = f.getValue().get("type");
      if (type != null && type.isTextual()) {
        types.put(f.getKey(), type.asText());
      }
    });
    return types;
  }

  /** The escalation's folded parameters, once checked. */
  private JsonNode escalationWith;

  /** Checks the escalation that applies to this incident: its own, or the runbook's default. */
  private void checkEscalation(IncidentSpec incident, String pointer, ExpressionChecker expressions,
      Map<String, TargetSpec> targets) {
    DefaultsSpec defaults = runbook.defaults() == null ? DefaultsSpec.NONE : runbook.defaults();
    EscalationSpec spec = incident.escalation() != null ? incident.escalation() : defaults.escalation();
    if (spec == null) {
      return;
    }
    String at = incident.escalation() != null ? pointer + "/escalation" : "/defaults/escalation";
    ActionDefinition action = catalog.find(spec.action()).orElse(null);
    if (action == null) {
      return; // the schema's enum already names the allowed actions
    }
    checkParams(null, action, spec.with(), at + "/with", targets);
    escalationWith = expressions.checkTemplates(null, spec.with(), at + "/with", paramTypes(action));
  }

  /** Steps that wait for an unconditional fail step never run. */
  private void findUnreachable(StepGraph graph) {
    Map<StepNode, StepNode> blockers = new HashMap<>();
    for (StepNode node : graph.all()) {
      for (StepNode dependency : node.needs) {
        StepNode cause = blocker(dependency, blockers);
        if (cause != null) {
          unreachable.add(node);
          out.error("unreachable", node.pointer,
              "step '" + node.id() + "' can never run: it waits for step '" + cause.id() + "', which always fails",
              "give '" + cause.id() + "' an if, make it a fallback (onFailure), or remove the steps after it");
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
    if (node.action != null && node.action.kind() == ActionKind.FAIL && node.spec.condition() == null
        && !Boolean.TRUE.equals(node.spec.continueOnError()) && node.spec.onFailure() == null) {
      cause = node;
    }
    for (int i = 0; cause == null && i < node.needs.size(); i++) {
      cause = blocker(node.needs.get(i), memo);
    }
    memo.put(node, cause);
    return cause;
  }

  private void lintIncident(IncidentSpec incident, String pointer, StepGraph graph, ExpressionChecker expressions) {
    for (StepNode node : graph.all()) {
      if (node.action != null && node.action.destructive() && !isGuarded(node, graph)) {
        lint.report(out, LintRule.DESTRUCTIVE_WITHOUT_GUARD, node.pointer + "/action", false,
            "step '" + node.id() + "' runs destructive action " + node.action.name()
                + " with no approval or safety copy before it",
            "add an approval step (or a safety copy such as postgres.snapshot) to its needs, or set with.force");
      }
      if (node.action != null && node.spec.with() != null) {
        for (String sql : templatedSql(node.spec.with(), node.pointer + "/with")) {
          lint.report(out, LintRule.TEMPLATE_IN_SQL, sql, false,
              "step '" + node.id() + "' splices ${{ }} into SQL text, where a value becomes code",
              "use postgres.query with $1, $2... in sql and the values in parameters");
        }
      }
      if (Boolean.FALSE.equals(constantConditions.get(node))) {
        lint.report(out, LintRule.NEVER_RUNS, node.pointer + "/if", false,
            "the condition of step '" + node.id() + "' is always false", "remove the step or fix the condition");
      }
    }
    for (String input : incident.inputsOrEmpty().keySet()) {
      if (!expressions.usedInputs().contains(input)) {
        lint.report(out, LintRule.UNUSED_INPUT, JsonPointers.child(JsonPointers.child(pointer, "inputs"), input), true,
            "input '" + input + "' is never read", "read it as ${{ inputs." + input + " }}, or remove it");
      }
    }
    boolean touchesData = graph.all().stream().anyMatch(n -> n.action != null
        && List.of("postgres", "redis", "backup").contains(n.action.prefix()));
    if (touchesData && incident.objectives() != null && incident.objectives().rpo() == null) {
      lint.report(out, LintRule.MISSING_RPO, JsonPointers.child(pointer, "objectives"), false,
          "incident '" + incident.type() + "' touches data but sets no rpo", "add objectives.rpo from the SLA table");
    }
  }

  /** Pointers of the {@code sql} members, at any depth of {@code with}, that hold a {@code ${{ }}}. */
  private static List<String> templatedSql(JsonNode value, String pointer) {
    List<String> found = new ArrayList<>();
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        found.addAll(templatedSql(value.get(i), JsonPointers.child(pointer, i)));
      }
    } else if (value.isObject()) {
      value.fields().forEachRemaining(member -> {
        String child = JsonPointers.child(pointer, member.getKey());
        if ("sql".equals(member.getKey()) && member.getValue().isTextual()
            && member.getValue().asText().replace("$${{", "").contains("${{")) {
          found.add(child);
        } else {
          found.addAll(templatedSql(member.getValue(), child));
        }
      });
    }
    return found;
  }

  private static boolean isGuarded(StepNode node, StepGraph graph) {
    JsonNode force = node.spec.with() == null ? null : node.spec.with().get("force");
    if (force != null && (force.asBoolean(false) || force.asText("").contains("${{"))) {
      return true; // an explicit force (or an operator-supplied one) is the runbook's own guard
    }
    return graph.ancestorsOf(node).stream().anyMatch(a -> a.action != null
        && (a.action.kind() == ActionKind.APPROVAL || a.action.guard()));
  }

  private Plan buildPlan(IncidentSpec incident, StepGraph graph, Map<String, TargetSpec> targets) {
    DefaultsSpec defaults = runbook.defaults() == null ? DefaultsSpec.NONE : runbook.defaults();
    OnExhausted onExhausted = first(incident.onExhausted(), defaults.onExhausted(), OnExhausted.INTERVENE);
    List<PlanStep> steps = new ArrayList<>();
    for (StepNode node : graph.top) {
      steps.add(planStep(node, defaults, onExhausted));
    }
    Map<String, InputSpec> inputs = new LinkedHashMap<>(incident.inputsOrEmpty());
    EscalationSpec chosen = incident.escalation() != null ? incident.escalation() : defaults.escalation();
    Escalation escalation = chosen == null ? null
        : new Escalation(chosen.action(), escalationWith != null ? escalationWith : chosen.with());
    Plan plan = new Plan(Plan.FORMAT, runbook.name(), runbook.version(), sourceHash, incident.type(), incident.title(),
        incident.description(), incident.severity(), incident.scenario(), incident.target(), incident.objectives(),
        inputs, targets, onExhausted, escalation, steps, null, null, null);
    return plan.withHash(PlanJson.hash(plan));
  }

  private PlanStep planStep(StepNode node, DefaultsSpec defaults, OnExhausted incidentOnExhausted) {
    StepSpec spec = node.spec;
    ActionDefinition action = node.action;
    ActionKind kind = action.kind();
    String timeout = switch (kind) {
      case APPROVAL -> first(spec.timeout(), defaults.approvalTimeout(), BUILT_IN_APPROVAL_TIMEOUT);
      case PARALLEL, SLEEP, FAIL, RUNBOOK -> spec.timeout();
      case WAIT_UNTIL -> first(spec.timeout(), defaults.timeout(), BUILT_IN_TIMEOUT);
      case ACTIVITY -> first(spec.timeout(), action.defaultTimeout(), defaults.timeout(), BUILT_IN_TIMEOUT);
    };
    String heartbeat = kind == ActionKind.ACTIVITY
        ? first(spec.heartbeat(), action.defaultHeartbeat(), defaults.heartbeat(), null) : null;
    if (heartbeat != null && spec.heartbeat() == null && action.defaultHeartbeat() == null && timeout != null
        && Durations.parse(heartbeat).compareTo(Durations.parse(timeout)) >= 0) {
      heartbeat = null; // the runbook-wide heartbeat cannot apply to a step shorter than it
    }
    RetryPolicy retry = kind == ActionKind.ACTIVITY || kind == ActionKind.WAIT_UNTIL
        ? retry(spec.retry(), defaults.retry()) : null;
    Boolean constant = constantConditions.get(node);
    String condition = Boolean.TRUE.equals(constant) ? null : spec.condition();
    List<PlanStep.PlanBranch> branches = null;
    if (kind == ActionKind.PARALLEL) {
      branches = new ArrayList<>();
      for (int b = 0; b < node.branches.size(); b++) {
        List<PlanStep> inner = new ArrayList<>();
        for (StepNode child : node.branches.get(b)) {
          inner.add(planStep(child, defaults, incidentOnExhausted));
        }
        branches.add(new PlanStep.PlanBranch(spec.branches().get(b).name(), inner));
      }
    }
    JsonNode with = foldedWith.getOrDefault(node, spec.with() == null ? JsonNodeFactory.instance.objectNode() : spec.with());
    boolean background = runsInBackground(node);
    if (background && spec.onExhausted() != null) {
      out.errorAtKey("not-applicable", node.pointer + "/onExhausted",
          "step '" + spec.id() + "' is a notification that runs in the background: when it cannot be delivered it is"
              + " escalated and the incident goes on, so onExhausted does not apply",
          "set \"blocking\": true to make it apply, or remove onExhausted");
    }
    PlanStep built = new PlanStep(
        spec.id(),
        spec.title() != null ? spec.title() : spec.id(),
        spec.action(),
        kind,
        with,
        node.needs.stream().map(StepNode::id).toList(),
        condition,
        timeout == null ? null : Durations.canonical(timeout),
        heartbeat == null ? null : Durations.canonical(heartbeat),
        retry,
        spec.onFailure() == null ? List.of() : spec.onFailure(),
        node.isFallback(),
        Boolean.TRUE.equals(spec.continueOnError()),
        first(spec.onExhausted(), incidentOnExhausted, OnExhausted.INTERVENE),
        branches,
        action.destructive(),
        action.idempotent(),
        action.dataLossOutput(),
        background);
    checkResolvedTimeouts(node, built);
    return built;
  }

  /**
   * Whether a step runs in the background: a notification that the runbook does not make blocking
   * and that nothing hangs on, being no fallback, having none, and read by no expression.
   */
  private boolean runsInBackground(StepNode node) {
    StepSpec spec = node.spec;
    return node.action.background() && !Boolean.TRUE.equals(spec.blocking()) && !node.isFallback()
        && spec.onFailure() == null && !readSteps.contains(spec.id());
  }

  private static RetryPolicy retry(RetrySpec step, RetrySpec defaults) {
    RetrySpec merged = (step == null ? new RetrySpec(null, null, null, null, null) : step).inheriting(defaults);
    RetryPolicy base = RetryPolicy.DEFAULT;
    return new RetryPolicy(
        merged.maxAttempts() != null ? merged.maxAttempts() : base.maxAttempts(),
        Durations.canonical(merged.initialInterval() != null ? merged.initialInterval() : base.initialInterval()),
        merged.backoffCoefficient() != null ? merged.backoffCoefficient() : base.backoffCoefficient(),
        Durations.canonical(merged.maxInterval() != null ? merged.maxInterval() : base.maxInterval()),
        merged.nonRetryable() != null ? merged.nonRetryable() : base.nonRetryable());
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
