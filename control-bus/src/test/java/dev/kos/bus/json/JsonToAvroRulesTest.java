package dev.kos.bus.json;

import static dev.kos.bus.json.TestSchemas.oneField;
import static dev.kos.bus.json.TestSchemas.oneValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.Command;
import dev.kos.schema.Resources;
import dev.kos.schema.ScaleApp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What JsonToAvro accepts: one row per rule, each a field type, a JSON value and the Avro datum it becomes. */
class JsonToAvroRulesTest {

  private static final String NULLABLE_STRING = "[\"null\", \"string\"]";
  private static final String COLOR = "{\"type\": \"enum\", \"name\": \"Color\", \"symbols\": [\"RED\", \"GREEN\"]}";
  private static final String TWO_BYTES = "{\"type\": \"fixed\", \"name\": \"Two\", \"size\": 2}";
  private static final String TIMESTAMP = "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}";
  private static final String SHAPES = """
      [{"type": "record", "name": "Circle", "namespace": "geo", "fields": [{"name": "r", "type": "int"}]},
       {"type": "record", "name": "Square", "namespace": "geo", "fields": [{"name": "side", "type": "int"}]}]
      """;

  record Row(String name, String fieldType, String json, Object datum) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> accepted() {
    return Stream.of(
        new Row("int from an integer", "\"int\"", "5", 5),
        new Row("int from a number with a zero fraction", "\"int\"", "5.0", 5),
        new Row("int at its lower bound", "\"int\"", "-2147483648", Integer.MIN_VALUE),
        new Row("long at its upper bound", "\"long\"", "9223372036854775807", Long.MAX_VALUE),
        new Row("float from a number", "\"float\"", "1.5", 1.5f),
        new Row("double from an integer", "\"double\"", "2", 2.0),
        new Row("double from a fraction", "\"double\"", "0.1", 0.1),
        new Row("double NaN spelled as a string", "\"double\"", "\"NaN\"", Double.NaN),
        new Row("float -Infinity spelled as a string", "\"float\"", "\"-Infinity\"", Float.NEGATIVE_INFINITY),
        new Row("boolean", "\"boolean\"", "true", true),
        new Row("string", "\"string\"", "\"web\"", "web"),
        new Row("null", "\"null\"", "null", null),
        new Row("bytes from base64", "\"bytes\"", "\"AAEC\"", ByteBuffer.wrap(new byte[] {0, 1, 2})),
        new Row("fixed from base64 of the right size", TWO_BYTES, "\"AAE=\"",
            new GenericData.Fixed(Schema.createFixed("Two", null, null, 2), new byte[] {0, 1})),
        new Row("enum by symbol", COLOR, "\"GREEN\"",
            new GenericData.EnumSymbol(Schema.createEnum("Color", null, null, List.of("RED", "GREEN")), "GREEN")),
        new Row("array", "{\"type\": \"array\", \"items\": \"int\"}", "[1, 2]", List.of(1, 2)),
        new Row("map", "{\"type\": \"map\", \"values\": \"int\"}", "{\"a\": 1, \"rack-1\": 2}", Map.of("a", 1, "rack-1", 2)),
        new Row("timestamp from epoch millis", TIMESTAMP, "1500", 1500L),
        new Row("timestamp from an ISO-8601 instant", TIMESTAMP, "\"1970-01-01T00:00:01.500Z\"", 1500L),
        new Row("timestamp from an instant with an offset", TIMESTAMP, "\"2025-01-15T10:30:00+01:00\"",
            Instant.parse("2025-01-15T09:30:00Z").toEpochMilli()),
        new Row("nullable union from null", NULLABLE_STRING, "null", null),
        new Row("nullable union from the plain value", NULLABLE_STRING, "\"x\"", "x"),
        new Row("nullable union in Avro's wrapped form", NULLABLE_STRING, "{\"string\": \"x\"}", "x"),
        new Row("nullable union of a map, plain", "[\"null\", {\"type\": \"map\", \"values\": \"int\"}]",
            "{\"a\": 1}", Map.of("a", 1)),
        new Row("union of primitives, wrapped", "[\"null\", \"string\", \"int\"]", "{\"int\": 3}", 3),
        new Row("union of primitives allowing null, from null", "[\"null\", \"string\", \"int\"]", "null", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void shouldReadEachKindOfValue(Row row) {
    Schema schema = oneField(row.fieldType());

    GenericRecord record = JsonToAvro.toRecord(oneValue(row.json()), schema);

    assertThat(record.get("v")).isEqualTo(row.datum());
    assertThat(GenericData.get().validate(schema, record)).isTrue();
  }

  static Stream<Row> unionBranches() {
    return Stream.of(
        new Row("union of records by short name", SHAPES, "{\"Square\": {\"side\": 2}}", "geo.Square"),
        new Row("union of records by full name", SHAPES, "{\"geo.Circle\": {\"r\": 1}}", "geo.Circle"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unionBranches")
  void shouldPickTheUnionBranchTheKeyNames(Row row) {
    Schema schema = oneField(row.fieldType());

    GenericRecord record = JsonToAvro.toRecord(oneValue(row.json()), schema);

    assertThat(((GenericRecord) record.get("v")).getSchema().getFullName()).isEqualTo(row.datum());
    assertThat(GenericData.get().validate(schema, record)).isTrue();
  }

  @Test
  void shouldTellBranchesApartByFullNameWhenShortNamesClash() {
    Schema schema = oneField("""
        [{"type": "record", "name": "Id", "namespace": "app", "fields": [{"name": "app", "type": "string"}]},
         {"type": "record", "name": "Id", "namespace": "job", "fields": [{"name": "job", "type": "string"}]}]
        """);

    GenericRecord record = JsonToAvro.toRecord(oneValue("{\"job.Id\": {\"job\": \"nightly\"}}"), schema);

    assertThat(((GenericRecord) record.get("v")).getSchema().getFullName()).isEqualTo("job.Id");
  }

  @Test
  void shouldFillMissingFieldsFromTheirDefaults() {
    GenericRecord command = JsonToAvro.toRecord("""
        {"commandId": "c1", "principal": "alice", "payload": {"ScaleApp": {"appId": "/web", "instances": 5}}}
        """, Command.getClassSchema());

    assertThat(command.get("role")).isEqualTo("*");
    assertThat(command.get("timestamp")).isEqualTo(0L);
    assertThat(GenericData.get().validate(Command.getClassSchema(), command)).isTrue();
  }

  @Test
  void shouldNotShareDefaultValuesBetweenRecords() {
    GenericRecord first = JsonToAvro.toRecord("{}", Resources.getClassSchema());
    @SuppressWarnings("unchecked")
    List<Object> firstPorts = (List<Object>) first.get("ports");
    firstPorts.add(new GenericData.Record(Resources.getClassSchema().getField("ports").schema().getElementType()));

    GenericRecord second = JsonToAvro.toRecord("{}", Resources.getClassSchema());

    assertThat((List<?>) second.get("ports")).isEmpty();
  }

  @Test
  void shouldReadIntoTheGeneratedClass() {
    Command command = JsonToAvro.toSpecificRecord("""
        {"commandId": "c1", "principal": "alice", "timestamp": "2025-01-15T09:30:00Z",
         "payload": {"dev.kos.schema.ScaleApp": {"appId": "/web", "instances": 5}}}
        """, Command.class);

    assertThat(command.getTimestamp()).isEqualTo(Instant.parse("2025-01-15T09:30:00Z"));
    assertThat(command.getPayload()).isEqualTo(new ScaleApp("/web", 5));
  }
}
