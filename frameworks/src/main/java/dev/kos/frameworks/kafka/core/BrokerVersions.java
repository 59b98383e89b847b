package dev.kos.frameworks.kafka.core;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The Kafka releases this framework can run brokers of: the one a new cluster gets unless it names another, and
 * every release it has a classpath for.
 */
public record BrokerVersions(String defaultVersion, SortedSet<String> available) {

  public BrokerVersions {
    if (!available.contains(defaultVersion)) {
      throw new IllegalArgumentException("the default Kafka release " + defaultVersion + " is not among "
          + available);
    }
    available.forEach(KafkaVersion::parse);
    available = Collections.unmodifiableSortedSet(new TreeSet<>(available));
  }

  public boolean runs(String version) {
    return available.contains(version);
  }
}
