package dev.kos.allocator.stream;

import dev.kos.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds the allocator's dead letters. A dead letter carries the bad record's bytes, so one of a record near
 * the topic's {@code max.message.bytes} (1 MB by default) would itself be too large to publish, and the failed
 * send would fail the stream thread: values past {@link #MAX_VALUE_BYTES} keep their first bytes only, and the
 * reason says so.
 */
final class DeadLetters {

  /** Leaves room under Kafka's default 1 MB limit for the key, the reason and the envelope. */
  static final int MAX_VALUE_BYTES = 900 * 1024;
  static final int MAX_KEY_BYTES = 8 * 1024;
  static final int MAX_REASON_CHARS = 8 * 1024;
  /** Where a record of a compacted table read whole, whose position is not known, came from. */
  static final int UNKNOWN_POSITION = -1;

  private DeadLetters() {
  }

  static DeadLetter of(String topic, int partition, long offset, String key, byte[] value, String reason,
      String consumer, Instant now) {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    String why = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
    if (value != null && value.length > MAX_VALUE_BYTES) {
      why += " (value truncated to its first " + MAX_VALUE_BYTES + " of " + value.length + " bytes)";
    }
    if (keyBytes != null && keyBytes.length > MAX_KEY_BYTES) {
      why += " (key truncated to its first " + MAX_KEY_BYTES + " of " + keyBytes.length + " bytes)";
    }
    return DeadLetter.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)
        .setKey(keyBytes == null ? null : ByteBuffer.wrap(head(keyBytes, MAX_KEY_BYTES)))
        .setValue(value == null ? null : ByteBuffer.wrap(head(value, MAX_VALUE_BYTES)))
        .setReason(why).setConsumer(consumer).setTimestamp(now).build();
  }

  /** The key a dead letter is published under: the original one, cut as its copy in the letter is. */
  static String key(String key) {
    if (key == null) {
      return null;
    }
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= MAX_KEY_BYTES ? key : new String(head(bytes, MAX_KEY_BYTES), StandardCharsets.UTF_8);
  }

  private static byte[] head(byte[] bytes, int max) {
    return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }
}
