package dev.kos.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Every kos producer rides out a bus outage of at least a minute, as Kafka will read its settings. */
class ProducerOutageSettingsTest {

  private static final Duration OUTAGE = Duration.ofSeconds(60);

  private static ProducerConfig effective(Map<String, String> clientConfig) {
    ControlBus bus = new ControlBus(new BusSettings("k:9092", "mem://", TopicCatalog.defaults())
        .withClientConfig(clientConfig), new InMemorySchemaRegistry());
    java.util.Properties props = bus.producerProperties("p");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new ProducerConfig(props);
  }

  @Test
  void shouldKeepRetryingASendForMuchLongerThanAnOutage() {
    ProducerConfig config = effective(Map.of());

    // A record sent just as the bus goes away is retried until delivery.timeout.ms; its last attempt
    // may take request.timeout.ms, so the outage it survives is the difference.
    long survives = config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)
        - config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) - config.getLong(ProducerConfig.LINGER_MS_CONFIG);
    assertThat(Duration.ofMillis(survives)).isGreaterThanOrEqualTo(OUTAGE.multipliedBy(2));
    assertThat(config.getInt(ProducerConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
    assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
    assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
  }

  @Test
  void shouldWaitLongerThanAnOutageForATopicsFirstMetadata() {
    // send() blocks until it knows the topic's partitions: a process that starts, or first writes a
    // topic, during an outage must not give up before the outage ends.
    assertThat(Duration.ofMillis(effective(Map.of()).getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)))
        .isGreaterThan(OUTAGE);
  }

  @Test
  void shouldLetAnOperatorTuneTheTimeouts() {
    assertThat(effective(Map.of("delivery.timeout.ms", "600000")).getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
        .isEqualTo(600_000);
  }
}
