package dev.kos.bus.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.InMemorySchemaRegistry;
import dev.kos.schema.Accept;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.ScaleApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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

  /** The largest count Avro's own limit (SystemLimitException) lets through by default. */
  private static final long HUGE = Integer.MAX_VALUE - 8;

  @Test
  void shouldRejectAnArrayHeaderAnnouncingTwoBillionItemsWithoutAllocatingThem() throws IOException {
    // Accept's first field is offerIds, an array of strings: 5 bytes of Avro announce the whole array.
    byte[] bytes = framed(Accept.getClassSchema(), "kos.accepts", encoder -> encoder.writeLong(HUGE));
    assertThat(bytes).hasSize(10);

    assertThatThrownBy(() -> new AvroSerde<>(Accept.class, registry).deserialize("kos.accepts", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("do not decode as Accept")
        .hasMessageContaining("block of " + HUGE + " items but only 0 bytes are left");
  }

  @Test
  void shouldRejectAMapHeaderAnnouncingMoreEntriesThanBytesLeft() throws IOException {
    // AgentReport: agentId, hostname, total, used, reservations (empty), then the attributes map.
    byte[] bytes = framed(AgentReport.getClassSchema(), "kos.agent-reports", encoder -> {
      encoder.writeString("agent-1");
      encoder.writeString("host-1");
      for (int resources = 0; resources < 2; resources++) {
        encoder.writeDouble(1);
        encoder.writeDouble(1);
        encoder.writeDouble(1);
        encoder.writeLong(0);
      }
      encoder.writeLong(0);
      encoder.writeLong(HUGE);
    });

    assertThatThrownBy(() -> new AvroSerde<>(AgentReport.class, registry).deserialize("kos.agent-reports", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("map block of " + HUGE + " items but only 0 bytes are left");
  }

  @Test
  void shouldRejectAStringLongerThanTheRecord() throws IOException {
    // One offer id whose length claims two gigabytes.
    byte[] bytes = framed(Accept.getClassSchema(), "kos.accepts", encoder -> {
      encoder.writeLong(1);
      encoder.writeLong(HUGE);
    });

    assertThatThrownBy(() -> new AvroSerde<>(Accept.class, registry).deserialize("kos.accepts", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("string of " + HUGE + " bytes but only 0 bytes are left");
  }

  @Test
  void shouldRejectBytesLongerThanTheRecord() throws IOException {
    // DeadLetter: topic, partition, offset, then key as the bytes branch of [null, bytes].
    byte[] bytes = framed(DeadLetter.getClassSchema(), "kos.dead-letters", encoder -> {
      encoder.writeString("kos.commands");
      encoder.writeInt(0);
      encoder.writeLong(7);
      encoder.writeIndex(1);
      encoder.writeLong(HUGE);
    });

    assertThatThrownBy(() -> new AvroSerde<>(DeadLetter.class, registry).deserialize("kos.dead-letters", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("bytes of " + HUGE + " bytes but only 0 bytes are left");
  }

  @Test
  void shouldTurnAvrosOwnLimitIntoAMalformedRecord() throws IOException {
    // A count past Avro's SystemLimitException threshold: its exception is a decode failure like any other.
    byte[] bytes = framed(Accept.getClassSchema(), "kos.accepts", encoder -> encoder.writeLong(Integer.MAX_VALUE));

    assertThatThrownBy(() -> new AvroSerde<>(Accept.class, registry).deserialize("kos.accepts", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("do not decode as Accept");
  }

  @Test
  void shouldStillDecodeARecordWithArraysAndMaps() {
    AvroSerde<Accept> accepts = new AvroSerde<>(Accept.class, registry);
    Accept accept = Accept.newBuilder().setOfferIds(java.util.List.of("o1", "o2", "o3")).setFrameworkId("f")
        .setAgentId("a").setOperations(java.util.List.of()).setTimestamp(Instant.ofEpochMilli(1)).build();

    assertThat(accepts.deserialize("kos.accepts", accepts.serialize("kos.accepts", accept))).isEqualTo(accept);
  }

  @FunctionalInterface
  private interface Body {
    void write(BinaryEncoder encoder) throws IOException;
  }

  /** Hand-written Avro under the Confluent header of a registered kos schema. */
  private byte[] framed(org.apache.avro.Schema schema, String topic, Body body) throws IOException {
    int id = registry.register(AvroSerde.valueSubject(topic), schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(WireFormat.header(id));
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    body.write(encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
