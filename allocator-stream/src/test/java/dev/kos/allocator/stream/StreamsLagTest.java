package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** Which of Kafka Streams' client metrics make the allocator's {@code kos_consumer_lag}. */
class StreamsLagTest {

  @Test
  void shouldSumThePartitionLagsOfTheMainConsumersOnly() {
    Map<MetricName, Metric> metrics = new LinkedHashMap<>();
    lag(metrics, "kos-allocator-StreamThread-1-consumer", "kos.agents", "0", 5.0);
    lag(metrics, "kos-allocator-StreamThread-1-consumer", "kos.accepts", "1", 2.0);
    lag(metrics, "kos-allocator-StreamThread-2-consumer", "kos.task-status", "0", 1.0);
    lag(metrics, "kos-allocator-StreamThread-1-restore-consumer", "kos-allocator-offers-changelog", "0", 100.0);
    lag(metrics, "kos-allocator-global-consumer", "kos.frameworks", "0", 50.0);
    lag(metrics, "kos-allocator-StreamThread-1-consumer", "kos.commands", "0", Double.NaN);
    metrics.put(new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "",
        Map.of("client-id", "kos-allocator-StreamThread-1-consumer")), metric(1000.0));

    assertThat(StreamsLag.of(metrics)).isEqualTo(8.0);
  }

  private static void lag(Map<MetricName, Metric> metrics, String client, String topic, String partition,
      double value) {
    metrics.put(new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
        Map.of("client-id", client, "topic", topic, "partition", partition)), metric(value));
  }

  private static Metric metric(double value) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return null;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    };
  }
}
