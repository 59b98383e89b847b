package dev.kos.bus.json;

import static dev.kos.bus.json.TestSchemas.oneField;
import static dev.kos.bus.json.TestSchemas.oneValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.TaskStatus;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What JsonToAvro rejects, and the exact words it uses: one row per kind of error. */
class JsonToAvroErrorsTest {

  private static final String COMMAND_BRANCHES = "[DeployApp, UpdateApp, ScaleApp, RestartApp, RemoveApp, "
      + "KillInstance, RunJob, RegisterFramework, SetQuota, ConfigureRole, DrainAgent, UndrainAgent, "
      + "SetScalingPolicy, CreateKafkaCluster, AddKafkaBrokers, RemoveKafkaBroker, ConfigureKafkaCluster, UpgradeKafkaCluster, DeleteKafkaCluster, RebalanceKafkaCluster, SetKafkaScalingPolicy]";

  record Row(String name, Schema schema, String json, List<String> messages) {
    static Row field(String name, String fieldType, String valueJson, String... messages) {
      return new Row(name, oneField(fieldType), oneValue(valueJson), List.of(messages));
    }

    static Row document(String name, Schema schema, String json, String... messages) {
      return new Row(name, schema, json, List.of(messages));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> leafValues() {
    return Stream.of(
        Row.field("int from a string", "\"int\"", "\"five\"", "$.v: expected int, found string \"five\""),
        Row.field("int beyond its range", "\"int\"", "3000000000",
            "$.v: expected int, found number 3000000000 (outside the int range)"),
        Row.field("long from a fraction", "\"long\"", "1.5", "$.v: expected long, found number 1.5 (not a whole number)"),
        Row.field("long beyond its range", "\"long\"", "9223372036854775808",
            "$.v: expected long, found number 9223372036854775808 (outside the long range)"),
        Row.field("float beyond its range", "\"float\"", "1e39",
            "$.v: expected float, found number 1E+39 (outside the float range)"),
        Row.field("double beyond its range", "\"double\"", "1e400",
            "$.v: expected double, found number 1E+400 (outside the double range)"),
        Row.field("double from a numeric string", "\"double\"", "\"1.5\"", "$.v: expected double, found string \"1.5\""),
        Row.field("boolean from a string", "\"boolean\"", "\"true\"", "$.v: expected boolean, found string \"true\""),
        Row.field("string from a number", "\"string\"", "5", "$.v: expected string, found number 5"),
        Row.field("string from null", "\"string\"", "null", "$.v: expected string, found null"),
        Row.field("long strings are cut in messages", "\"int\"", "\"" + "x".repeat(100) + "\"",
            "$.v: expected int, found string \"" + "x".repeat(37) + "...\""),
        Row.field("bytes that are not base64", "\"bytes\"", "\"not base64!\"",
            "$.v: expected bytes (base64), found string \"not base64!\" (not base64)"),
        Row.field("fixed of the wrong size", "{\"type\": \"fixed\", \"name\": \"Two\", \"size\": 2}", "\"AAEC\"",
            "$.v: expected fixed Two (2 bytes as base64), found string \"AAEC\" (decodes to 3 bytes)"),
        Row.field("enum with an unknown symbol",
            "{\"type\": \"enum\", \"name\": \"Color\", \"symbols\": [\"RED\", \"GREEN\"]}", "\"PURPLE\"",
            "$.v: expected enum Color, one of [RED, GREEN], found string \"PURPLE\""),
        Row.field("timestamp that is not an instant", "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}",
            "\"yesterday\"", "$.v: expected timestamp-millis (epoch millis or ISO-8601 instant), "
                + "found string \"yesterday\" (not an ISO-8601 instant)"),
        Row.field("timestamp finer than milliseconds", "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}",
            "\"2025-01-15T09:30:00.000001Z\"", "$.v: expected timestamp-millis (epoch millis or ISO-8601 instant), "
                + "found string \"2025-01-15T09:30:00.000001Z\" (finer than milliseconds)"),
        Row.field("timestamp from a boolean", "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", "true",
            "$.v: expected timestamp-millis (epoch millis or ISO-8601 instant), found boolean true"));
  }

  static Stream<Row> containers() {
    return Stream.of(
        Row.field("array from an object", "{\"type\": \"array\", \"items\": \"int\"}", "{}",
            "$.v: expected array of int, found empty object"),
        Row.field("array elements, each with its index", "{\"type\": \"array\", \"items\": \"int\"}", "[1, \"2\", 3.5]",
            "$.v[1]: expected int, found string \"2\"",
            "$.v[2]: expected int, found number 3.5 (not a whole number)"),
        Row.field("map from an array", "{\"type\": \"map\", \"values\": \"string\"}", "[\"a\"]",
            "$.v: expected map of string, found array of 1 element"),
        Row.field("map values, with quoted keys where needed", "{\"type\": \"map\", \"values\": \"string\"}",
            "{\"zone\": 1, \"rack-1\": true}",
            "$.v.zone: expected string, found number 1",
            "$.v[\"rack-1\"]: expected string, found boolean true"),
        Row.field("nullable union from the wrong type", "[\"null\", \"int\"]", "\"x\"",
            "$.v: expected int or null, found string \"x\""),
        Row.field("nullable union beyond its branch's range", "[\"null\", \"int\"]", "3000000000",
            "$.v: expected int or null, found number 3000000000 (outside the int range)"),
        Row.field("nullable record, nested value", "[\"null\", {\"type\": \"record\", \"name\": \"P\", "
            + "\"fields\": [{\"name\": \"n\", \"type\": \"int\"}]}]", "{\"n\": \"x\"}",
            "$.v.n: expected int, found string \"x\""),
        Row.field("wrapped nullable union from the wrong type", "[\"null\", \"int\"]", "{\"int\": \"x\"}",
            "$.v.int: expected int, found string \"x\""),
        Row.field("union without null from null", "[\"string\", \"int\"]", "null",
            "$.v: expected a one-key object naming one of [string, int], found null"),
        Row.field("union of primitives given a plain value", "[\"null\", \"string\", \"int\"]", "3",
            "$.v: expected a one-key object naming one of [string, int], or null, found number 3"));
  }

  static Stream<Row> realSchemas() {
    return Stream.of(
        Row.document("value in a union branch, with the branch in the path", Command.getClassSchema(), """
            {"commandId": "c1", "principal": "alice", "payload": {"ScaleApp": {"appId": "/web", "instances": "five"}}}
            """, "$.payload.ScaleApp.instances: expected int, found string \"five\""),
        Row.document("misspelt field: unknown, and the real one missing", Command.getClassSchema(), """
            {"commandId": "c1", "principal": "alice", "payload": {"ScaleApp": {"appId": "/web", "instnaces": 5}}}
            """,
            "$.payload.ScaleApp.instnaces: expected a field of record ScaleApp, one of [appId, instances], "
                + "found unknown field \"instnaces\"",
            "$.payload.ScaleApp.instances: expected int, found nothing (the field has no default)"),
        Row.document("unknown union branch", Command.getClassSchema(), """
            {"commandId": "c1", "principal": "alice", "payload": {"ScaleAp": {"appId": "/web", "instances": 5}}}
            """, "$.payload: expected a one-key object naming one of " + COMMAND_BRANCHES
                + ", found unknown branch \"ScaleAp\""),
        Row.document("union of records without its branch", Command.getClassSchema(), """
            {"commandId": "c1", "principal": "alice", "payload": {"appId": "/web", "instances": 5}}
            """, "$.payload: expected a one-key object naming one of " + COMMAND_BRANCHES
                + ", found object with keys [appId, instances]"),
        Row.document("required union missing", Command.getClassSchema(), """
            {"commandId": "c1", "principal": "alice"}
            """, "$.payload: expected a one-key object naming one of " + COMMAND_BRANCHES
                + ", found nothing (the field has no default)"),
        Row.document("every problem, not just the first", Command.getClassSchema(), """
            {"commandId": 7, "principal": "alice", "role": null, "payload": {"ScaleApp": {"appId": "/web", "instances": 1.5}}}
            """,
            "$.commandId: expected string, found number 7",
            "$.role: expected string, found null",
            "$.payload.ScaleApp.instances: expected int, found number 1.5 (not a whole number)"),
        Row.document("record from an array", Command.getClassSchema(), "[]",
            "$: expected record Command, found array of 0 elements"),
        Row.document("enum symbol and nullable int", TaskStatus.getClassSchema(), """
            {"taskId": "t1", "frameworkId": "marathon", "agentId": "a1", "state": "RUNING",
             "exitCode": "1", "timestamp": 0}
            """,
            "$.state: expected enum TaskState, one of [STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, "
                + "LOST, DROPPED, ERROR], found string \"RUNING\"",
            "$.exitCode: expected int or null, found string \"1\""),
        Row.document("nested array element in a record", AgentReport.getClassSchema(), """
            {"agentId": "a1", "hostname": "h1", "total": {"ports": [{"begin": 31000, "end": "32000"}]},
             "used": {}, "attributes": {"rack": 5}, "heartbeatTime": 0, "startedAt": 0}
            """,
            "$.total.ports[0].end: expected int, found string \"32000\"",
            "$.attributes.rack: expected string, found number 5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"leafValues", "containers", "realSchemas"})
  void shouldNameThePathTheExpectedTypeAndWhatWasFound(Row row) {
    JsonAvroException error = catchThrowableOfType(JsonAvroException.class,
        () -> JsonToAvro.toRecord(row.json(), row.schema()));

    assertThat(error.violations()).map(Violation::message).containsExactlyElementsOf(row.messages());
    assertThat(error.schemaName()).isEqualTo(row.schema().getFullName());
  }

  /** Jackson words syntax errors; the rows check only the parts a person needs: what and where. */
  record SyntaxRow(String name, String json, List<String> fragments) {
    SyntaxRow(String name, String json, String... fragments) {
      this(name, json, List.of(fragments));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<SyntaxRow> notJson() {
    return Stream.of(
        new SyntaxRow("malformed JSON", "{\"commandId\": }", "Unexpected character ('}'", "line 1, column 15"),
        new SyntaxRow("a key given twice", "{\"commandId\": \"a\", \"commandId\": \"b\"}",
            "Duplicate field 'commandId'", "line 1"),
        new SyntaxRow("trailing content", "{} {}", "Trailing token", "line 1"),
        new SyntaxRow("nothing at all", "  ", "no JSON value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  void shouldRejectTextThatIsNotOneJsonDocument(SyntaxRow row) {
    JsonAvroException error = catchThrowableOfType(JsonAvroException.class,
        () -> JsonToAvro.toRecord(row.json(), Command.getClassSchema()));

    assertThat(error.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.path()).isEqualTo("$");
      assertThat(violation.expected()).isEqualTo("a JSON document");
      assertThat(violation.found()).contains(row.fragments());
    });
  }

  @Test
  void shouldListEveryProblemInTheExceptionMessage() {
    JsonAvroException error = catchThrowableOfType(JsonAvroException.class,
        () -> JsonToAvro.toRecord("{\"v\": [\"a\", \"b\"]}", oneField("{\"type\": \"array\", \"items\": \"int\"}")));

    assertThat(error).hasMessage("""
        2 problems in the JSON for test.T:
          $.v[0]: expected int, found string "a"
          $.v[1]: expected int, found string "b\"""");
  }
}
