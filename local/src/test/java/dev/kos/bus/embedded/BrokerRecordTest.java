package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerRecordTest {

  private static final BrokerRecord RECORD = new BrokerRecord("q1Sh-9_ISia_zwGINzRvyQ", 1, new BrokerPorts(19092, 19093));

  @Test
  void shouldReadBackWhatItWrites() {
    assertThat(BrokerRecord.fromProperties(RECORD.toProperties())).isEqualTo(RECORD);
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
      "cluster.id, '', missing cluster.id",
      "broker.port, abc, broker.port is not a number: abc",
      "controller.port, 70000, controller port out of range: 70000",
  })
  void shouldNameTheBadKey(String key, String value, String expectedMessage) {
    Properties properties = RECORD.toProperties();
    properties.setProperty(key, value);

    assertThatThrownBy(() -> BrokerRecord.fromProperties(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expectedMessage);
  }

  @Test
  void shouldReplaceOnlyUnchosenPortsWithFallback() {
    assertThat(new BrokerPorts(0, 9093).orElse(new BrokerPorts(19092, 19093))).isEqualTo(new BrokerPorts(19092, 9093));
  }
}
