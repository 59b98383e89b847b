package dev.kos.bus.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The example commands in the README's walkthrough must stay valid as the schemas change. */
class ExampleCommandsTest {

  /** Surefire runs with the module directory as working directory. */
  private static final Path EXAMPLES = Path.of("../examples/commands");

  @Test
  void shouldReadScaleWebAsAValidCommand() throws Exception {
    String json = Files.readString(EXAMPLES.resolve("scale-web.json"));

    GenericRecord generic = JsonToAvro.toRecord(json, Command.getClassSchema());
    Command command = JsonToAvro.toSpecificRecord(json, Command.class);

    assertThat(GenericData.get().validate(Command.getClassSchema(), generic)).isTrue();
    assertThat(command.getCommandId()).isEqualTo("cmd-scale-web-5");
    assertThat(command.getPrincipal()).isEqualTo("alice");
    assertThat(command.getRole()).isEqualTo("web");
    assertThat(command.getPayload()).isEqualTo(new ScaleApp("/web", 5));
  }
}
