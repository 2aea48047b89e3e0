package io.drctl.compiler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.drctl.alerts.AlertRoute;
import io.drctl.alerts.AlertRouting;
import io.drctl.alerts.AlertTemplate;
import io.drctl.alerts.LabelMatcher;
import io.drctl.expression.ExpressionScope;
import io.drctl.expression.Template;
import io.drctl.plan.InputValues;
import io.drctl.runbook.AlertRouteSpec;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.InputSpec;
import io.drctl.source.JsonPointers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the runbook's {@code alerts} section after the schema has: matchers (regexes compile), the
 * incident and target each route names (with did-you-mean), the inputs it gives (known to the
 * incident, of its types, none required left out) and the labels its expressions read (one of the
 * route's matched or declared labels). Builds the {@link AlertRouting}. Pure.
 */
final class AlertRoutesCompiler {
  static final String DEFAULT_COOLDOWN = "15m";
  private static final ObjectMapper BINDER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Pattern LABEL_READ =
      Pattern.compile("(?<![A-Za-z0-9_.])labels\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final ExpressionScope SCOPE =
      ExpressionScope.builder()
          .add("labels", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .add("annotations", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .add("alert.fingerprint", SimpleType.STRING)
          .add("alert.startsAt", SimpleType.STRING)
          .add("alert.status", SimpleType.STRING)
          .build();

  private final Diagnostics out;
  private final Set<String> targets;
  private final Map<String, IncidentSpec> incidents;

  AlertRoutesCompiler(Diagnostics out, Set<String> targets, Map<String, IncidentSpec> incidents) {
    this.out = out;
    this.targets = targets;
    this.incidents = incidents;
  }

  /**
   * The routes of {@code root}'s alerts section; {@link AlertRouting#NONE} without one or with
   * errors.
   */
  AlertRouting compile(JsonNode root) {
    JsonNode routes = root.path("alerts").path("routes");
    if (!routes.isArray() || out.hasErrorsUnder("/alerts")) {
      return AlertRouting.NONE;
    }
    List<AlertRoute> compiled = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < routes.size(); i++) {
      String at = JsonPointers.child("/alerts/routes", i);
      AlertRouteSpec spec = bind(routes.get(i));
      String name = spec.name() != null ? spec.name() : "route-" + i;
      if (!names.add(name)) {
        out.error(
            "duplicate-route",
            at + "/name",
            "alert route name '" + name + "' is used twice",
            "give each route its own name");
      }
      AlertRoute route = route(spec, name, at);
      if (route != null) {
        compiled.add(route);
      }
    }
    return out.hasErrorsUnder("/alerts") ? AlertRouting.NONE : new AlertRouting(compiled, targets);
  }

  private AlertRoute route(AlertRouteSpec spec, String name, String at) {
    List<LabelMatcher> matchers = new ArrayList<>();
    Set<String> known = new TreeSet<>(spec.labelsOrEmpty());
    for (int m = 0; m < spec.match().size(); m++) {
      String pointer = at + "/match/" + m;
      try {
        LabelMatcher matcher = LabelMatcher.parse(spec.match().get(m));
        matchers.add(matcher);
        if (matcher.guaranteesLabel()) {
          known.add(matcher.label());
        }
      } catch (LabelMatcher.MatcherException e) {
        out.errorAt(
            "bad-matcher",
            pointer,
            out.positionInString(pointer, e.offset()),
            e.getMessage(),
            "write name=value, name!=value, name=~regex or name!~regex; a regex is Java's and matches the whole value");
      }
    }
    IncidentSpec incident = incidents.get(spec.incident()); // null also for one with schema errors
    if (!incidents.containsKey(spec.incident())) {
      out.error(
          "unknown-incident",
          at + "/incident",
          "the runbook has no incident '" + spec.incident() + "'",
          DidYouMean.hint(spec.incident(), incidents.keySet()));
    }
    AlertTemplate target =
        value(JsonNodeFactory.instance.textNode(spec.target()), at + "/target", known, "string");
    if (target != null
        && target.constant() != null
        && !targets.contains(target.constant().asText())) {
      out.error(
          "unknown-target",
          at + "/target",
          "the runbook has no target '" + spec.target() + "'",
          DidYouMean.hint(spec.target(), targets));
    }
    Map<String, AlertTemplate> inputs = new LinkedHashMap<>();
    if (incident != null) {
      Map<String, InputSpec> declared = incident.inputsOrEmpty();
      spec.inputsOrEmpty()
          .forEach(
              (input, value) -> {
                String pointer = JsonPointers.child(at + "/inputs", input);
                InputSpec type = declared.get(input);
                if (type == null) {
                  out.errorAtKey(
                      "unknown-input",
                      pointer,
                      "incident '" + incident.type() + "' has no input '" + input + "'",
                      declared.isEmpty()
                          ? "it takes no inputs"
                          : DidYouMean.hint(input, declared.keySet()));
                  return;
                }
                AlertTemplate compiled = value(value, pointer, known, type.type());
                if (compiled != null && compiled.constant() != null) {
                  checkLiteral(type, compiled.constant(), pointer, input);
                }
                inputs.put(input, compiled);
              });
      declared.forEach(
          (input, type) -> {
            if (type.mustBeGiven() && !spec.inputsOrEmpty().containsKey(input)) {
              out.error(
                  "missing-input",
                  at + "/incident",
                  "incident '"
                      + incident.type()
                      + "' requires input '"
                      + input
                      + "', which this route does not give",
                  "add it under inputs, e.g. from a label: \""
                      + input
                      + "\": \"${{ labels.NAME }}\"");
            }
          });
    }
    String cooldownText = spec.cooldown() == null ? DEFAULT_COOLDOWN : spec.cooldown();
    Duration cooldown = DurationChecks.any(cooldownText, at + "/cooldown", out);
    if (out.hasErrorsUnder(at) || target == null || cooldown == null) {
      return null;
    }
    return new AlertRoute(name, at, matchers, spec.incident(), target, inputs, cooldown);
  }

  private void checkLiteral(InputSpec type, JsonNode value, String pointer, String input) {
    try {
      InputValues.coerce(
          new InputSpec(
              type.type(), type.description(), null, null, type.allowed(), type.pattern()),
          value);
    } catch (IllegalArgumentException e) {
      out.error(
          "type-error",
          pointer,
          "input '" + input + "': " + e.getMessage(),
          "inputs of this incident: drctl explain");
    }
  }

  /** Compiles a value that may hold ${{ }} expressions; null after reporting an error. */
  private AlertTemplate value(
      JsonNode value, String pointer, Set<String> knownLabels, String expectedType) {
    if (!value.isTextual()) {
      return AlertTemplate.literal(value);
    }
    Template template;
    try {
      template = Template.parse(value.asText());
    } catch (Template.TemplateException e) {
      out.errorAt(
          "bad-expression",
          pointer,
          out.positionInString(pointer, e.offset()),
          e.getMessage(),
          "write an expression as ${{ expression }}");
      return null;
    }
    if (!template.hasExpressions()) {
      return AlertTemplate.literal(value);
    }
    List<CelAbstractSyntaxTree> asts = new ArrayList<>();
    for (Template.Segment segment : template.segments()) {
      if (!segment.expression()) {
        continue;
      }
      if (!labelsKnown(segment, pointer, knownLabels)) {
        return null;
      }
      ExpressionScope.Checked checked = SCOPE.check(segment.text());
      if (!checked.ok()) {
        CelIssue issue = checked.issues().get(0);
        out.errorAt(
            "bad-expression",
            pointer,
            out.positionInString(
                pointer, segment.offset() + Math.max(0, issue.getSourceLocation().getColumn())),
            "expression: " + issue.getMessage(),
            "an alert route's expressions read " + String.join(", ", AlertTemplate.VARIABLES));
        return null;
      }
      if (template.isSingleExpression() && !fits(checked.resultType().kind(), expectedType)) {
        out.errorAt(
            "type-error",
            pointer,
            out.positionInString(pointer, segment.offset()),
            "this value must be "
                + expectedType
                + ", but the expression is of type "
                + checked.resultType().name(),
            null);
        return null;
      }
      asts.add(checked.ast());
    }
    return AlertTemplate.of(SCOPE, template, asts);
  }

  /** labels.NAME must name a label the route is sure the alert has. */
  private boolean labelsKnown(Template.Segment segment, String pointer, Set<String> knownLabels) {
    Matcher m = LABEL_READ.matcher(ExpressionScope.blankStringLiterals(segment.text()));
    while (m.find()) {
      String label = m.group(1);
      if (!knownLabels.contains(label)) {
        out.errorAt(
            "unknown-label",
            pointer,
            out.positionInString(pointer, segment.offset() + m.start(1)),
            "the route is not sure its alerts carry label '" + label + "'",
            DidYouMean.closest(label, knownLabels).map(s -> "did you mean '" + s + "'? ").orElse("")
                + "match it ("
                + label
                + "=~\".+\") or list it under the route's labels");
        return false;
      }
    }
    return true;
  }

  private static boolean fits(CelKind kind, String expected) {
    if (kind == CelKind.DYN) {
      return true;
    }
    return switch (expected) {
      case "integer" -> kind == CelKind.INT || kind == CelKind.UINT;
      case "number" -> kind == CelKind.INT || kind == CelKind.UINT || kind == CelKind.DOUBLE;
      case "boolean" -> kind == CelKind.BOOL;
      case "timestamp" -> kind == CelKind.TIMESTAMP || kind == CelKind.STRING;
      case "duration" -> kind == CelKind.DURATION || kind == CelKind.STRING;
      default ->
          kind == CelKind.STRING
              || kind == CelKind.INT
              || kind == CelKind.UINT
              || kind == CelKind.DOUBLE
              || kind == CelKind.BOOL;
    };
  }

  private static AlertRouteSpec bind(JsonNode node) {
    try {
      return BINDER.treeToValue(node, AlertRouteSpec.class);
    } catch (IOException e) {
      throw new IllegalStateException(
          "a schema-valid alert route did not bind: " + e.getMessage(), e);
    }
  }
}
