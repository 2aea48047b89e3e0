package io.drctl.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables an expression may read, each with its type, and a CEL environment over them.
 *
 * <p>Variables have qualified names such as {@code inputs.until} or {@code
 * steps.pick.output.backupId}; CEL resolves the dotted name as one variable, so the checker knows
 * each field's type. Immutable and thread-safe.
 */
public final class ExpressionScope {
  private final Map<String, CelType> variables;
  private final Cel cel;

  private ExpressionScope(Map<String, CelType> variables) {
    this.variables = Map.copyOf(variables);
    var builder = CelFactory.standardCelBuilder();
    variables.forEach(builder::addVar);
    this.cel = builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, CelType> variables() {
    return variables;
  }

  /** Parses and type-checks one expression. */
  public Checked check(String expression) {
    CelValidationResult result = cel.compile(expression);
    if (result.hasError()) {
      return new Checked(expression, null, result.getErrors());
    }
    try {
      return new Checked(expression, result.getAst(), List.of());
    } catch (dev.cel.common.CelValidationException e) {
      return new Checked(expression, null, e.getErrors());
    }
  }

  /** Evaluates a checked expression with the given variable values (keyed by qualified name). */
  public Object evaluate(CelAbstractSyntaxTree ast, Map<String, ?> values)
      throws dev.cel.runtime.CelEvaluationException {
    return cel.createProgram(ast).eval(values);
  }

  /** The outcome of checking one expression. */
  public record Checked(String source, CelAbstractSyntaxTree ast, List<CelIssue> issues) {
    public boolean ok() {
      return ast != null;
    }

    public CelType resultType() {
      return ast == null ? SimpleType.ERROR : ast.getResultType();
    }

    /** The qualified variable names the expression reads. */
    public Set<String> references() {
      Set<String> names = new TreeSet<>();
      if (ast != null) {
        for (CelReference reference : ast.getReferenceMap().values()) {
          if (!reference.name().isEmpty() && reference.overloadIds().isEmpty()) {
            names.add(reference.name());
          }
        }
      }
      return names;
    }
  }

  /** Collects variable declarations. */
  public static final class Builder {
    private final Map<String, CelType> variables = new LinkedHashMap<>();

    public Builder add(String name, CelType type) {
      variables.put(name, type);
      return this;
    }

    public Builder addAll(Map<String, CelType> more) {
      variables.putAll(more);
      return this;
    }

    public ExpressionScope build() {
      return new ExpressionScope(variables);
    }
  }
}
