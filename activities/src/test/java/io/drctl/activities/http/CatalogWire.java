package io.drctl.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.metadata.POJOActivityImplMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How activity records look on the wire, next to what the action catalog says. */
public final class CatalogWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private CatalogWire() {}

  public static ActionDefinition action(String name) {
    return ActionCatalog.standard().find(name).orElseThrow();
  }

  /** The JSON Temporal's default data converter makes of a value. */
  public static JsonNode onTheWire(Object value) {
    try {
      return JSON.readTree(CONVERTER.toPayload(value).orElseThrow().getData().toStringUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What an activity receives when the workflow passes {@code with} as a JSON tree. */
  public static <T> T received(String with, Class<T> type) {
    try {
      JsonNode tree = JSON.readTree(with);
      return CONVERTER.fromPayload(CONVERTER.toPayload(tree).orElseThrow(), type, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The activity types Temporal itself derives from the implementation's interfaces. */
  public static List<String> activityTypes(Class<?> implementation) {
    return POJOActivityImplMetadata.newInstance(implementation).getActivityMethods().stream()
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .toList();
  }

  public static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Output field names with JSON Schema type names, as {@link ActionDefinition#outputFields()}. */
  public static Map<String, String> schemaTypes(JsonNode object) {
    Map<String, String> types = new LinkedHashMap<>();
    object
        .fields()
        .forEachRemaining(field -> types.put(field.getKey(), schemaType(field.getValue())));
    return types;
  }

  private static String schemaType(JsonNode value) {
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isTextual() ? "string" : value.getNodeType().name().toLowerCase();
  }
}
