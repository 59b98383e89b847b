package dev.kos.analytics.spark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExecutorPlanTest {

  /** 1 core, 512 MiB heap + 384 MiB overhead = 896 MiB per executor. */
  private static final ExecutorSize SMALL = ExecutorSize.of(1, 512, null);

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("spreads one per agent before doubling up", 2, 0, new double[] {2, 2, 2}, new int[] {1, 1, 0}),
        Arguments.of("doubles up once every agent has one", 4, 0, new double[] {2, 2}, new int[] {2, 2}),
        Arguments.of("counts executors already launched", 3, 2, new double[] {2, 2}, new int[] {1, 0}),
        Arguments.of("wants none: declines all", 2, 2, new double[] {2, 2}, new int[] {0, 0}),
        Arguments.of("fewer than wanted when offers are short", 5, 0, new double[] {1, 1.5}, new int[] {1, 1}),
        Arguments.of("an offer smaller than one executor gets none", 1, 0, new double[] {0.5, 1}, new int[] {0, 1}),
        Arguments.of("more executors than wanted are not stopped here", 1, 3, new double[] {2}, new int[] {0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void placesExecutors(String name, int target, int live, double[] offeredCpus, int[] expected) {
    List<OfferView> offers = offers(offeredCpus, 4096);

    Map<String, Integer> plan = ExecutorPlan.place(target, live, offers, SMALL);

    assertThat(plan.values()).containsExactly(Arrays.stream(expected).boxed().toArray(Integer[]::new));
  }

  @ParameterizedTest(name = "heap {0} MiB, overhead {1} -> task mem {2} MiB")
  @MethodSource("sizes")
  void sizesTheTaskAsSparkCountsMemory(long heap, Long overhead, double mem) {
    assertThat(ExecutorSize.of(2, heap, overhead).resources()).isEqualTo(Resources.of(2, mem));
  }

  static Stream<Arguments> sizes() {
    return Stream.of(Arguments.of(512L, null, 896.0), Arguments.of(8192L, null, 9011.0),
        Arguments.of(1024L, 100L, 1124.0));
  }

  @ParameterizedTest(name = "mem per agent {0}")
  @MethodSource("memories")
  void memoryLimitsTheCountToo(double mem, int perAgent) {
    assertThat(ExecutorPlan.place(10, 0, offers(new double[] {8}, mem), SMALL).values()).containsExactly(perAgent);
  }

  static Stream<Arguments> memories() {
    return Stream.of(Arguments.of(895.0, 0), Arguments.of(896.0, 1), Arguments.of(2000.0, 2));
  }

  @org.junit.jupiter.api.Test
  void refusesAnExecutorWithoutCores() {
    assertThatThrownBy(() -> ExecutorSize.of(0, 512, null)).hasMessageContaining("spark.executor.cores");
  }

  @Property
  void neverPlacesMoreThanMissingNorMoreThanFits(@ForAll @IntRange(max = 20) int target,
      @ForAll @IntRange(max = 20) int live, @ForAll @Size(max = 6) List<@IntRange(max = 8) Integer> cpus) {
    List<OfferView> offers = offers(cpus.stream().mapToDouble(Integer::doubleValue).toArray(), 100_000);

    Map<String, Integer> plan = ExecutorPlan.place(target, live, offers, SMALL);

    int placed = plan.values().stream().mapToInt(Integer::intValue).sum();
    int fits = cpus.stream().mapToInt(Integer::intValue).sum();
    assertThat(placed).isEqualTo(Math.min(Math.max(0, target - live), fits));
    IntStream.range(0, offers.size()).forEach(i -> assertThat(plan.get("o" + i)).isLessThanOrEqualTo(cpus.get(i)));
  }

  private static List<OfferView> offers(double[] cpus, double mem) {
    return IntStream.range(0, cpus.length).mapToObj(i -> OfferView.of("o" + i, "a" + i, Resources.of(cpus[i], mem)))
        .toList();
  }
}
