package dev.kos.bus.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Reads the JSON for Avro's leaf types: primitives, enums, fixed and timestamp-millis. */
final class ScalarReader {

  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** The values JSON has no literal for, spelled as Jackson and JavaScript spell them. */
  private static final Map<String, Double> NON_FINITE = Map.of(
      "NaN", Double.NaN,
      "Infinity", Double.POSITIVE_INFINITY,
      "-Infinity", Double.NEGATIVE_INFINITY);

  private final Violations violations;

  ScalarReader(Violations violations) {
    this.violations = violations;
  }

  Object read(JsonNode node, Schema schema, JsonPath path) {
    return switch (schema.getType()) {
      case NULL -> node.isNull() ? null : violations.reject(path, schema, node);
      case BOOLEAN -> node.isBoolean() ? node.booleanValue() : violations.reject(path, schema, node);
      case STRING -> node.isTextual() ? node.textValue() : violations.reject(path, schema, node);
      case INT -> readInt(node, schema, path);
      case LONG -> Descriptions.isTimestampMillis(schema) && node.isTextual()
          ? readInstant(node, schema, path)
          : readLong(node, schema, path);
      case FLOAT -> readFloat(node, schema, path);
      case DOUBLE -> floatingPoint(node, schema, path);
      case BYTES -> readBytes(node, schema, path);
      case FIXED -> readFixed(node, schema, path);
      case ENUM -> readEnum(node, schema, path);
      default -> throw new IllegalArgumentException("not a leaf type: " + schema.getType());
    };
  }

  private Object readInt(JsonNode node, Schema schema, JsonPath path) {
    BigDecimal whole = wholeNumber(node, schema, path);
    if (whole == null) {
      return null;
    }
    return inRange(whole, INT_MIN, INT_MAX) ? (Object) whole.intValue()
        : violations.reject(path, schema, node, "outside the int range");
  }

  private Object readLong(JsonNode node, Schema schema, JsonPath path) {
    BigDecimal whole = wholeNumber(node, schema, path);
    if (whole == null) {
      return null;
    }
    return inRange(whole, LONG_MIN, LONG_MAX) ? (Object) whole.longValue()
        : violations.reject(path, schema, node, "outside the long range");
  }

  /** A number without a fractional part, or {@code null} after recording why not. */
  private BigDecimal wholeNumber(JsonNode node, Schema schema, JsonPath path) {
    if (!node.isNumber()) {
      violations.reject(path, schema, node);
      return null;
    }
    BigDecimal value = node.decimalValue();
    if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
      violations.reject(path, schema, node, "not a whole number");
      return null;
    }
    return value;
  }

  private static boolean inRange(BigDecimal value, BigDecimal min, BigDecimal max) {
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }

  private Object readInstant(JsonNode node, Schema schema, JsonPath path) {
    Instant instant;
    try {
      instant = Instant.parse(node.textValue());
    } catch (DateTimeParseException e) {
      return violations.reject(path, schema, node, "not an ISO-8601 instant");
    }
    if (instant.getNano() % 1_000_000 != 0) {
      return violations.reject(path, schema, node, "finer than milliseconds");
    }
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      return violations.reject(path, schema, node, "outside the long range");
    }
  }

  private Object readFloat(JsonNode node, Schema schema, JsonPath path) {
    Double value = floatingPoint(node, schema, path);
    if (value == null) {
      return null;
    }
    float narrowed = value.floatValue();
    return Float.isInfinite(narrowed) && !value.isInfinite()
        ? violations.reject(path, schema, node, "outside the float range")
        : (Object) narrowed;
  }

  /** A number as a double, or {@code null} after recording why not. */
  private Double floatingPoint(JsonNode node, Schema schema, JsonPath path) {
    if (node.isTextual() && NON_FINITE.containsKey(node.textValue())) {
      return NON_FINITE.get(node.textValue());
    }
    if (!node.isNumber()) {
      violations.reject(path, schema, node);
      return null;
    }
    double value = node.decimalValue().doubleValue();
    if (Double.isInfinite(value)) {
      violations.reject(path, schema, node, "outside the double range");
      return null;
    }
    return value;
  }

  private Object readBytes(JsonNode node, Schema schema, JsonPath path) {
    byte[] bytes = base64(node, schema, path);
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }

  private Object readFixed(JsonNode node, Schema schema, JsonPath path) {
    byte[] bytes = base64(node, schema, path);
    if (bytes == null) {
      return null;
    }
    return bytes.length == schema.getFixedSize()
        ? new GenericData.Fixed(schema, bytes)
        : violations.reject(path, schema, node, "decodes to " + bytes.length + " bytes");
  }

  /** The decoded bytes, or {@code null} after recording why not. */
  private byte[] base64(JsonNode node, Schema schema, JsonPath path) {
    if (!node.isTextual()) {
      violations.reject(path, schema, node);
      return null;
    }
    try {
      return Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      violations.reject(path, schema, node, "not base64");
      return null;
    }
  }

  private Object readEnum(JsonNode node, Schema schema, JsonPath path) {
    return node.isTextual() && schema.hasEnumSymbol(node.textValue())
        ? new GenericData.EnumSymbol(schema, node.textValue())
        : violations.reject(path, schema, node);
  }
}
