package dev.kos.frameworks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A broker's bytes-in rate as its sample says it: over the last interval, from JMX's totals. */
class BrokerTrafficRateTest {

  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  private static final double ONE_MINUTE_RATE = 777;

  static Stream<Arguments> rates() {
    ClusterWatch.Sampled fiveSecondsAgo = new ClusterWatch.Sampled(T0, 0,
        Optional.of(new BrokerJmx.Traffic(0, 0, 10_000, 0)));
    return Stream.of(
        Arguments.of("no earlier sample: Kafka's one-minute rate", Optional.empty(), 60_000L, ONE_MINUTE_RATE),
        Arguments.of("the earlier sample had no JMX answer", Optional.of(new ClusterWatch.Sampled(T0, 0,
            Optional.empty())), 60_000L, ONE_MINUTE_RATE),
        Arguments.of("50,000 bytes in 5 s", Optional.of(fiveSecondsAgo), 60_000L, 10_000.0),
        Arguments.of("nothing came in", Optional.of(fiveSecondsAgo), 10_000L, 0.0),
        Arguments.of("the total went back: the broker restarted", Optional.of(fiveSecondsAgo), 500L,
            ONE_MINUTE_RATE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rates")
  void shouldRateTheLastIntervalFromTheTotals(String name, Optional<ClusterWatch.Sampled> before, long total,
      double rate) {
    assertThat(ClusterWatch.Sampled.rate(before, T0.plusSeconds(5), total, ONE_MINUTE_RATE,
        BrokerJmx.Traffic::bytesIn)).isEqualTo(rate);
  }
}
