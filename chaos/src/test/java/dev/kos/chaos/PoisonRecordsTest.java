package dev.kos.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Avro bomb is what it claims: the topic's schema id, then a 5-byte count near 2^31, and it does not decode. */
class PoisonRecordsTest {

  private final ControlBus bus = new ControlBus(new BusSettings("localhost:9", "mock://", new TopicCatalog("t.", 1,
      (short) 1)), new InMemorySchemaRegistry());

  static Stream<Arguments> avroTopics() {
    return Stream.of(Topics.AGENTS, Topics.ACCEPTS, Topics.TASK_STATUS, Topics.COMMANDS, Topics.PLACEMENTS)
        .map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("avroTopics")
  void shouldAnnounceAHugeArrayThatNeverComes(TopicDef<?> topic) {
    byte[] bomb = PoisonRecords.arrayBomb(bus, topic);

    assertThat(bomb[0]).as("magic byte").isZero();
    assertThat(ByteBuffer.wrap(bomb, 1, 4).getInt()).as("a schema id the registry knows").isPositive();
    long count = zigZagVarLong(bomb, bomb.length - 5);
    assertThat(count).as("the last 5 bytes are the array count").isEqualTo(PoisonRecords.BOMB_COUNT);
    Throwable thrown = catchThrowable(() -> bus.serde(topic).deserialize(bus.topic(topic), bomb));
    System.out.println("decoding the bomb of " + topic.suffix() + " (" + bomb.length + " bytes): " + thrown);
    assertThat(thrown).as("the bomb does not decode").isNotNull();
  }

  private static long zigZagVarLong(byte[] bytes, int from) {
    long raw = 0;
    int shift = 0;
    for (int i = from; i < bytes.length; i++) {
      raw |= (long) (bytes[i] & 0x7f) << shift;
      shift += 7;
    }
    return (raw >>> 1) ^ -(raw & 1);
  }
}
