package io.drctl.expression;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables an expression may read, each with its type, and a CEL environment over them.
 *
 * <p>Variables have qualified names such as {@code inputs.until} or {@code
 * steps.pick.output.backupId}; CEL resolves the dotted name as one variable, so the checker knows
 * each field's type. Immutable and thread-safe.
 */
public final class ExpressionScope {
  static final Pattern QUALIFIED_NAME =
      Pattern.compile("(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final Map<String, CelType> variables;

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
   * Parses and type-checks one expression. Only the variables the expression names are declared to
   * CEL: its checker copies every declaration on each compile, and an incident of thousands of
   * steps declares tens of thousands.
   *
   * <p>CEL-java's checker rebuilds its standard-library environment on every compile (most of a
   * compile's time), so results are cached for the life of the JVM: the checked AST by the
   * expression and the types of the variables it names, and the result type and references by the
   * <em>normalised</em> expression, in which each variable is replaced by a placeholder ({@code
   * steps.a.outcome == 'ok'} and {@code steps.b.outcome == 'ok'} are one entry). The expression's
   * own AST is then checked only when {@link Checked#ast()} is asked for it.
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
    Map<String, CelType> declared = new LinkedHashMap<>();
    needed.forEach(name -> declared.put(name, variables.get(name)));
    CheckCache.Normalised normalised = CheckCache.normalise(expression, declared);
    if (normalised != null) {
      CheckCache.Shape shape = CheckCache.shape(normalised);
      if (shape != null) {
        return new Checked(
            expression,
            () -> checkExactly(expression, declared),
            shape.resultType(),
            shape.references(normalised.variables()));
      }
    }
    return checkExactly(expression, declared);
  }

  /** The expression's own checked AST (cached by the expression and its variables' types). */
  private static Checked checkExactly(String expression, Map<String, CelType> declared) {
    return CheckCache.exact(
        expression,
        declared,
        () -> {
          CelValidationResult result = CheckCache.environment(declared).compile(expression);
          if (result.hasError()) {
            return Checked.failed(expression, result.getErrors());
          }
          try {
            return Checked.of(expression, result.getAst());
          } catch (dev.cel.common.CelValidationException e) {
            return Checked.failed(expression, e.getErrors());
          }
        });
  }

  /** Evaluates a checked expression with the given variable values (keyed by qualified name). */
  public Object evaluate(CelAbstractSyntaxTree ast, Map<String, ?> values)
      throws dev.cel.runtime.CelEvaluationException {
    return RUNTIME.createProgram(ast).eval(values);
  }

  /** Dotted identifiers outside string literals: the candidates for variable names. */
  static Set<String> namesIn(String expression) {
    java.util.SortedSet<String> names = new TreeSet<>();
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

  /**
   * The outcome of checking one expression: its result type and the variables it reads, and its
   * checked AST (checked on first use when the outcome came from the normalised cache).
   */
  public static final class Checked {
    private final String source;
    private final java.util.function.Supplier<Checked> exact;
    private final CelType resultType;
    private final Set<String> references;
    private final List<CelIssue> issues;
    private volatile CelAbstractSyntaxTree ast;

    private Checked(
        String source,
        java.util.function.Supplier<Checked> exact,
        CelType resultType,
        Set<String> references) {
      this.source = source;
      this.exact = exact;
      this.resultType = resultType;
      this.references = references;
      this.issues = List.of();
    }

    private Checked(String source, CelAbstractSyntaxTree ast, List<CelIssue> issues) {
      this.source = source;
      this.exact = null;
      this.ast = ast;
      this.resultType = ast == null ? SimpleType.ERROR : ast.getResultType();
      this.references = ast == null ? Set.of() : referencesOf(ast);
      this.issues = List.copyOf(issues);
    }

    static Checked of(String source, CelAbstractSyntaxTree ast) {
      return new Checked(source, ast, List.of());
    }

    static Checked failed(String source, List<CelIssue> issues) {
      return new Checked(source, null, issues);
    }

    public String source() {
      return source;
    }

    public boolean ok() {
      return exact != null || ast != null;
    }

    /** Why the expression does not check; empty when {@link #ok()}. */
    public List<CelIssue> issues() {
      return issues;
    }

    public CelType resultType() {
      return resultType;
    }

    /** The checked AST, to evaluate; null when not {@link #ok()}. */
    public CelAbstractSyntaxTree ast() {
      CelAbstractSyntaxTree result = ast;
      if (result == null && exact != null) {
        result = exact.get().ast;
        if (result == null) {
          throw new IllegalStateException("'" + source + "' checked in its normalised form only");
        }
        ast = result;
      }
      return result;
    }

    /** The qualified variable names the expression reads. */
    public Set<String> references() {
      return references;
    }

    static Set<String> referencesOf(CelAbstractSyntaxTree ast) {
      java.util.SortedSet<String> names = new TreeSet<>();
      for (CelReference reference : ast.getReferenceMap().values()) {
        if (!reference.name().isEmpty() && reference.overloadIds().isEmpty()) {
          names.add(reference.name());
        }
      }
      return java.util.Collections.unmodifiableSortedSet(names);
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
