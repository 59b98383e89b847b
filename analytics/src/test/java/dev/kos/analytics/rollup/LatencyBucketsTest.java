package dev.kos.analytics.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyBucketsTest {

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({
      "0, 0",
      "0.2, 1",
      "1, 1",
      "1.01, 2",
      "99.5, 100",
      "100, 100",
      "100.1, 110",
      "999, 1000",
      "1000, 1000",
      "1000.5, 1100",
      "10000, 10000",
      "10000.1, 11000",
      "123456, 124000",
      "1e300, 2147483000",
      "Infinity, 2147483000"})
  void shouldPutALatencyInTheBucketOfItsUpperBound(double latencyMs, int bucket) {
    assertThat(LatencyBuckets.bucketOf(latencyMs)).isEqualTo(bucket);
  }

  @Test
  void shouldRejectANegativeOrMissingLatency() {
    assertThatThrownBy(() -> LatencyBuckets.bucketOf(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyBuckets.bucketOf(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldMergeKeyByKeyAndTreatNullAsEmpty() {
    Map<Integer, Long> merged = LatencyBuckets.merge(Arrays.asList(Map.of(1, 2L, 5, 1L), null, Map.of(5, 3L, 10, 1L)));

    assertThat(merged).containsExactly(Map.entry(1, 2L), Map.entry(5, 4L), Map.entry(10, 1L));
  }

  @ParameterizedTest(name = "p{0} -> {1}")
  @CsvSource({
      "0, 1",
      "1, 1",
      "10, 1",
      "11, 2",
      "50, 5",
      "90, 9",
      "95, 10",
      "99, 10",
      "100, 10"})
  void shouldTakeTheSmallestBucketWhoseCumulativeCountReachesTheRank(double percent, int bucket) {
    Map<Integer, Long> tenRequests = new TreeMap<>();
    for (int ms = 1; ms <= 10; ms++) {
      tenRequests.put(ms, 1L);
    }
    assertThat(LatencyBuckets.percentile(tenRequests, percent)).hasValue(bucket);
  }

  @Test
  void shouldNotRoundAWholePercentRankUpByFloatingPointError() {
    Map<Integer, Long> hundred = Map.of(7, 7L, 8, 93L);

    assertThat(LatencyBuckets.percentile(hundred, 7)).hasValue(7);
  }

  @Test
  void shouldSkipEmptyBucketsAndAcceptUnsortedMaps() {
    Map<Integer, Long> histogram = Map.of(3, 0L, 20, 1L, 400, 1L);

    assertThat(LatencyBuckets.percentile(histogram, 0)).hasValue(20);
    assertThat(LatencyBuckets.percentile(histogram, 50)).hasValue(20);
    assertThat(LatencyBuckets.percentile(histogram, 51)).hasValue(400);
  }

  @Test
  void shouldHaveNoPercentileOfNothing() {
    assertThat(LatencyBuckets.percentile(Map.of(), 50)).isEqualTo(OptionalInt.empty());
    assertThat(LatencyBuckets.percentile(LatencyBuckets.merge(List.of()), 99)).isEmpty();
  }

  @Test
  void shouldRejectAPercentOutsideZeroToHundred() {
    assertThatThrownBy(() -> LatencyBuckets.percentile(Map.of(1, 1L), 100.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
