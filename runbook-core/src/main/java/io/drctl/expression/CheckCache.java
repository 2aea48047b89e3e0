package io.drctl.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * What {@link ExpressionScope#check} keeps between calls, for the life of the JVM: CEL environments
 * by their declarations, checked ASTs by expression and declarations, and the outcome (result type,
 * variables read) of normalised expressions. Each map is cleared when it reaches {@value
 * #MAX_ENTRIES} entries. Thread-safe.
 */
final class CheckCache {
  private static final int MAX_ENTRIES = 20_000;
  private static final Map<String, Cel> ENVIRONMENTS = new ConcurrentHashMap<>();
  private static final Map<String, ExpressionScope.Checked> EXACT = new ConcurrentHashMap<>();
  private static final Map<String, Optional<Shape>> SHAPES = new ConcurrentHashMap<>();

  private CheckCache() {}

  /**
   * An expression with each variable it reads replaced by {@code __vN__} (N in order of first use),
   * and the variables in that order with their types.
   */
  record Normalised(String text, List<String> variables, List<CelType> types) {}

  /** The result type of a normalised expression and the placeholders it reads. */
  record Shape(CelType resultType, Set<String> placeholders) {
    /** The qualified names read, given the normalised expression's variables in order. */
    Set<String> references(List<String> variables) {
      java.util.SortedSet<String> names = new TreeSet<>();
      for (String placeholder : placeholders) {
        names.add(variables.get(index(placeholder)));
      }
      return java.util.Collections.unmodifiableSortedSet(names);
    }
  }

  /**
   * The normalised form of {@code expression}, each dotted name replaced up to its longest prefix
   * that {@code declared} holds (as CEL resolves qualified names); null where the replacement could
   * change what the expression means: a {@code has()} macro (it needs a field selection) or a name
   * that already looks like a placeholder.
   */
  static Normalised normalise(String expression, Map<String, CelType> declared) {
    if (expression.contains("has(") || expression.contains("__")) {
      return null;
    }
    Matcher m =
        ExpressionScope.QUALIFIED_NAME.matcher(ExpressionScope.blankStringLiterals(expression));
    StringBuilder text = new StringBuilder(expression.length());
    Map<String, String> placeholders = new LinkedHashMap<>();
    List<CelType> types = new ArrayList<>();
    int copied = 0;
    while (m.find()) {
      String name = m.group();
      for (int end = name.length(); end > 0; end = name.lastIndexOf('.', end - 1)) {
        String variable = name.substring(0, end);
        CelType type = declared.get(variable);
        if (type != null) {
          String placeholder =
              placeholders.computeIfAbsent(
                  variable,
                  v -> {
                    types.add(type);
                    return "__v" + (types.size() - 1) + "__";
                  });
          text.append(expression, copied, m.start()).append(placeholder);
          copied = m.start() + end;
          break;
        }
      }
    }
    text.append(expression, copied, expression.length());
    return new Normalised(text.toString(), List.copyOf(placeholders.keySet()), List.copyOf(types));
  }

  /** The outcome of checking a normalised expression; null when it does not check. */
  static Shape shape(Normalised normalised) {
    Map<String, CelType> declared = new LinkedHashMap<>();
    for (int i = 0; i < normalised.types().size(); i++) {
      declared.put("__v" + i + "__", normalised.types().get(i));
    }
    String key = normalised.text() + '\u0000' + signature(declared);
    Optional<Shape> shape = SHAPES.get(key);
    if (shape == null) {
      CelValidationResult result = environment(declared).compile(normalised.text());
      shape = Optional.empty();
      if (!result.hasError()) {
        try {
          var ast = result.getAst();
          shape =
              Optional.of(
                  new Shape(ast.getResultType(), ExpressionScope.Checked.referencesOf(ast)));
        } catch (dev.cel.common.CelValidationException e) {
          shape = Optional.empty();
        }
      }
      bounded(SHAPES).put(key, shape);
    }
    return shape.orElse(null);
  }

  /**
   * The checked AST of {@code expression} under {@code declared}, from the cache or {@code check}.
   */
  static ExpressionScope.Checked exact(
      String expression, Map<String, CelType> declared, Supplier<ExpressionScope.Checked> check) {
    String key = expression + '\u0000' + signature(declared);
    ExpressionScope.Checked checked = EXACT.get(key);
    if (checked == null) {
      checked = check.get();
      bounded(EXACT).put(key, checked);
    }
    return checked;
  }

  /** The standard CEL environment with {@code declared}, built once per set of declarations. */
  static Cel environment(Map<String, CelType> declared) {
    String key = signature(declared);
    Cel cel = ENVIRONMENTS.get(key);
    if (cel == null) {
      var builder = CelFactory.standardCelBuilder();
      declared.forEach(builder::addVar);
      cel = builder.build();
      bounded(ENVIRONMENTS).put(key, cel);
    }
    return cel;
  }

  private static String signature(Map<String, CelType> declared) {
    StringBuilder key = new StringBuilder();
    declared.forEach((name, type) -> key.append(name).append(':').append(type).append(';'));
    return key.toString();
  }

  private static int index(String placeholder) {
    return Integer.parseInt(placeholder.substring(3, placeholder.length() - 2));
  }

  private static <V> Map<String, V> bounded(Map<String, V> map) {
    if (map.size() >= MAX_ENTRIES) {
      map.clear();
    }
    return map;
  }
}
