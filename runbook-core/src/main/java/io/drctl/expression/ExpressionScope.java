package io.drctl.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final Map<String, CelType> variables;
  /** CEL environments by the variables they declare; an incident's expressions share few sets. */
  private final Map<Set<String>, Cel> environments = new ConcurrentHashMap<>();

  /** For each dotted prefix of a variable name (e.g. steps.pick), the variables under it. */
  private final Map<String, List<String>> byPrefix = new HashMap<>();

  private ExpressionScope(Map<String, CelType> variables) {
    this.variables = Map.copyOf(variables);
    for (String variable : variables.keySet()) {
      for (int dot = variable.indexOf('.'); dot > 0; dot = variable.indexOf('.', dot + 1)) {
        byPrefix.computeIfAbsent(variable.substring(0, dot), k -> new ArrayList<>()).add(variable);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, CelType> variables() {
    return variables;
  }

  /**
   * Parses and type-checks one expression. Only the variables the expression names are declared
   * to CEL: its checker copies every declaration on each compile, and an incident of thousands of
   * steps declares tens of thousands.
   */
  public Checked check(String expression) {
    Set<String> needed = new TreeSet<>();
    for (String name : namesIn(expression)) {
      // the name itself, a variable it reads a field of, or the variables below it
      for (int end = name.length(); end > 0; end = name.lastIndexOf('.', end - 1)) {
        String prefix = name.substring(0, end);
        if (variables.containsKey(prefix)) {
          needed.add(prefix);
        }
      }
      needed.addAll(byPrefix.getOrDefault(name, List.of()));
    }
    Cel cel = environments.computeIfAbsent(needed, keys -> {
      var builder = CelFactory.standardCelBuilder();
      keys.forEach(key -> builder.addVar(key, variables.get(key)));
      return builder.build();
    });
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
    return RUNTIME.createProgram(ast).eval(values);
  }

  /** Dotted identifiers outside string literals: the candidates for variable names. */
  static Set<String> namesIn(String expression) {
    Set<String> names = new TreeSet<>();
    Matcher m = QUALIFIED_NAME.matcher(blankStringLiterals(expression));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** The expression with the contents of string literals replaced by spaces (same length). */
  public static String blankStringLiterals(String code) {
    StringBuilder result = new StringBuilder(code.length());
    char quote = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (quote == 0) {
        if (c == '"' || c == '\'') {
          quote = c;
        }
        result.append(c);
      } else if (c == '\\' && i + 1 < code.length()) {
        result.append("  ");
        i++;
      } else if (c == quote) {
        quote = 0;
        result.append(c);
      } else {
        result.append(' ');
      }
    }
    return result.toString();
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
