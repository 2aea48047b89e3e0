package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.drctl.expression.ExpressionScope;
import io.drctl.expression.ExpressionTypes;
import io.drctl.expression.ExpressionValues;
import io.drctl.expression.Template;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.runbook.InputSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Evaluates a plan's expressions at run time against the incident's inputs, targets and the outputs
 * of finished steps. Types were checked by the compiler; here step outputs are maps. Deterministic:
 * safe in workflow code.
 */
final class Evaluator {
  private static final CelType OUTPUT = MapType.create(SimpleType.STRING, SimpleType.DYN);
  private final Plan plan;
  private final ExpressionScope scope;
  private final ExpressionScope resultScope;

  Evaluator(Plan plan, Iterable<String> stepIds) {
    this.plan = plan;
    ExpressionScope.Builder builder = ExpressionScope.builder();
    plan.inputs()
        .forEach(
            (name, input) ->
                builder.add("inputs." + name, ExpressionTypes.ofInputType(input.type())));
    plan.targets()
        .forEach(
            (name, target) ->
                target
                    .publicFields()
                    .forEach(
                        (field, value) ->
                            builder.add(
                                "targets." + name + "." + field,
                                value.isIntegralNumber()
                                    ? SimpleType.INT
                                    : value.isNumber()
                                        ? SimpleType.DOUBLE
                                        : value.isBoolean()
                                            ? SimpleType.BOOL
                                            : SimpleType.STRING)));
    for (String id : stepIds) {
      builder
          .add("steps." + id + ".output", OUTPUT)
          .add("steps." + id + ".outcome", SimpleType.STRING);
    }
    builder.add("escalation.reason", SimpleType.STRING).add("escalation.step", SimpleType.STRING);
    builder
        .add("incident.id", SimpleType.STRING)
        .add("incident.type", SimpleType.STRING)
        .add("incident.startedAt", SimpleType.TIMESTAMP)
        .add("incident.startedBy", SimpleType.STRING);
    this.scope = builder.build();
    this.resultScope =
        ExpressionScope.builder().addAll(scope.variables()).add("result", OUTPUT).build();
  }

  boolean condition(String expression, IncidentState state, JsonNode result)
      throws ExpressionException {
    Template.Segment segment;
    try {
      segment = Template.condition(expression);
    } catch (Template.TemplateException e) {
      throw new ExpressionException("condition '" + expression + "': " + e.getMessage());
    }
    Object value = evaluate(segment.text(), state, result);
    if (!(value instanceof Boolean b)) {
      throw new ExpressionException(
          "condition '" + expression + "' gave " + value + ", not true or false");
    }
    return b;
  }

  /** Evaluates every template string in {@code value}, recursively. */
  JsonNode templates(JsonNode value, IncidentState state) throws ExpressionException {
    return templates(value, state, "", "");
  }

  /** The same, with escalation.reason and escalation.step set. */
  JsonNode templates(JsonNode value, IncidentState state, String reason, String step)
      throws ExpressionException {
    String previousReason = escalationReason;
    String previousStep = escalationStep;
    escalationReason = reason == null ? "" : reason;
    escalationStep = step == null ? "" : step;
    try {
      return walk(value, state);
    } finally {
      escalationReason = previousReason;
      escalationStep = previousStep;
    }
  }

  private String escalationReason = "";
  private String escalationStep = "";

  private JsonNode walk(JsonNode value, IncidentState state) throws ExpressionException {
    if (value == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (value.isTextual()) {
      return template(value.asText(), state);
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), walk(field.getValue(), state));
      }
      return copy;
    }
    if (value.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : value) {
        copy.add(walk(item, state));
      }
      return copy;
    }
    return value;
  }

  private JsonNode template(String text, IncidentState state) throws ExpressionException {
    Template template;
    try {
      template = Template.parse(text);
    } catch (Template.TemplateException e) {
      throw new ExpressionException("'" + text + "': " + e.getMessage());
    }
    if (!template.hasExpressions()) {
      return JsonNodeFactory.instance.textNode(
          template.segments().isEmpty() ? "" : literal(template));
    }
    if (template.isSingleExpression()) {
      return ExpressionValues.toJson(evaluate(template.segments().get(0).text(), state, null));
    }
    StringBuilder out = new StringBuilder();
    for (Template.Segment segment : template.segments()) {
      out.append(
          segment.expression()
              ? ExpressionValues.toText(evaluate(segment.text(), state, null))
              : segment.text());
    }
    return JsonNodeFactory.instance.textNode(out.toString());
  }

  private static String literal(Template template) {
    StringBuilder out = new StringBuilder();
    template.segments().forEach(s -> out.append(s.text()));
    return out.toString();
  }

  private Object evaluate(String expression, IncidentState state, JsonNode result)
      throws ExpressionException {
    ExpressionScope local = result == null ? scope : resultScope;
    ExpressionScope.Checked checked = local.check(expression);
    if (!checked.ok()) {
      throw new ExpressionException(
          "expression '" + expression + "': " + checked.issues().get(0).getMessage());
    }
    Map<String, Object> values = values(state);
    if (result != null) {
      values.put("result", ExpressionValues.fromJson(result));
    }
    try {
      return local.evaluate(checked.ast(), values);
    } catch (dev.cel.runtime.CelEvaluationException e) {
      throw new ExpressionException("expression '" + expression + "': " + e.getMessage());
    }
  }

  private Map<String, Object> values(IncidentState state) {
    Map<String, Object> values = new HashMap<>();
    plan.inputs()
        .forEach(
            (name, input) -> {
              JsonNode value = state.inputs.get(name);
              if (value != null && !value.isNull()) {
                values.put("inputs." + name, inputValue(input, value));
              }
            });
    plan.targets()
        .forEach(
            (name, target) ->
                target
                    .publicFields()
                    .forEach(
                        (field, value) ->
                            values.put(
                                "targets." + name + "." + field,
                                ExpressionValues.fromJson(value))));
    state.steps.forEach(
        (id, run) -> {
          values.put("steps." + id + ".outcome", run.status.json());
          values.put(
              "steps." + id + ".output",
              ExpressionValues.fromJson(
                  run.output == null ? JsonNodeFactory.instance.objectNode() : run.output));
        });
    values.put("escalation.reason", escalationReason);
    values.put("escalation.step", escalationStep);
    values.put("incident.id", state.incidentId);
    values.put("incident.type", plan.type());
    values.put("incident.startedAt", Instant.ofEpochMilli(state.startedMillis));
    values.put("incident.startedBy", state.startedBy == null ? "" : state.startedBy);
    return values;
  }

  private static Object inputValue(InputSpec input, JsonNode value) {
    return switch (input.type()) {
      case "timestamp" -> Instant.parse(value.asText());
      case "duration" -> Durations.parse(value.asText());
      default -> ExpressionValues.fromJson(value);
    };
  }
}
