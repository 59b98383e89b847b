package dev.kos.bus.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.InMemorySchemaRegistry;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<Command> serde = new AvroSerde<>(Command.class, registry);

  private static final Command SCALE = Command.newBuilder()
      .setCommandId("c1").setPrincipal("alice").setRole("web")
      .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
      .setPayload(ScaleApp.newBuilder().setAppId("/web").setInstances(5).build())
      .build();

  @Test
  void shouldFrameRecordsInTheConfluentWireFormat() {
    byte[] bytes = serde.serialize("kos.commands", SCALE);

    assertThat(bytes[0]).isZero();
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(registry.schemaById(id)).isEqualTo(Command.getClassSchema());
  }

  @Test
  void shouldRoundTripATypedRecord() {
    assertThat(serde.deserialize("kos.commands", serde.serialize("kos.commands", SCALE))).isEqualTo(SCALE);
  }

  @Test
  void shouldRejectBytesWithoutTheMagicByte() {
    assertThatThrownBy(() -> serde.deserialize("kos.commands", "hello world".getBytes()))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("not the Confluent magic byte");
  }

  @Test
  void shouldRejectARecordShorterThanTheHeader() {
    assertThatThrownBy(() -> serde.deserialize("kos.commands", new byte[] {0, 0}))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("shorter than the 5-byte Confluent header");
  }

  @Test
  void shouldRejectAnUnknownSchemaId() {
    byte[] bytes = serde.serialize("kos.commands", SCALE);
    ByteBuffer.wrap(bytes).putInt(1, 999);

    assertThatThrownBy(() -> serde.deserialize("kos.commands", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("schema id 999 is not in the registry");
  }

  @Test
  void shouldRejectATruncatedBody() {
    byte[] bytes = serde.serialize("kos.commands", SCALE);

    assertThatThrownBy(() -> serde.deserialize("kos.commands", Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("do not decode as Command");
  }

  @Test
  void shouldRejectTrailingBytes() {
    byte[] bytes = serde.serialize("kos.commands", SCALE);

    assertThatThrownBy(() -> serde.deserialize("kos.commands", Arrays.copyOf(bytes, bytes.length + 4)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("trailing bytes");
  }
}
