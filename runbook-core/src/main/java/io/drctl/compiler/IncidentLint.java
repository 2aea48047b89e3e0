package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.runbook.IncidentSpec;
import io.drctl.source.JsonPointers;
import io.drctl.steps.StepKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * The lint rules of one incident: warnings (or errors, as the {@link LintPolicy} says) about legal
 * but risky runbooks.
 */
final class IncidentLint {
  private final LintPolicy lint;
  private final Diagnostics out;

  IncidentLint(LintPolicy lint, Diagnostics out) {
    this.lint = lint;
    this.out = out;
  }

  void check(
      IncidentSpec incident,
      String pointer,
      StepGraph graph,
      ExpressionChecker expressions,
      IncidentFacts facts) {
    for (StepNode node : graph.all()) {
      if (node.action != null && node.action.destructive() && !isGuarded(node, graph)) {
        lint.report(
            out,
            LintRule.DESTRUCTIVE_WITHOUT_GUARD,
            node.pointer + "/action",
            false,
            "step '"
                + node.id()
                + "' runs destructive action "
                + node.action.name()
                + " with no approval or safety copy before it",
            "add an approval step (or a safety copy such as postgres.snapshot) to its needs, or set with.force");
      }
      if (node.action != null && node.spec.with() != null) {
        for (String sql : templatedSql(node.spec.with(), node.pointer + "/with")) {
          lint.report(
              out,
              LintRule.TEMPLATE_IN_SQL,
              sql,
              false,
              "step '" + node.id() + "' splices ${{ }} into SQL text, where a value becomes code",
              "use postgres.query with $1, $2... in sql and the values in parameters");
        }
      }
      if (Boolean.FALSE.equals(facts.constantConditions.get(node))) {
        lint.report(
            out,
            LintRule.NEVER_RUNS,
            node.pointer + "/if",
            false,
            "the condition of step '" + node.id() + "' is always false",
            "remove the step or fix the condition");
      }
    }
    for (String input : incident.inputsOrEmpty().keySet()) {
      if (!expressions.usedInputs().contains(input)) {
        lint.report(
            out,
            LintRule.UNUSED_INPUT,
            JsonPointers.child(JsonPointers.child(pointer, "inputs"), input),
            true,
            "input '" + input + "' is never read",
            "read it as ${{ inputs." + input + " }}, or remove it");
      }
    }
    boolean touchesData =
        graph.all().stream()
            .anyMatch(
                n ->
                    n.action != null
                        && List.of("postgres", "redis", "backup").contains(n.action.prefix()));
    if (touchesData && incident.objectives() != null && incident.objectives().rpo() == null) {
      lint.report(
          out,
          LintRule.MISSING_RPO,
          JsonPointers.child(pointer, "objectives"),
          false,
          "incident '" + incident.type() + "' touches data but sets no rpo",
          "add objectives.rpo from the SLA table");
    }
  }

  /**
   * Pointers of the {@code sql} members, at any depth of {@code with}, that hold a {@code ${{ }}}.
   */
  private static List<String> templatedSql(JsonNode value, String pointer) {
    List<String> found = new ArrayList<>();
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        found.addAll(templatedSql(value.get(i), JsonPointers.child(pointer, i)));
      }
    } else if (value.isObject()) {
      value
          .fields()
          .forEachRemaining(
              member -> {
                String child = JsonPointers.child(pointer, member.getKey());
                if ("sql".equals(member.getKey())
                    && member.getValue().isTextual()
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
    return graph.ancestorsOf(node).stream()
        .anyMatch(
            a ->
                a.action != null
                    && (StepKinds.standard().of(a.action.kind()).guards() || a.action.guard()));
  }
}
