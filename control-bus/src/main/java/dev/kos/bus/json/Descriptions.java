package dev.kos.bus.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The words error messages use for Avro types ("expected ...") and JSON values ("found ..."). */
final class Descriptions {

  /** Long strings are cut so that one bad value cannot flood the terminal. */
  private static final int MAX_QUOTED_LENGTH = 40;

  private Descriptions() {
  }

  static String expected(Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> "record " + schema.getName();
      case ENUM -> "enum " + schema.getName() + ", one of " + schema.getEnumSymbols();
      case ARRAY -> "array of " + expected(schema.getElementType());
      case MAP -> "map of " + expected(schema.getValueType());
      case UNION -> expectedUnion(schema);
      case FIXED -> "fixed " + schema.getName() + " (" + schema.getFixedSize() + " bytes as base64)";
      case BYTES -> "bytes (base64)";
      case LONG -> isTimestampMillis(schema)
          ? "timestamp-millis (epoch millis or ISO-8601 instant)"
          : "long";
      default -> schema.getType().getName();
    };
  }

  static String found(JsonNode node) {
    if (node.isTextual()) {
      return "string " + quoted(node.textValue());
    }
    if (node.isNumber()) {
      return "number " + node;
    }
    if (node.isBoolean()) {
      return "boolean " + node;
    }
    if (node.isObject()) {
      return node.isEmpty() ? "empty object" : "object with keys " + keys(node);
    }
    if (node.isArray()) {
      return "array of " + node.size() + (node.size() == 1 ? " element" : " elements");
    }
    return "null";
  }

  static boolean isTimestampMillis(Schema schema) {
    return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  private static String expectedUnion(Schema union) {
    return UnionBranches.soleNonNull(union)
        .map(branch -> expected(branch) + " or null")
        .orElseGet(() -> "a one-key object naming one of " + UnionBranches.names(union)
            + (UnionBranches.allowsNull(union) ? ", or null" : ""));
  }

  private static List<String> keys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static String quoted(String text) {
    String shown = text.length() > MAX_QUOTED_LENGTH ? text.substring(0, MAX_QUOTED_LENGTH - 3) + "..." : text;
    return TextNode.valueOf(shown).toString();
  }
}
