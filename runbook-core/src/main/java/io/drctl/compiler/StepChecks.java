package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.runbook.TargetSpec;
import io.drctl.source.JsonPointers;
import io.drctl.steps.StepCheck;
import io.drctl.steps.StepKind;
import io.drctl.steps.StepKinds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of one incident's steps one by one, and of the names they give targets: what every
 * step has (its action, durations, parameters), then what its kind's {@link StepKind#check} adds.
 */
final class StepChecks {
  private final ActionCatalog catalog;
  private final ParamChecks params;
  private final Map<String, IncidentSpec> incidents;
  private final Map<String, TargetSpec> targets;
  private final Diagnostics out;
  private final Set<String> usedTargets;

  StepChecks(
      ActionCatalog catalog,
      Map<String, IncidentSpec> incidents,
      Map<String, TargetSpec> targets,
      Diagnostics out,
      Set<String> usedTargets) {
    this.catalog = catalog;
    this.params = ParamChecks.of(catalog);
    this.incidents = incidents;
    this.targets = targets;
    this.out = out;
    this.usedTargets = usedTargets;
  }

  /** Checks {@code node} and resolves its action, which stays null when it is unknown. */
  void check(StepNode node) {
    StepSpec spec = node.spec;
    node.action = catalog.find(spec.action()).orElse(null);
    if (node.action == null) {
      out.error(
          "unknown-action",
          node.pointer + "/action",
          "unknown action '" + spec.action() + "'",
          DidYouMean.closest(spec.action(), catalog.names())
              .map(s -> "did you mean '" + s + "'?")
              .orElse("drctl actions lists every action"));
      return;
    }
    StepKind kind = StepKinds.standard().of(node.action.kind());
    if (!kind.hasBranches() && spec.branches() != null) {
      out.errorAtKey(
          "not-applicable",
          node.pointer + "/branches",
          "only a parallel step has branches",
          "set \"action\": \"parallel\", or move these steps into the list");
    }
    if (!kind.takesRetryAndHeartbeat()) {
      for (String property : List.of("retry", "heartbeat")) {
        boolean set = property.equals("retry") ? spec.retry() != null : spec.heartbeat() != null;
        if (set) {
          out.errorAtKey(
              "not-applicable",
              node.pointer + "/" + property,
              property
                  + " applies to actions run as activities, not to the built-in "
                  + spec.action(),
              "remove it");
        }
      }
    }
    if (spec.blocking() != null && !node.action.background()) {
      out.errorAtKey(
          "not-applicable",
          node.pointer + "/blocking",
          "blocking applies only to notifications that run in the background ("
              + String.join(
                  ", ",
                  catalog.all().stream()
                      .filter(ActionDefinition::background)
                      .map(ActionDefinition::name)
                      .toList())
              + "), not to "
              + spec.action(),
          "remove it: a " + spec.action() + " step always blocks the steps after it");
    }
    params(node.action, spec.with(), node.pointer + "/with");
    DurationChecks.positive(spec.timeout(), node.pointer + "/timeout", out);
    DurationChecks.positive(spec.heartbeat(), node.pointer + "/heartbeat", out);
    DurationChecks.retry(spec.retry(), node.pointer + "/retry", out);
    kind.check(new Check(node));
  }

  /** Validates {@code with} against the action's parameter schema, then its target references. */
  void params(ActionDefinition action, ObjectNode with, String at) {
    JsonNode given = with == null ? JsonNodeFactory.instance.objectNode() : with;
    Diagnostics scratch = out.scratch();
    // Without a with, a missing parameter is reported at the step itself, which exists in the file.
    String base = with == null ? at.substring(0, at.lastIndexOf('/')) : at;
    params.of(action).validate(given, base, scratch);
    for (Diagnostic d : scratch.list()) {
      JsonNode offending = given.at(d.pointer().substring(base.length()));
      if (offending.isTextual()
          && offending.asText().contains("${{")
          && !d.code().equals("unknown-property")) {
        continue; // an expression: its type is checked by the expression checker
      }
      boolean atKey = d.code().equals("unknown-property") || d.code().equals("bad-name");
      out.add(
          d.severity(),
          d.code(),
          d.pointer(),
          atKey ? out.keyPosition(d.pointer()) : out.valuePosition(d.pointer()),
          d.message() + (d.code().equals("unknown-property") ? " for action " + action.name() : ""),
          d.hint());
    }
    for (Map.Entry<String, Set<String>> param : action.targetParams().entrySet()) {
      JsonNode value = given.get(param.getKey());
      if (value != null && value.isTextual() && !value.asText().contains("${{")) {
        targetName(value.asText(), param.getValue(), JsonPointers.child(at, param.getKey()));
      }
    }
  }

  /**
   * Checks that target {@code name} exists and, when {@code kinds} is not null, is of one of them.
   */
  void targetName(String name, Set<String> kinds, String at) {
    TargetSpec target = targets.get(name);
    if (target == null) {
      out.error(
          "unknown-target",
          at,
          "no target '" + name + "' in this runbook",
          targets.isEmpty() ? "declare it under targets" : DidYouMean.hint(name, targets.keySet()));
      return;
    }
    usedTargets.add(name);
    if (kinds != null && target.hasKind() && !kinds.contains(target.kind())) {
      out.error(
          "wrong-target-kind",
          at,
          "target '"
              + name
              + "' is a "
              + target.kind()
              + ", but this parameter takes a "
              + String.join(" or ", kinds),
          null);
    }
  }

  /** {@link StepCheck} over one step. */
  private final class Check implements StepCheck {
    private final StepNode node;

    Check(StepNode node) {
      this.node = node;
    }

    @Override
    public StepSpec spec() {
      return node.spec;
    }

    @Override
    public String pointer() {
      return node.pointer;
    }

    @Override
    public void error(String code, String pointer, String message, String hint) {
      out.error(code, pointer, message, hint);
    }

    @Override
    public void errorAtKey(String code, String pointer, String message, String hint) {
      out.errorAtKey(code, pointer, message, hint);
    }

    @Override
    public void positiveDuration(String text, String pointer) {
      DurationChecks.positive(text, pointer, out);
    }

    @Override
    public Optional<ActionDefinition> action(String name) {
      return catalog.find(name);
    }

    @Override
    public void unusableAction(String pointer, String message, String name) {
      out.error(
          "unknown-action",
          pointer,
          message,
          DidYouMean.closest(name, catalog.names())
              .map(s -> "did you mean '" + s + "'?")
              .orElse("drctl actions lists them"));
    }

    @Override
    public void params(ActionDefinition action, ObjectNode with, String pointer) {
      StepChecks.this.params(action, with, pointer);
    }

    @Override
    public void childIncident(String type, String pointer) {
      IncidentSpec child = incidents.get(type);
      if (child == null) {
        out.error(
            "unknown-incident",
            pointer,
            "no incident of type '" + type + "' in this runbook",
            DidYouMean.hint(type, incidents.keySet()));
        return;
      }
      IncidentInputChecks.check(
          child,
          node.spec.with().path("inputs"),
          node.pointer + "/with/inputs",
          node.pointer + "/with",
          true,
          out);
    }
  }
}
