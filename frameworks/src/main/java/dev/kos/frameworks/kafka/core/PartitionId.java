package dev.kos.frameworks.kafka.core;

import java.util.Comparator;

/** One partition of a topic. */
public record PartitionId(String topic, int partition) implements Comparable<PartitionId> {

  private static final Comparator<PartitionId> ORDER = Comparator.comparing(PartitionId::topic)
      .thenComparingInt(PartitionId::partition);

  @Override
  public int compareTo(PartitionId other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
