package dev.kos.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContactPointsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:9142          | 127.0.0.1:9142",
      "a:1, b:2                | a:1,b:2",
      "cassandra               | cassandra:9042",
      "[::1]:9043              | ::1:9043",
      "::1                     | ::1:9042",
      "a:1,,                   | a:1"})
  void shouldParseAndFormatContactPoints(String text, String formatted) {
    List<InetSocketAddress> points = ContactPoints.parse(text);

    assertThat(ContactPoints.format(points)).isEqualTo(formatted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " , ", "host:port", "host:70000", ":9042"})
  void shouldRejectWhatIsNotAContactPoint(String text) {
    assertThatThrownBy(() -> ContactPoints.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contact point");
  }
}
