package dev.kos.bus.catalog;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition Kafka's default partitioner puts a key on (murmur2 of the key's bytes), so
 * that a reader of one key's records (an agent, a framework) can read just that partition.
 */
public final class KeyPartitioner {

  private KeyPartitioner() {
  }

  public static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
