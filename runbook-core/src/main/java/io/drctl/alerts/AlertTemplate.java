package io.drctl.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import io.drctl.expression.ExpressionScope;
import io.drctl.expression.ExpressionValues;
import io.drctl.expression.Template;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's value with its {@code ${{ }}} expressions checked at compile time: a literal, one
 * expression (which keeps its type), or text with expressions spliced in. Evaluated over one
 * alert's labels, annotations and identity. Immutable and thread-safe.
 */
public final class AlertTemplate {
  /** The variables an alert expression may read. */
  public static final List<String> VARIABLES =
      List.of("labels", "annotations", "alert.fingerprint", "alert.startsAt", "alert.status");

  private final ExpressionScope scope;
  private final JsonNode literal;
  private final Template template;
  private final List<CelAbstractSyntaxTree> expressions;

  private AlertTemplate(
      ExpressionScope scope,
      JsonNode literal,
      Template template,
      List<CelAbstractSyntaxTree> expressions) {
    this.scope = scope;
    this.literal = literal;
    this.template = template;
    this.expressions = List.copyOf(expressions);
  }

  /** A value without expressions. */
  public static AlertTemplate literal(JsonNode value) {
    return new AlertTemplate(null, value, null, List.of());
  }

  /** A template whose expression segments, in order, compiled to {@code expressions}. */
  public static AlertTemplate of(
      ExpressionScope scope, Template template, List<CelAbstractSyntaxTree> expressions) {
    return new AlertTemplate(scope, null, template, expressions);
  }

  /** The literal value, or null when the value holds expressions. */
  public JsonNode constant() {
    return literal;
  }

  /**
   * The value for {@code alert}.
   *
   * @throws AlertRoutingException when an expression fails, e.g. it reads a label the alert lacks
   */
  public JsonNode evaluate(Alert alert) throws AlertRoutingException {
    if (literal != null) {
      return literal;
    }
    Map<String, Object> values = new HashMap<>();
    values.put("labels", alert.labels());
    values.put("annotations", alert.annotations());
    values.put("alert.fingerprint", alert.fingerprint() == null ? "" : alert.fingerprint());
    values.put("alert.startsAt", alert.startsAt() == null ? "" : alert.startsAt());
    values.put("alert.status", alert.status());
    StringBuilder text = new StringBuilder();
    int next = 0;
    for (Template.Segment segment : template.segments()) {
      if (!segment.expression()) {
        text.append(segment.text());
        continue;
      }
      Object value;
      try {
        value = scope.evaluate(expressions.get(next++), values);
      } catch (dev.cel.runtime.CelEvaluationException e) {
        throw new AlertRoutingException("'" + segment.text() + "' failed: " + e.getMessage());
      }
      if (template.isSingleExpression()) {
        return ExpressionValues.toJson(value);
      }
      text.append(ExpressionValues.toText(value));
    }
    return JsonNodeFactory.instance.textNode(text.toString());
  }
}
