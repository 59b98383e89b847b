package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of what a port range accepts: ports 1 to 65535, begin not after end. */
class PortRangeTest {

  @ParameterizedTest(name = "[{0}-{1}] valid: {2}")
  @CsvSource({
      "1,     1,     true",
      "31000, 32000, true",
      "65535, 65535, true",
      "1,     65535, true",
      "0,     10,    false",
      "-5,    10,    false",
      "10,    9,     false",
      "65535, 65536, false",
  })
  void shouldAcceptOnlyRangesOfRealPorts(int begin, int end, boolean valid) {
    if (valid) {
      assertThat(new PortRange(begin, end).begin()).isEqualTo(begin);
    } else {
      assertThatThrownBy(() -> new PortRange(begin, end)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("need 1 <= begin <= end <= 65535");
    }
  }

  @ParameterizedTest(name = "[100-200] contains {0}: {1}")
  @CsvSource({"99, false", "100, true", "150, true", "200, true", "201, false"})
  void shouldContainItsBoundsInclusively(int port, boolean contained) {
    assertThat(new PortRange(100, 200).contains(port)).isEqualTo(contained);
  }
}
