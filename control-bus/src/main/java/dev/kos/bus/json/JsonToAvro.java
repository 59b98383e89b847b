package dev.kos.bus.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads JSON written by people into Avro data, reporting every mismatch with its JSON path.
 * The dialect is described in the {@linkplain dev.kos.bus.json package documentation}.
 * Pure: no I/O beyond the text given, no state between calls.
 */
public final class JsonToAvro {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      // Exact decimals, so that 1.5 is not mistaken for a whole number and a huge
      // number is range-checked instead of rounded.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      // A key given twice is almost always a mistake; Jackson would keep the last silently.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Violations violations = new Violations();
  private final ScalarReader scalars = new ScalarReader(violations);

  private JsonToAvro() {
  }

  /**
   * Reads a JSON document into a generic record of {@code recordSchema}; the result passes
   * {@code GenericData.get().validate(recordSchema, result)}.
   *
   * @throws JsonAvroException if the text is not JSON or does not fit the schema
   * @throws IllegalArgumentException if {@code recordSchema} is not a record schema
   */
  public static GenericRecord toRecord(String jsonText, Schema recordSchema) {
    if (recordSchema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("not a record schema: " + recordSchema.getFullName());
    }
    return (GenericRecord) toDatum(parse(jsonText, recordSchema), recordSchema);
  }

  /**
   * Reads a JSON document into a generated record class, with its logical types
   * (timestamps as {@link java.time.Instant}) and Java enums.
   *
   * @throws JsonAvroException if the text is not JSON or does not fit the class's schema
   */
  public static <T extends SpecificRecord> T toSpecificRecord(String jsonText, Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    return asSpecific(toRecord(jsonText, schema), type);
  }

  /**
   * Converts a parsed JSON value to the Avro datum for any schema (record, union, string ...),
   * in generic representation: records as {@link GenericData.Record}, enums as
   * {@link GenericData.EnumSymbol}, timestamps as epoch-millis longs, bytes as
   * {@link java.nio.ByteBuffer}. Parse with {@code USE_BIG_DECIMAL_FOR_FLOATS}, as
   * {@link #toRecord} does, so that huge or very precise numbers are checked exactly.
   *
   * @throws JsonAvroException listing every place the value does not fit
   */
  public static Object toDatum(JsonNode json, Schema schema) {
    JsonToAvro reader = new JsonToAvro();
    Object datum = reader.read(json, schema, JsonPath.root());
    reader.violations.throwIfAny(schema);
    return datum;
  }

  private static JsonNode parse(String jsonText, Schema schema) {
    JsonNode json;
    try {
      json = MAPPER.readTree(jsonText);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw notJson(schema, e.getOriginalMessage() + where);
    }
    if (json == null || json.isMissingNode()) {
      throw notJson(schema, "no JSON value");
    }
    return json;
  }

  private static JsonAvroException notJson(Schema schema, String found) {
    return new JsonAvroException(schema.getFullName(), List.of(new Violation("$", "a JSON document", found)));
  }

  private Object read(JsonNode node, Schema schema, JsonPath path) {
    return switch (schema.getType()) {
      case RECORD -> readRecord(node, schema, path);
      case UNION -> readUnion(node, schema, path);
      case ARRAY -> readArray(node, schema, path);
      case MAP -> readMap(node, schema, path);
      default -> scalars.read(node, schema, path);
    };
  }

  private Object readRecord(JsonNode node, Schema schema, JsonPath path) {
    if (!node.isObject()) {
      return violations.reject(path, schema, node);
    }
    node.fieldNames().forEachRemaining(name -> {
      if (schema.getField(name) == null) {
        violations.add(path.member(name), "a field of record " + schema.getName() + ", one of "
            + schema.getFields().stream().map(Schema.Field::name).toList(),
            "unknown field " + TextNode.valueOf(name));
      }
    });
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      record.put(field.pos(), readField(node.get(field.name()), field, path.member(field.name())));
    }
    return record;
  }

  private Object readField(JsonNode value, Schema.Field field, JsonPath path) {
    if (value != null) {
      return read(value, field.schema(), path);
    }
    if (field.hasDefaultValue()) {
      // Avro caches default values and shares them between calls: copy before handing out.
      return GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field));
    }
    return violations.add(path, Descriptions.expected(field.schema()), "nothing (the field has no default)");
  }

  private Object readUnion(JsonNode node, Schema union, JsonPath path) {
    if (node.isNull()) {
      return UnionBranches.allowsNull(union) ? null : violations.reject(path, union, node);
    }
    Optional<String> soleKey = node.isObject() && node.size() == 1
        ? Optional.of(node.fieldNames().next())
        : Optional.empty();
    Optional<Schema> wrappedBranch = soleKey.flatMap(key -> UnionBranches.named(union, key));
    if (wrappedBranch.isPresent()) {
      String key = soleKey.orElseThrow();
      return read(node.get(key), wrappedBranch.get(), path.member(key));
    }
    Optional<Schema> plainBranch = UnionBranches.soleNonNull(union);
    if (plainBranch.isPresent()) {
      int mark = violations.mark();
      Object datum = read(node, plainBranch.get(), path);
      violations.reexpect(mark, path, union);
      return datum;
    }
    return soleKey.isPresent()
        ? violations.add(path, Descriptions.expected(union), "unknown branch " + TextNode.valueOf(soleKey.get()))
        : violations.reject(path, union, node);
  }

  private Object readArray(JsonNode node, Schema schema, JsonPath path) {
    if (!node.isArray()) {
      return violations.reject(path, schema, node);
    }
    List<Object> elements = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      elements.add(read(node.get(i), schema.getElementType(), path.element(i)));
    }
    return new GenericData.Array<>(schema, elements);
  }

  private Object readMap(JsonNode node, Schema schema, JsonPath path) {
    if (!node.isObject()) {
      return violations.reject(path, schema, node);
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    node.fields().forEachRemaining(entry -> entries.put(entry.getKey(),
        read(entry.getValue(), schema.getValueType(), path.member(entry.getKey()))));
    return entries;
  }

  /**
   * Generated classes hold logical types (Instant) and Java enums where generic records hold
   * longs and symbols; going through Avro binary lets the class's own reader do that mapping.
   */
  private static <T extends SpecificRecord> T asSpecific(GenericRecord record, Class<T> type) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory Avro copy failed", e);
    }
  }
}
