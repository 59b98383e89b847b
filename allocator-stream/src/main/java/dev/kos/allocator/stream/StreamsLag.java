package dev.kos.allocator.stream;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The allocator's consumer lag for {@code kos_consumer_lag}: the sum of its main consumers' {@code records-lag} per
 * partition, from Kafka Streams' own client metrics. The restore and global consumers are left out: they read
 * changelogs and the global tables, not the allocator's inputs.
 */
final class StreamsLag {

  private StreamsLag() {
  }

  static double of(Map<MetricName, ? extends Metric> metrics) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName name = entry.getKey();
      if (!"records-lag".equals(name.name()) || !"consumer-fetch-manager-metrics".equals(name.group())
          || !name.tags().containsKey("partition")) {
        continue;
      }
      String client = name.tags().getOrDefault("client-id", "");
      if (client.endsWith("restore-consumer") || client.endsWith("global-consumer")) {
        continue;
      }
      if (entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
        sum += value.doubleValue();
      }
    }
    return sum;
  }
}
