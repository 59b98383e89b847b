package dev.kos.bench.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PercentilesTest {

  static Stream<Arguments> cases() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    return Stream.of(
        Arguments.of(new long[0], 0.5, -1L),
        Arguments.of(new long[] {7}, 0.99, 7L),
        Arguments.of(new long[] {3, 1, 2}, 0.5, 2L),
        Arguments.of(hundred, 0.5, 50L),
        Arguments.of(hundred, 0.99, 99L),
        Arguments.of(hundred, 1.0, 100L));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldTakeTheNearestRank(long[] values, double fraction, long expected) {
    assertThat(Percentiles.of(values, fraction)).isEqualTo(expected);
  }
}
