package dev.kos.bus.consume;

/** A decoded record with where it came from; {@code value} is null for a tombstone. */
public record BusRecord<V>(String topic, int partition, long offset, String key, V value, long timestamp) {
}
