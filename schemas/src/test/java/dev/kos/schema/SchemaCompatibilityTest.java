package dev.kos.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * Every schema must read data written with its last released version (BACKWARD), the rule
 * the registry enforces on the bus. The released copies live in src/test/resources/released/;
 * when a version is released, copy src/main/avro there as a new directory and point
 * {@link #LAST_RELEASE} at it.
 */
class SchemaCompatibilityTest {

  private static final Path LAST_RELEASE = Path.of("src/test/resources/released/0.1.0");

  @Test
  void everyReleasedSchemaIsStillReadableByTheCurrentOne() throws Exception {
    Map<String, Schema> released = ReleasedSchemas.load(LAST_RELEASE);
    assertThat(released).as("released schemas").hasSizeGreaterThan(10);

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Schema> entry : released.entrySet()) {
      Class<?> type = Class.forName("dev.kos.schema." + entry.getKey());
      Schema current = SpecificData.get().getSchema(type);
      problems.addAll(incompatibilities(current, entry.getValue()).stream()
          .map(p -> entry.getKey() + ": " + p).toList());
    }
    assertThat(problems).as("backward-incompatible changes since the last release").isEmpty();
  }

  @Test
  void theCheckCatchesANewFieldWithoutDefault() {
    Schema released = Resources.getClassSchema();
    Schema changed = new Schema.Parser().parse(released.toString()
        .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"gpus\",\"type\":\"int\"},"));

    assertThat(incompatibilities(changed, released))
        .containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0: gpus");
  }

  @Test
  void theCheckAcceptsANewFieldWithADefault() {
    Schema released = Resources.getClassSchema();
    Schema changed = new Schema.Parser().parse(released.toString()
        .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"gpus\",\"type\":\"int\",\"default\":0},"));

    assertThat(incompatibilities(changed, released)).isEmpty();
  }

  @Test
  void theCheckCatchesARemovedEnumSymbol() {
    Schema released = TaskStatus.getClassSchema();
    Schema changed = new Schema.Parser().parse(released.toString().replace("\"LOST\",", ""));

    assertThat(incompatibilities(changed, released)).isNotEmpty();
  }

  private static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }
}
