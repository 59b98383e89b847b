package dev.kos.bus.consume;

import dev.kos.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the dead letters of kos: a record's origin, its key and value bytes, and why it was not
 * used. Every process that dead-letters builds them here, so every letter fits on the bus: the
 * record it carries may be as large as the broker takes (max.message.bytes, 1 MiB by default), and a
 * letter carrying it whole, plus its origin and reason, would not be. Payloads are cut to a budget
 * that leaves room for the rest, and the reason says so and gives the original size.
 */
public final class DeadLetters {

  /** The most of the original key a letter keeps. */
  public static final int MAX_KEY_BYTES = 16 * 1024;
  /** The most of the original value a letter keeps: half the default broker limit, with room for the rest. */
  public static final int MAX_VALUE_BYTES = 512 * 1024;
  /** The most of a reason a letter keeps; a reason quoting its record could otherwise be as large. */
  public static final int MAX_REASON_CHARS = 8 * 1024;

  private DeadLetters() {
  }

  /** A dead letter for the record at {@code topic}-{@code partition}@{@code offset}, its payload cut to fit. */
  public static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, String reason,
      String consumer, Instant time) {
    List<String> cuts = new ArrayList<>();
    byte[] keptKey = cut("key", key, MAX_KEY_BYTES, cuts);
    byte[] keptValue = cut("value", value, MAX_VALUE_BYTES, cuts);
    String keptReason = reason.length() <= MAX_REASON_CHARS ? reason
        : reason.substring(0, MAX_REASON_CHARS) + "... (reason cut at " + MAX_REASON_CHARS + " of " + reason.length()
            + " characters)";
    if (!cuts.isEmpty()) {
      keptReason += " [" + String.join("; ", cuts) + "]";
    }
    return DeadLetter.newBuilder()
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(keptKey == null ? null : ByteBuffer.wrap(keptKey))
        .setValue(keptValue == null ? null : ByteBuffer.wrap(keptValue))
        .setReason(keptReason)
        .setConsumer(consumer)
        .setTimestamp(time)
        .build();
  }

  /** The Kafka key of a record's dead letter: its original key, cut like the copy the letter carries. */
  public static byte[] keyOf(byte[] key) {
    return key == null || key.length <= MAX_KEY_BYTES ? key : Arrays.copyOf(key, MAX_KEY_BYTES);
  }

  private static byte[] cut(String what, byte[] bytes, int max, List<String> cuts) {
    if (bytes == null || bytes.length <= max) {
      return bytes;
    }
    cuts.add(what + " truncated to the first " + max + " of " + bytes.length + " bytes");
    return Arrays.copyOf(bytes, max);
  }
}
