package dev.kos.analytics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class LatencyBucketsPropertiesTest {

  @Property
  void percentileNeverFallsWhenThePercentRises(
      @ForAll("histograms") Map<Integer, Long> histogram,
      @ForAll @DoubleRange(min = 0, max = 100) double lower,
      @ForAll @DoubleRange(min = 0, max = 100) double higher) {
    double low = Math.min(lower, higher);
    double high = Math.max(lower, higher);

    assertThat(LatencyBuckets.percentile(histogram, low).getAsInt())
        .isLessThanOrEqualTo(LatencyBuckets.percentile(histogram, high).getAsInt());
  }

  @Property
  void mergeIsAssociativeAndCommutative(
      @ForAll("histograms") Map<Integer, Long> a,
      @ForAll("histograms") Map<Integer, Long> b,
      @ForAll("histograms") Map<Integer, Long> c) {
    Map<Integer, Long> leftFirst = LatencyBuckets.merge(List.of(LatencyBuckets.merge(List.of(a, b)), c));
    Map<Integer, Long> rightFirst = LatencyBuckets.merge(List.of(a, LatencyBuckets.merge(List.of(c, b))));

    assertThat(leftFirst).isEqualTo(rightFirst);
  }

  @Property
  void aLatencyNeverExceedsItsBucketByOneBucketWidth(@ForAll @DoubleRange(min = 0, max = 1e7) double latencyMs) {
    int bucket = LatencyBuckets.bucketOf(latencyMs);
    double width = latencyMs <= 100 ? 1 : latencyMs <= 1_000 ? 10 : latencyMs <= 10_000 ? 100 : 1_000;

    assertThat((double) bucket).isGreaterThanOrEqualTo(latencyMs).isLessThan(latencyMs + width);
    assertThat(LatencyBuckets.bucketOf(bucket)).isEqualTo(bucket);
  }

  @Provide
  Arbitrary<Map<Integer, Long>> histograms() {
    Arbitrary<Integer> buckets = Arbitraries.doubles().between(0, 20_000).map(LatencyBuckets::bucketOf);
    return Arbitraries.maps(buckets, Arbitraries.longs().between(1, 1_000)).ofMinSize(1).ofMaxSize(20);
  }
}
