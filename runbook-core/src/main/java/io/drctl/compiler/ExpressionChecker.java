package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.drctl.catalog.ActionDefinition;
import io.drctl.expression.ExpressionScope;
import io.drctl.expression.ExpressionTypes;
import io.drctl.expression.ExpressionValues;
import io.drctl.expression.Template;
import io.drctl.expression.Template.Segment;
import io.drctl.expression.Template.TemplateException;
import io.drctl.runbook.InputSpec;
import io.drctl.runbook.TargetSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the expressions of one incident: syntax, references, types, and that a step only reads
 * outputs of steps certainly finished before it. Folds expressions that read only targets and
 * constants into their values.
 */
final class ExpressionChecker {
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?<![A-Za-z0-9_.])(inputs|steps|targets|incident|result)((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)(-[A-Za-z0-9_-]+)?");
  static final Set<String> INCIDENT_FIELDS = Set.of("id", "type", "startedAt", "startedBy");

  private final Diagnostics out;
  private final StepGraph graph;
  private final Map<String, InputSpec> inputs;
  private final Map<String, TargetSpec> targets;
  private final ExpressionScope scope;
  private final Map<String, Object> constants = new HashMap<>();
  private final Set<String> usedInputs = new TreeSet<>();
  private final Set<String> usedTargets = new TreeSet<>();
  private final Set<String> readSteps = new TreeSet<>();

  ExpressionChecker(
      Diagnostics out,
      StepGraph graph,
      Map<String, InputSpec> inputs,
      Map<String, TargetSpec> targets) {
    this.out = out;
    this.graph = graph;
    this.inputs = inputs;
    this.targets = targets;
    ExpressionScope.Builder builder = ExpressionScope.builder();
    inputs.forEach(
        (name, input) -> builder.add("inputs." + name, ExpressionTypes.ofInputType(input.type())));
    targets.forEach(
        (name, target) ->
            target
                .publicFields()
                .forEach(
                    (field, value) -> {
                      String variable = "targets." + name + "." + field;
                      builder.add(variable, typeOfValue(value));
                      constants.put(variable, ExpressionValues.fromJson(value));
                    }));
    for (StepNode node : graph.all()) {
      builder.add("steps." + node.id() + ".outcome", SimpleType.STRING);
      if (node.action != null) {
        node.action
            .outputFields()
            .forEach(
                (field, type) ->
                    builder.add(
                        "steps." + node.id() + ".output." + field,
                        ExpressionTypes.ofJsonType(type)));
      }
    }
    builder.add("escalation.reason", SimpleType.STRING).add("escalation.step", SimpleType.STRING);
    builder
        .add("incident.id", SimpleType.STRING)
        .add("incident.type", SimpleType.STRING)
        .add("incident.startedAt", SimpleType.TIMESTAMP)
        .add("incident.startedBy", SimpleType.STRING);
    this.scope = builder.build();
  }

  Set<String> usedInputs() {
    return usedInputs;
  }

  Set<String> usedTargets() {
    return usedTargets;
  }

  /** Ids of the steps some expression reads, as steps.ID.output or steps.ID.outcome. */
  Set<String> readSteps() {
    return readSteps;
  }

  /** Result of checking a condition: its folded constant value when it has one. */
  record Condition(boolean ok, Boolean constant) {}

  /**
   * Checks an {@code if}-like condition at {@code pointer}. {@code resultOf} is the action whose
   * output the condition may read as {@code result.FIELD} (waitUntil), or null.
   */
  Condition checkCondition(StepNode step, String text, String pointer, ActionDefinition resultOf) {
    Segment segment;
    try {
      segment = Template.condition(text);
    } catch (TemplateException e) {
      out.errorAt(
          "bad-expression",
          pointer,
          out.positionInString(pointer, e.offset()),
          e.getMessage(),
          null);
      return new Condition(false, null);
    }
    ExpressionScope local = resultOf == null ? scope : withResult(resultOf);
    ExpressionScope.Checked checked = check(step, segment, pointer, local, resultOf);
    if (checked == null) {
      return new Condition(false, null);
    }
    CelType type = checked.resultType();
    if (type.kind() != CelKind.BOOL && type.kind() != CelKind.DYN) {
      out.errorAt(
          "type-error",
          pointer,
          out.positionInString(pointer, segment.offset()),
          "a condition must be true or false, but this expression is of type " + type.name(),
          "compare it, e.g. " + segment.text() + " == ...");
      return new Condition(false, null);
    }
    Object constant = fold(checked, local);
    return new Condition(true, constant instanceof Boolean b ? b : null);
  }

  /**
   * Checks every template string in {@code value} (recursively) and returns the value with constant
   * expressions folded. {@code expectedTypes} maps top-level parameter names to their JSON Schema
   * type, for single-expression values.
   */
  JsonNode checkTemplates(
      StepNode step, JsonNode value, String pointer, Map<String, String> expectedTypes) {
    if (value == null) {
      return null;
    }
    if (value.isTextual()) {
      return checkTemplate(
          step, value.asText(), pointer, expectedTypes == null ? null : expectedTypes.get(""));
    }
    if (value.isObject()) {
      var copy = JsonNodeFactory.instance.objectNode();
      value
          .fields()
          .forEachRemaining(
              field -> {
                String childPointer =
                    pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                Map<String, String> childTypes =
                    expectedTypes == null || !expectedTypes.containsKey(field.getKey())
                        ? null
                        : Map.of("", expectedTypes.get(field.getKey()));
                copy.set(
                    field.getKey(),
                    checkTemplates(step, field.getValue(), childPointer, childTypes));
              });
      return copy;
    }
    if (value.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < value.size(); i++) {
        copy.add(checkTemplates(step, value.get(i), pointer + "/" + i, null));
      }
      return copy;
    }
    return value;
  }

  private JsonNode checkTemplate(StepNode step, String text, String pointer, String expectedType) {
    Template template;
    try {
      template = Template.parse(text);
    } catch (TemplateException e) {
      out.errorAt(
          "bad-expression",
          pointer,
          out.positionInString(pointer, e.offset()),
          e.getMessage(),
          "write an expression as ${{ expression }}, or $${{ for a literal ${{");
      return JsonNodeFactory.instance.textNode(text);
    }
    if (!template.hasExpressions()) {
      return JsonNodeFactory.instance.textNode(text);
    }
    boolean allConstant = true;
    StringBuilder folded = new StringBuilder();
    Object single = null;
    for (Segment segment : template.segments()) {
      if (!segment.expression()) {
        folded.append(segment.text().replace("${{", "$${{")); // still literal after folding
        continue;
      }
      ExpressionScope.Checked checked = check(step, segment, pointer, scope, null);
      if (checked == null) {
        allConstant = false;
        continue;
      }
      if (template.isSingleExpression() && expectedType != null) {
        checkExpectedType(checked.resultType(), expectedType, pointer, segment);
      }
      Object constant = fold(checked, scope);
      if (constant == null) {
        allConstant = false;
      } else {
        single = constant;
        folded.append(ExpressionValues.toText(constant));
      }
    }
    if (!allConstant) {
      return JsonNodeFactory.instance.textNode(text);
    }
    return template.isSingleExpression()
        ? ExpressionValues.toJson(single)
        : JsonNodeFactory.instance.textNode(folded.toString());
  }

  private void checkExpectedType(CelType actual, String expected, String pointer, Segment segment) {
    CelKind kind = actual.kind();
    if (kind == CelKind.DYN || kind == CelKind.ERROR) {
      return;
    }
    boolean fits =
        switch (expected) {
          case "integer" -> kind == CelKind.INT || kind == CelKind.UINT;
          case "number" -> kind == CelKind.INT || kind == CelKind.UINT || kind == CelKind.DOUBLE;
          case "boolean" -> kind == CelKind.BOOL;
          case "array" -> kind == CelKind.LIST;
          case "object" -> kind == CelKind.MAP;
          case "string" -> kind != CelKind.LIST && kind != CelKind.MAP;
          default -> true;
        };
    if (!fits) {
      out.errorAt(
          "type-error",
          pointer,
          out.positionInString(pointer, segment.offset()),
          "this parameter takes " + expected + ", but the expression is of type " + actual.name(),
          null);
    }
  }

  private ExpressionScope withResult(ActionDefinition polled) {
    ExpressionScope.Builder builder = ExpressionScope.builder().addAll(scope.variables());
    polled
        .outputFields()
        .forEach((field, type) -> builder.add("result." + field, ExpressionTypes.ofJsonType(type)));
    return builder.build();
  }

  /** Checks references, syntax and types; null when an error was reported. */
  private ExpressionScope.Checked check(
      StepNode step,
      Segment segment,
      String pointer,
      ExpressionScope local,
      ActionDefinition resultOf) {
    if (!checkReferences(step, segment, pointer, resultOf)) {
      return null;
    }
    ExpressionScope.Checked checked = local.check(segment.text());
    if (!checked.ok()) {
      CelIssue issue = checked.issues().get(0);
      int column = Math.max(0, issue.getSourceLocation().getColumn());
      String message = issue.getMessage();
      boolean syntax =
          message.contains("mismatched input")
              || message.contains("Syntax error")
              || message.contains("token recognition")
              || message.contains("extraneous input");
      out.errorAt(
          syntax ? "bad-expression" : "type-error",
          pointer,
          out.positionInString(pointer, segment.offset() + column),
          (syntax ? "expression syntax: " : "expression: ") + message,
          syntax
              ? "expressions are CEL (https://cel.dev): e.g. steps.pick.output.sizeBytes > 0 && inputs.force"
              : null);
      return null;
    }
    for (String name : checked.references()) {
      if (name.startsWith("steps.")) {
        String id = name.split("\\.")[1];
        readSteps.add(id);
        StepNode read = graph.byId.get(id);
        if (read != null && read == step) {
          out.errorAt(
              "not-yet-run",
              pointer,
              out.positionInString(
                  pointer, segment.offset() + segment.text().indexOf("steps." + id)),
              "step '"
                  + id
                  + "' reads its own "
                  + name.substring(("steps." + id + ".").length())
                  + ", which does not exist yet",
              "read outputs of earlier steps only; a waitUntil reads the polled action's output as result.FIELD");
          return null;
        }
        if (read != null && step != null && step.ancestors != null && !step.runsAfter(read)) {
          out.errorAt(
              "not-yet-run",
              pointer,
              out.positionInString(
                  pointer, segment.offset() + segment.text().indexOf("steps." + id)),
              "step '"
                  + step.id()
                  + "' reads "
                  + name
                  + ", but step '"
                  + id
                  + "' is not certain to have run before it",
              "add '"
                  + id
                  + "' to the needs of '"
                  + step.id()
                  + "' (or move it earlier in the list)");
          return null;
        }
      } else if (name.startsWith("inputs.")) {
        usedInputs.add(name.substring("inputs.".length()));
      } else if (name.startsWith("targets.")) {
        usedTargets.add(name.split("\\.")[1]);
      }
    }
    return checked;
  }

  /** Friendly errors for names that do not exist, before CEL's generic "undeclared reference". */
  private boolean checkReferences(
      StepNode step, Segment segment, String pointer, ActionDefinition resultOf) {
    String code = ExpressionScope.blankStringLiterals(segment.text());
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String[] parts = m.group(2).isEmpty() ? new String[0] : m.group(2).substring(1).split("\\.");
      String problem = null;
      String hint = null;
      String root = m.group(1);
      if (m.group(3) != null
          && parts.length == 1
          && (root.equals("steps") || root.equals("targets"))) {
        String kind = root.equals("steps") ? "step" : "target";
        problem =
            "'"
                + parts[0]
                + m.group(3)
                + "' cannot be read in an expression: '-' is subtraction in CEL";
        hint =
            "rename the "
                + kind
                + " to use '_' instead of '-', e.g. '"
                + (parts[0] + m.group(3)).replace('-', '_')
                + "'";
      } else if (parts.length == 0) {
        problem =
            "'"
                + root
                + "' needs a field, e.g. "
                + root
                + (root.equals("steps") ? ".ID.output.FIELD" : ".NAME");
      } else {
        switch (root) {
          case "inputs" -> {
            if (!inputs.containsKey(parts[0])) {
              problem = "the incident has no input '" + parts[0] + "'";
              hint =
                  inputs.isEmpty()
                      ? "declare it under the incident's inputs"
                      : DidYouMean.hint(parts[0], inputs.keySet());
            }
          }
          case "targets" -> {
            TargetSpec target = targets.get(parts[0]);
            if (target == null) {
              problem = "the runbook has no target '" + parts[0] + "'";
              hint = DidYouMean.hint(parts[0], targets.keySet());
            } else if (parts.length < 2) {
              problem =
                  "targets." + parts[0] + " needs a field, e.g. targets." + parts[0] + ".host";
            } else if (!target.publicFields().containsKey(parts[1])) {
              problem = "target '" + parts[0] + "' has no readable field '" + parts[1] + "'";
              hint =
                  TargetSpec.SECRET_PROPERTIES.contains(parts[1])
                      ? "secrets are never readable in expressions"
                      : DidYouMean.hint(parts[1], target.publicFields().keySet());
            }
          }
          case "incident" -> {
            if (!INCIDENT_FIELDS.contains(parts[0])) {
              problem = "incident has no field '" + parts[0] + "'";
              hint = DidYouMean.hint(parts[0], INCIDENT_FIELDS);
            }
          }
          case "result" -> {
            if (resultOf == null) {
              problem = "'result' exists only in the until condition of a waitUntil step";
            } else if (!resultOf.outputFields().containsKey(parts[0])) {
              problem = "action " + resultOf.name() + " has no output '" + parts[0] + "'";
              hint = DidYouMean.hint(parts[0], resultOf.outputFields().keySet());
            }
          }
          default -> {
            StepNode read = graph.byId.get(parts[0]);
            if (read == null) {
              problem = "no step '" + parts[0] + "' in this incident";
              hint = DidYouMean.hint(parts[0], graph.byId.keySet());
            } else if (parts.length < 2
                || !(parts[1].equals("output") || parts[1].equals("outcome"))) {
              problem =
                  "read a step as steps."
                      + parts[0]
                      + ".output.FIELD or steps."
                      + parts[0]
                      + ".outcome";
            } else if (parts[1].equals("output") && read.action != null) {
              if (parts.length < 3) {
                problem = "steps." + parts[0] + ".output needs a field";
                hint = fieldsHint(read.action);
              } else if (!read.action.outputFields().containsKey(parts[2])) {
                problem =
                    "step '"
                        + parts[0]
                        + "' ("
                        + read.action.name()
                        + ") has no output '"
                        + parts[2]
                        + "'";
                hint =
                    DidYouMean.closest(parts[2], read.action.outputFields().keySet())
                        .map(s -> "did you mean '" + s + "'?")
                        .orElse(fieldsHint(read.action));
              }
            }
          }
        }
      }
      if (problem != null) {
        out.errorAt(
            "unknown-reference",
            pointer,
            out.positionInString(pointer, segment.offset() + m.start()),
            problem,
            hint);
        return false;
      }
    }
    return true;
  }

  private static String fieldsHint(ActionDefinition action) {
    Set<String> fields = action.outputFields().keySet();
    return fields.isEmpty()
        ? action.name() + " has no outputs"
        : action.name() + " outputs: " + String.join(", ", new TreeSet<>(fields));
  }

  /** Evaluates expressions that read only targets and constants; null when not constant. */
  private Object fold(ExpressionScope.Checked checked, ExpressionScope local) {
    for (String name : checked.references()) {
      if (!constants.containsKey(name)) {
        return null;
      }
    }
    try {
      return local.evaluate(checked.ast(), constants);
    } catch (dev.cel.runtime.CelEvaluationException e) {
      return null;
    }
  }

  private static CelType typeOfValue(JsonNode value) {
    if (value.isIntegralNumber()) return SimpleType.INT;
    if (value.isNumber()) return SimpleType.DOUBLE;
    if (value.isBoolean()) return SimpleType.BOOL;
    return SimpleType.STRING;
  }

  static List<String> incidentFields() {
    return List.copyOf(new TreeSet<>(INCIDENT_FIELDS));
  }
}
