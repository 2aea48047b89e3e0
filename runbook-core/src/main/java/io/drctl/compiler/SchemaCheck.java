package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import io.drctl.source.JsonPointers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One JSON Schema (2020-12), validated with networknt, with its errors turned into diagnostics that
 * name the exact node and suggest a fix.
 *
 * <p>Thread-safe once built; build once and reuse.
 */
public final class SchemaCheck {
  private static final SchemaRegistryConfig CONFIG =
      SchemaRegistryConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();

  /**
   * 2020-12 plus drctl's own annotation: x-target marks a parameter that names a runbook target.
   */
  private static final Dialect DIALECT =
      Dialect.builder(Dialects.getDraft202012()).keyword(new AnnotationKeyword("x-target")).build();

  private final JsonNode schemaRoot;
  private final Schema schema;

  /** Every schema document by its $id, to find the keyword an error came from in any of them. */
  private final Map<String, JsonNode> documents;

  private SchemaCheck(JsonNode schemaRoot, Schema schema, Map<String, JsonNode> documents) {
    this.schemaRoot = schemaRoot;
    this.schema = schema;
    this.documents = documents;
  }

  /** A schema document with an {@code $id}, plus the documents it refers to, by id. */
  public static SchemaCheck of(String id, Map<String, String> documentsById, JsonNode root) {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            DIALECT, builder -> builder.schemas(documentsById).schemaRegistryConfig(CONFIG));
    Map<String, JsonNode> parsed = new java.util.HashMap<>();
    documentsById.forEach(
        (docId, text) -> {
          try {
            parsed.put(docId, new com.fasterxml.jackson.databind.ObjectMapper().readTree(text));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("schema " + docId + " is not JSON", e);
          }
        });
    return new SchemaCheck(root, registry.getSchema(SchemaLocation.of(id)), Map.copyOf(parsed));
  }

  /** A self-contained schema (no $id, no external $ref), such as an action's parameters. */
  public static SchemaCheck inline(JsonNode schemaNode) {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(DIALECT, builder -> builder.schemaRegistryConfig(CONFIG));
    return new SchemaCheck(schemaNode, registry.getSchema(schemaNode), Map.of());
  }

  public JsonNode schemaRoot() {
    return schemaRoot;
  }

  /**
   * Validates {@code instance}, which sits at {@code basePointer} in the source document, and
   * reports every error to {@code out}. {@code subject} names the thing being checked in messages
   * (e.g. "runbook" or "parameters of postgres.restore").
   */
  public void validate(JsonNode instance, String basePointer, Diagnostics out) {
    List<Error> errors;
    try {
      errors = schema.validate(instance);
    } catch (RuntimeException e) {
      // The validator gave up on some value; say where, rather than fail the whole compile.
      out.error(
          "schema",
          basePointer,
          "this part could not be checked against the schema: " + e.getClass().getSimpleName(),
          "look for an extreme value (a huge number, a very deep nesting) here");
      return;
    }
    Set<String> undecided = undecided(errors, basePointer);
    for (Error error : errors) {
      if (error.getKeyword().equals("unevaluatedProperties")
          && undecided.contains(basePointer + pointer(error.getInstanceLocation()))) {
        continue;
      }
      report(error, instance, basePointer, out);
    }
  }

  /**
   * The objects that lack the property their schema's {@code if}/{@code then} branches are chosen
   * by (a target's {@code kind}): which other properties they may have depends on it, so every one
   * of them would be reported unknown. Only the missing property is reported.
   */
  private Set<String> undecided(List<Error> errors, String basePointer) {
    Set<String> undecided = new java.util.HashSet<>();
    for (Error error : errors) {
      if (!error.getKeyword().equals("required")) {
        continue;
      }
      Located located = parentSchema(error.getSchemaLocation());
      if (located == null) {
        continue;
      }
      for (JsonNode branch : located.node().path("allOf")) {
        for (JsonNode required : branch.path("if").path("required")) {
          if (required.asText().equals(error.getProperty())) {
            undecided.add(basePointer + pointer(error.getInstanceLocation()));
          }
        }
      }
    }
    return undecided;
  }

  private void report(Error error, JsonNode instance, String base, Diagnostics out) {
    String at = base + pointer(error.getInstanceLocation());
    JsonNode node = error.getInstanceNode();
    Located located = parentSchema(error.getSchemaLocation());
    JsonNode schemaNode = located == null ? null : located.node();
    String keyword = error.getKeyword();
    switch (keyword) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String property = error.getProperty();
        Set<String> known = located == null ? Set.of() : knownProperties(located, node);
        if (keyword.equals("unevaluatedProperties") && known.contains(property)) {
          return; // a known property left unevaluated because its own value failed: reported there
        }
        out.errorAtKey(
            "unknown-property",
            JsonPointers.child(at, property),
            "unknown property '" + property + "'",
            DidYouMean.hint(property, known));
      }
      case "required" -> {
        String property = error.getProperty();
        JsonNode described =
            located == null
                ? null
                : resolve(new Located(located.doc(), schemaNode.path("properties").path(property)))
                    .node();
        String help = described != null ? described.path("description").asText(null) : null;
        out.error(
            "missing-property",
            at,
            "missing required property '" + property + "'",
            help == null ? null : "'" + property + "': " + help);
      }
      case "type" ->
          out.error(
              "wrong-type",
              at,
              "expected "
                  + (schemaNode == null
                      ? "another type"
                      : schemaNode.path("type").toString().replace("\"", ""))
                  + " but found "
                  + typeOf(node),
              description(schemaNode));
      case "enum" -> {
        List<String> allowed = new ArrayList<>();
        (schemaNode == null
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : schemaNode)
            .path("enum")
            .forEach(v -> allowed.add(v.isTextual() ? v.asText() : v.toString()));
        String value = node.isTextual() ? node.asText() : node.toString();
        String hint =
            DidYouMean.closest(value, allowed)
                .map(s -> "did you mean '" + s + "'?")
                .orElse("allowed: " + String.join(", ", allowed));
        out.error("not-allowed", at, "'" + value + "' is not allowed", hint);
      }
      case "pattern" -> {
        // Never echo what may be a secret pasted inline.
        boolean secret =
            description(schemaNode) != null && description(schemaNode).contains("by reference")
                || io.drctl.interpreter.Redaction.isSecretName(
                    io.drctl.source.JsonPointers.lastToken(at));
        out.error(
            "bad-format",
            at,
            (secret ? "this value" : "'" + node.asText() + "'")
                + " does not match the expected format",
            description(schemaNode));
      }
      case "propertyNames" -> {
        String property = error.getProperty();
        String pointer = property == null ? at : JsonPointers.child(at, property);
        out.errorAtKey(
            "bad-name",
            pointer,
            "invalid name" + (property == null ? "" : " '" + property + "'") + ": " + strip(error),
            description(schemaNode == null ? null : schemaNode.path("propertyNames")));
      }
      default -> out.error("schema", at, strip(error), description(schemaNode));
    }
  }

  private static String strip(Error error) {
    String message = error.getMessage();
    int colon = message.indexOf(": ");
    return colon >= 0 && message.startsWith("/") || message.startsWith(": ")
        ? message.substring(colon + 2)
        : message;
  }

  private static String description(JsonNode schemaNode) {
    if (schemaNode == null) {
      return null;
    }
    String text = schemaNode.path("description").asText(null);
    return text == null || text.isBlank() ? null : text;
  }

  private static String typeOf(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> node.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase();
    };
  }

  private static String pointer(NodePath path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      out.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  /** A schema node and the document it sits in (local $refs resolve against that document). */
  private record Located(JsonNode doc, JsonNode node) {}

  /** The schema object that holds the failing keyword, in whichever document it is. */
  private Located parentSchema(SchemaLocation location) {
    JsonNode doc = documents.getOrDefault(String.valueOf(location.getAbsoluteIri()), schemaRoot);
    NodePath fragment = location.getFragment();
    JsonNode node = doc;
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      Object element = fragment.getElement(i);
      node = element instanceof Integer index ? node.path(index) : node.path(element.toString());
    }
    return node.isMissingNode() ? null : resolve(new Located(doc, node));
  }

  /** Follows a {@code $ref}, local or to a sibling document, if any. */
  private Located resolve(Located located) {
    JsonNode ref = located.node() == null ? null : located.node().get("$ref");
    if (ref == null || !ref.isTextual()) {
      return located;
    }
    String text = ref.asText();
    int hash = text.indexOf('#');
    JsonNode doc = located.doc();
    if (hash > 0) {
      String name = text.substring(0, hash);
      doc =
          documents.entrySet().stream()
              .filter(e -> e.getKey().endsWith("/" + name))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
    }
    if (doc == null || hash < 0) {
      return located;
    }
    JsonNode target = doc.at(text.substring(hash + 1));
    return target.isMissingNode() ? located : new Located(doc, target);
  }

  /**
   * The property names the schema object accepts for this instance: its own properties, those of
   * $ref'd schemas, and those of if/then branches whose const conditions match the instance.
   */
  private Set<String> knownProperties(Located schemaNode, JsonNode instance) {
    Set<String> names = new LinkedHashSet<>();
    collect(resolve(schemaNode), instance, names, 0);
    return names;
  }

  private void collect(Located located, JsonNode instance, Set<String> names, int depth) {
    JsonNode schemaNode = located == null ? null : located.node();
    if (schemaNode == null || depth > 8) {
      return;
    }
    schemaNode.path("properties").fieldNames().forEachRemaining(names::add);
    if (schemaNode.has("$ref")) {
      Located target = resolve(located);
      if (target.node() != schemaNode) {
        collect(target, instance, names, depth + 1);
      }
    }
    for (JsonNode branch : schemaNode.path("allOf")) {
      JsonNode condition = branch.get("if");
      if (condition == null) {
        collect(new Located(located.doc(), branch), instance, names, depth + 1);
      } else if (matchesConst(condition, instance)) {
        collect(new Located(located.doc(), branch.get("then")), instance, names, depth + 1);
      }
    }
  }

  private static boolean matchesConst(JsonNode condition, JsonNode instance) {
    Iterator<Map.Entry<String, JsonNode>> fields = condition.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode expected = field.getValue().get("const");
      if (expected != null
          && (instance == null || !expected.equals(instance.get(field.getKey())))) {
        return false;
      }
    }
    return true;
  }

  /** For tests and tools: the names a schema object accepts, sorted. */
  public static String join(Set<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }
}
