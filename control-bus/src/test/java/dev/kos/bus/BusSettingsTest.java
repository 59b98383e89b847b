package dev.kos.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BusSettingsTest {

  private static final Map<String, String> SASL = Map.of(
      "security.protocol", "SASL_PLAINTEXT",
      "sasl.mechanism", "PLAIN",
      "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\";",
      "enable.idempotence", "false",
      "isolation.level", "read_uncommitted");

  private final ControlBus bus = new ControlBus(new BusSettings("k:9092", "mem://", TopicCatalog.defaults())
      .withClientConfig(SASL), new InMemorySchemaRegistry());

  @Test
  void shouldGiveEveryProducerAndConsumerTheClientConfig() {
    for (Properties props : new Properties[] {bus.producerProperties("p"), bus.consumerProperties("g", "c")}) {
      assertThat(props).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
          .containsEntry("bootstrap.servers", "k:9092");
    }
    assertThat(bus.settings().adminConfig()).containsEntry("sasl.jaas.config", SASL.get("sasl.jaas.config"))
        .containsEntry("bootstrap.servers", "k:9092");
  }

  @Test
  void shouldKeepTheSettingsKosIsCorrectByOverTheClientConfig() {
    assertThat(bus.producerProperties("p")).containsEntry("enable.idempotence", "true");
    assertThat(bus.consumerProperties("g", "c")).containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", "false");
  }

  @Test
  void shouldRefuseAClientConfigThatNamesAnotherBus() {
    assertThatThrownBy(() -> new BusSettings("k:9092", "mem://", TopicCatalog.defaults(),
        Map.of("bootstrap.servers", "elsewhere:9092")))
        .hasMessageContaining("bootstrap.servers").hasMessageContaining("--bootstrap-server");
  }
}
