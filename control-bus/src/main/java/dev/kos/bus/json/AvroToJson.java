package dev.kos.bus.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Writes Avro data as the JSON people read and {@link JsonToAvro} reads back: unions of
 * records as {@code {"ScaleApp": {...}}}, nullable unions as the plain value or {@code null},
 * timestamps as ISO-8601 instants, bytes as base64.
 * Takes generic and generated (specific) records alike. Pure.
 */
public final class AvroToJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroToJson() {
  }

  public static ObjectNode toJson(IndexedRecord record) {
    return (ObjectNode) toJson(record, record.getSchema());
  }

  /**
   * The JSON for any datum of {@code schema}.
   *
   * @throws RuntimeException (a {@link ClassCastException} or an Avro exception) if the datum
   *     does not fit the schema: that is a bug in the caller, not bad input from a person
   */
  public static JsonNode toJson(Object datum, Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> record((IndexedRecord) datum, schema);
      case UNION -> union(datum, schema);
      case ARRAY -> array((Collection<?>) datum, schema);
      case MAP -> map((Map<?, ?>) datum, schema);
      case ENUM, STRING -> NODES.textNode(datum.toString());
      case BYTES -> NODES.textNode(base64(((ByteBuffer) datum).duplicate()));
      case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes()));
      case INT -> NODES.numberNode((Integer) datum);
      case LONG -> Descriptions.isTimestampMillis(schema) ? NODES.textNode(instant(datum).toString())
          : NODES.numberNode((Long) datum);
      case FLOAT -> NODES.numberNode((Float) datum);
      case DOUBLE -> NODES.numberNode((Double) datum);
      case BOOLEAN -> NODES.booleanNode((Boolean) datum);
      case NULL -> NODES.nullNode();
    };
  }

  private static ObjectNode record(IndexedRecord record, Schema schema) {
    ObjectNode json = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      json.set(field.name(), toJson(record.get(field.pos()), field.schema()));
    }
    return json;
  }

  private static JsonNode union(Object datum, Schema union) {
    if (datum == null) {
      return NODES.nullNode();
    }
    // A nullable union's one branch is taken without asking Avro, which cannot place a
    // logical-type value such as an Instant without the generated class's conversions.
    Schema branch = UnionBranches.soleNonNull(union)
        .orElseGet(() -> union.getTypes().get(SpecificData.get().resolveUnion(union, datum)));
    JsonNode value = toJson(datum, branch);
    return UnionBranches.soleNonNull(union).isPresent()
        ? value
        : NODES.objectNode().set(UnionBranches.nameOf(union, branch), value);
  }

  private static ArrayNode array(Collection<?> elements, Schema schema) {
    ArrayNode json = NODES.arrayNode(elements.size());
    elements.forEach(element -> json.add(toJson(element, schema.getElementType())));
    return json;
  }

  private static ObjectNode map(Map<?, ?> entries, Schema schema) {
    ObjectNode json = NODES.objectNode();
    entries.forEach((key, value) -> json.set(key.toString(), toJson(value, schema.getValueType())));
    return json;
  }

  /** Generic records hold epoch millis; generated classes hold an {@link Instant}. */
  private static Instant instant(Object datum) {
    return datum instanceof Instant instant ? instant : Instant.ofEpochMilli((Long) datum);
  }

  private static String base64(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
