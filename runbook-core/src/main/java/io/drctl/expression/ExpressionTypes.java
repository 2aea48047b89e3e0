package io.drctl.expression;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;

/** How runbook types map to CEL types. */
public final class ExpressionTypes {
  private ExpressionTypes() {}

  /** A JSON Schema type name (as in action outputs) to a CEL type. */
  public static CelType ofJsonType(String jsonType) {
    return switch (jsonType) {
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      case "array" -> ListType.create(SimpleType.DYN);
      case "object" -> MapType.create(SimpleType.STRING, SimpleType.DYN);
      default -> SimpleType.DYN;
    };
  }

  /** An incident input type to a CEL type. */
  public static CelType ofInputType(String inputType) {
    return switch (inputType) {
      case "timestamp" -> SimpleType.TIMESTAMP;
      case "duration" -> SimpleType.DURATION;
      default -> ofJsonType(inputType);
    };
  }

  /** A short human name of a CEL type, for messages. */
  public static String describe(CelType type) {
    return type.name();
  }
}
