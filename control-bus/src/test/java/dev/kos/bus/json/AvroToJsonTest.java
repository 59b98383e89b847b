package dev.kos.bus.json;

import static dev.kos.bus.json.TestSchemas.oneField;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the JSON people read: one row per rendering rule. */
class AvroToJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Row(String name, String fieldType, Object datum, String json) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> renderings() {
    Schema shapes = oneField("""
        [{"type": "record", "name": "Circle", "namespace": "geo", "fields": [{"name": "r", "type": "int"}]},
         {"type": "record", "name": "Square", "namespace": "geo", "fields": [{"name": "side", "type": "int"}]}]
        """).getField("v").schema();
    Schema clashing = oneField("""
        [{"type": "record", "name": "Id", "namespace": "app", "fields": [{"name": "app", "type": "string"}]},
         {"type": "record", "name": "Id", "namespace": "job", "fields": [{"name": "job", "type": "string"}]}]
        """).getField("v").schema();
    return Stream.of(
        new Row("union of records as a one-key object by short name", shapes.toString(),
            record(shapes.getTypes().get(1), "side", 2), "{\"Square\": {\"side\": 2}}"),
        new Row("union branches sharing a short name by full name", clashing.toString(),
            record(clashing.getTypes().get(1), "job", "nightly"), "{\"job.Id\": {\"job\": \"nightly\"}}"),
        new Row("union of primitives as a one-key object by type name", "[\"null\", \"string\", \"int\"]", 3,
            "{\"int\": 3}"),
        new Row("nullable union as the plain value", "[\"null\", \"int\"]", 3, "3"),
        new Row("nullable union as null", "[\"null\", \"int\"]", null, "null"),
        new Row("timestamp from epoch millis as an ISO-8601 instant",
            "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", 1500L, "\"1970-01-01T00:00:01.500Z\""),
        new Row("timestamp from an Instant as an ISO-8601 instant",
            "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", Instant.EPOCH, "\"1970-01-01T00:00:00Z\""),
        new Row("bytes as base64", "\"bytes\"", ByteBuffer.wrap(new byte[] {0, 1, 2}), "\"AAEC\""),
        new Row("double NaN as the string JSON lacks a literal for", "\"double\"", Double.NaN, "\"NaN\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void shouldRenderEachKindOfValue(Row row) throws Exception {
    Schema fieldSchema = new Schema.Parser().parse(row.fieldType());

    JsonNode json = AvroToJson.toJson(row.datum(), fieldSchema);

    assertThat(MAPPER.writeValueAsString(json)).isEqualTo(MAPPER.writeValueAsString(MAPPER.readTree(row.json())));
  }

  @Test
  void shouldRenderACommandAsAPersonWouldWriteIt() throws Exception {
    Command command = Command.newBuilder()
        .setCommandId("cmd-scale-web-5").setPrincipal("alice").setRole("web")
        .setTimestamp(Instant.parse("2025-01-15T09:30:00Z")).setPayload(new ScaleApp("/web", 5))
        .build();

    assertThat(AvroToJson.toJson(command)).isEqualTo(MAPPER.readTree("""
        {"commandId": "cmd-scale-web-5", "principal": "alice", "role": "web",
         "timestamp": "2025-01-15T09:30:00Z", "payload": {"ScaleApp": {"appId": "/web", "instances": 5}}}
        """));
  }

  @Test
  void shouldRenderEnumsBySymbolAndNullableFieldsPlain() throws Exception {
    TaskStatus status = TaskStatus.newBuilder()
        .setTaskId("web.1").setFrameworkId("marathon").setAgentId("agent-1")
        .setState(TaskState.RUNNING).setExitCode(0).setTimestamp(Instant.EPOCH)
        .build();

    assertThat(AvroToJson.toJson(status)).isEqualTo(MAPPER.readTree("""
        {"taskId": "web.1", "frameworkId": "marathon", "agentId": "agent-1", "appId": null,
         "state": "RUNNING", "message": null, "exitCode": 0, "healthy": null, "resources": null,
         "limitEnforcement": null, "timestamp": "1970-01-01T00:00:00Z"}
        """));
  }

  private static GenericRecord record(Schema schema, String field, Object value) {
    GenericRecord record = new GenericData.Record(schema);
    record.put(field, value);
    return record;
  }
}
