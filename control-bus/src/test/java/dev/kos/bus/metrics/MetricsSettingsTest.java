package dev.kos.bus.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsSettingsTest {

  @ParameterizedTest(name = "{0}:{1} bound to {2} is {3}")
  @CsvSource({
      "127.0.0.1, 0,    39123, http://127.0.0.1:39123/metrics",
      "0.0.0.0,   9464, 9464,  http://127.0.0.1:9464/metrics",
      "::,        9464, 9464,  http://127.0.0.1:9464/metrics",
      "10.0.0.7,  9464, 9464,  http://10.0.0.7:9464/metrics",
      "::1,       9464, 9464,  http://[::1]:9464/metrics",
      "node-1,    9464, 9464,  http://node-1:9464/metrics"})
  void shouldSayWhereThePageIsWithAWildcardShownAsThisMachine(String host, int port, int bound, String url) {
    assertThat(new MetricsSettings(host, port).url(bound)).isEqualTo(url);
  }

  @ParameterizedTest(name = "port {0}")
  @ValueSource(ints = {-2, 65_536, 100_000})
  void shouldRefuseAPortOutOfRangeSayingWhatIsAllowed(int port) {
    assertThatThrownBy(() -> new MetricsSettings("127.0.0.1", port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the metrics port must be 0 to 65535, or -1 for none; it was " + port);
  }

  @ParameterizedTest(name = "port {0} enabled: {1}")
  @CsvSource({"-1, false", "0, true", "9464, true"})
  void shouldServeNothingOnlyWithPortMinusOne(int port, boolean enabled) {
    assertThat(new MetricsSettings("127.0.0.1", port).enabled()).isEqualTo(enabled);
  }

  @org.junit.jupiter.api.Test
  void shouldBeOnByDefaultOnAFreeLoopbackPort() {
    assertThat(MetricsSettings.defaults()).isEqualTo(new MetricsSettings("127.0.0.1", 0));
    assertThat(MetricsSettings.defaults().enabled()).isTrue();
    assertThatThrownBy(() -> new MetricsSettings(" ", 0)).hasMessageContaining("the metrics host is empty");
  }
}
