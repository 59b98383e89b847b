package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddedKafkaSettingsTest {

  @Test
  void shouldDefaultToATemporaryDirFreePortsAndTheDocumentedLimits() {
    EmbeddedKafkaSettings defaults = EmbeddedKafkaSettings.defaults();

    assertThat(defaults.dataDir()).isEmpty();
    assertThat(defaults.ports()).isEqualTo(BrokerPorts.ANY);
    assertThat(defaults.maxHeap()).isEqualTo("512m");
    assertThat(defaults.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.serverOverrides()).as("no security").isEmpty();
    assertThat(defaults.clientConfig()).isEmpty();
  }

  @Test
  void shouldKeepOverridesAndClientConfigThroughOtherChanges() {
    EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults()
        .withServerOverrides(Map.of("sasl.enabled.mechanisms", "PLAIN"))
        .withClientConfig(Map.of("security.protocol", "SASL_PLAINTEXT"))
        .withMaxHeap("1g")
        .withPorts(new BrokerPorts(19092, 19093));

    assertThat(settings.serverOverrides()).containsExactly(Map.entry("sasl.enabled.mechanisms", "PLAIN"));
    assertThat(settings.clientConfig()).containsExactly(Map.entry("security.protocol", "SASL_PLAINTEXT"));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("heap without a number", (Supplier<?>) () -> EmbeddedKafkaSettings.defaults().withMaxHeap("lots"), "maxHeap"),
        Arguments.of("heap with a JVM flag", (Supplier<?>) () -> EmbeddedKafkaSettings.defaults().withMaxHeap("-Xmx1g"), "maxHeap"),
        Arguments.of("zero start timeout", (Supplier<?>) () -> EmbeddedKafkaSettings.defaults().withStartTimeout(Duration.ZERO), "startTimeout"),
        Arguments.of("port out of range", (Supplier<?>) () -> new BrokerPorts(70_000, 0), "out of range"),
        Arguments.of("same port twice", (Supplier<?>) () -> new BrokerPorts(9092, 9092), "must differ"),
        Arguments.of("override of a setting kos derives from the ports",
            (Supplier<?>) () -> EmbeddedKafkaSettings.defaults().withServerOverrides(Map.of("listeners", "SASL_PLAINTEXT://:9092")),
            "cannot set [listeners]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void shouldRejectAtConstruction(String name, Supplier<?> construction, String messagePart) {
    assertThatThrownBy(construction::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }
}
