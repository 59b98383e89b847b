package dev.kos.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A kos process killed with -9 and restarted at once gets its group's partitions back within seconds, not after
 * Kafka's default 45 s session: the chaos suite saw a restarted apps framework answer no command for 40 s.
 */
class GroupSessionSettingsTest {

  private static ConsumerConfig effective(Map<String, String> clientConfig, String groupId) {
    ControlBus bus = new ControlBus(new BusSettings("k:9092", "mem://", TopicCatalog.defaults())
        .withClientConfig(clientConfig), new InMemorySchemaRegistry());
    Properties props = bus.consumerProperties(groupId, "c");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new ConsumerConfig(props);
  }

  @Test
  void shouldHandADeadMembersPartitionsOnWithinTenSeconds() {
    ConsumerConfig config = effective(Map.of(), "kos-apps");

    Duration session = Duration.ofMillis(config.getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    Duration heartbeat = Duration.ofMillis(config.getInt(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    assertThat(session).isLessThanOrEqualTo(Duration.ofSeconds(10))
        .as("the brokers' group.min.session.timeout.ms").isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(heartbeat.multipliedBy(3)).isLessThanOrEqualTo(session);
  }

  @Test
  void shouldLetAnOperatorTuneTheSession() {
    assertThat(effective(Map.of("session.timeout.ms", "30000"), "kos-apps")
        .getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(30_000);
  }
}
