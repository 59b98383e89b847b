package dev.kos.bus.consume;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** How a consumer loop takes its records: as a member of a group, or from fixed partitions. */
@FunctionalInterface
public interface Subscription {

  void apply(Consumer<byte[], byte[]> consumer);

  /** Group membership: partitions are balanced across the group's members. */
  static Subscription topics(Collection<String> topics) {
    List<String> copy = List.copyOf(topics);
    return consumer -> consumer.subscribe(copy);
  }

  /**
   * Fixed partitions, for a reader that needs one key's partition (an agent its placements,
   * a framework its offers); {@code fromEnd} skips what was there before it started.
   */
  static Subscription partitions(Collection<TopicPartition> partitions, boolean fromEnd) {
    List<TopicPartition> copy = List.copyOf(partitions);
    return consumer -> {
      consumer.assign(copy);
      if (fromEnd) {
        consumer.seekToEnd(copy);
        copy.forEach(consumer::position);
      }
    };
  }
}
