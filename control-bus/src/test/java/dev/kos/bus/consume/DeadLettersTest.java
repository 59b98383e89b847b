package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.serde.AvroSerde;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import dev.kos.schema.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
  /** The producer's default max.request.size, less the record batch's own overhead. */
  private static final int LIMIT = 1024 * 1024 - 200;

  @Test
  void shouldKeepASmallRecordWhole() {
    DeadLetter letter = DeadLetters.of("kos.commands", 1, 7, "/web".getBytes(StandardCharsets.UTF_8),
        new byte[] {1, 2, 3}, "rejected: unknown app", "apps", NOW);

    assertThat(letter.getReason()).isEqualTo("rejected: unknown app");
    assertThat(letter.getValue().array()).containsExactly(1, 2, 3);
    assertThat(letter.getKey().array()).isEqualTo("/web".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldSayWhatItCutAndFromWhichSize() {
    DeadLetter letter = DeadLetters.of("kos.commands", 1, 7, new byte[20_000], new byte[600_000],
        "undecodable: garbage", "apps", NOW);

    assertThat(letter.getReason()).isEqualTo("undecodable: garbage [key truncated to the first 16384 of 20000 bytes; "
        + "value truncated to the first 524288 of 600000 bytes]");
    assertThat(letter.getKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
    assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.MAX_VALUE_BYTES);
  }

  @Test
  void shouldKeepNullPayloadsNull() {
    DeadLetter letter = DeadLetters.of("kos.accepts", 0, 3, null, null, "null value", "allocator", NOW);

    assertThat(letter.getKey()).isNull();
    assertThat(letter.getValue()).isNull();
    assertThat(DeadLetters.keyOf(null)).isNull();
  }

  @Property(tries = 30)
  void shouldAlwaysFitUnderTheMessageSizeLimit(@ForAll @IntRange(max = 1024 * 1024) int keyBytes,
      @ForAll @IntRange(max = 1024 * 1024) int valueBytes, @ForAll @IntRange(max = 200_000) int reasonChars) {
    DeadLetter letter = DeadLetters.of("kos.commands", 3, Long.MAX_VALUE, new byte[keyBytes], new byte[valueBytes],
        "é".repeat(reasonChars), "kos-agent-a1", NOW);
    AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.class, new InMemorySchemaRegistry());

    int size = serde.serialize("kos.dead-letters", letter).length + DeadLetters.keyOf(new byte[keyBytes]).length;

    assertThat(size).isLessThan(LIMIT);
  }
}
