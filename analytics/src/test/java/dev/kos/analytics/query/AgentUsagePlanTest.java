package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.analytics.query.AgentUsagePlan.Slice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentUsagePlanTest {

  private static final LocalDate D25 = LocalDate.parse("2026-11-25");
  private static final LocalDate D26 = LocalDate.parse("2026-11-26");
  private static final Instant T25_10 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant MIDNIGHT = Instant.parse("2026-11-26T00:00:00Z");
  private static final Instant T26_02 = Instant.parse("2026-11-26T02:00:00Z");

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("one day, one role: the window", Map.of(D25, Set.of("web")), T25_10, T25_10.plusSeconds(3600),
            List.of(new Slice("web", D25, T25_10, T25_10.plusSeconds(3600)))),
        Arguments.of("roles by name", Map.of(D25, Set.of("web", "jobs")), T25_10, T25_10.plusSeconds(60),
            List.of(new Slice("jobs", D25, T25_10, T25_10.plusSeconds(60)),
                new Slice("web", D25, T25_10, T25_10.plusSeconds(60)))),
        Arguments.of("across midnight: each day clipped", Map.of(D25, Set.of("web"), D26, Set.of("web")), T25_10,
            T26_02, List.of(new Slice("web", D25, T25_10, MIDNIGHT), new Slice("web", D26, MIDNIGHT, T26_02))),
        Arguments.of("a day without roles reads nothing", Map.of(D26, Set.of("jobs")), T25_10, T26_02,
            List.of(new Slice("jobs", D26, MIDNIGHT, T26_02))),
        Arguments.of("a day outside the window reads nothing", Map.of(D26, Set.of("web")), T25_10, MIDNIGHT,
            List.of()),
        Arguments.of("an empty window reads nothing", Map.of(D25, Set.of("web")), T25_10, T25_10, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void shouldReadOneSlicePerRoleAndDayClippedToTheWindow(String name, Map<LocalDate, Set<String>> roles, Instant from,
      Instant to, List<Slice> slices) {
    assertThat(AgentUsagePlan.slices(roles, from, to)).isEqualTo(slices);
  }

  @org.junit.jupiter.api.Test
  void shouldAddThePartialsOfEachBucketPerRole() {
    List<AgentUsageRow> rows = List.of(
        row(T25_10, 1, "web", 2, 1.0, 0.75, 200, 120),
        row(T25_10, 2, "web", 1, 0.5, 0.5, 90, 90),
        row(T25_10.plusSeconds(60), 2, "web", 4, 0.4, 0.1, 400, 100),
        row(T25_10.plusSeconds(60), 2, "jobs", 1, 2.0, 2.0, 50, 50));

    assertThat(AgentUsagePlan.byBucket(rows, Granularity.MINUTE)).containsExactly(
        new AgentUsageBucket(T25_10, List.of(new AgentUsage("web", "a1", 3, 1.5, 0.75, 290, 120))),
        new AgentUsageBucket(T25_10.plusSeconds(60), List.of(new AgentUsage("jobs", "a1", 1, 2.0, 2.0, 50, 50),
            new AgentUsage("web", "a1", 4, 0.4, 0.1, 400, 100))));
    assertThat(AgentUsagePlan.byBucket(rows, Granularity.HOUR)).containsExactly(
        new AgentUsageBucket(T25_10, List.of(new AgentUsage("jobs", "a1", 1, 2.0, 2.0, 50, 50),
            new AgentUsage("web", "a1", 7, 1.9, 0.75, 690, 120))));
    assertThat(AgentUsagePlan.total(rows)).containsExactly(new AgentUsage("jobs", "a1", 1, 2.0, 2.0, 50, 50),
        new AgentUsage("web", "a1", 7, 1.9, 0.75, 690, 120));
  }

  /** Every instant of the window on a day the role ran is read exactly once, and nothing outside it. */
  @Property(tries = 300)
  void shouldCoverTheWindowOnTheRolesDaysExactlyOnce(@ForAll("minutes") int fromMinute,
      @ForAll @IntRange(min = 0, max = 5 * 1440) int length, @ForAll("rolesByDay") Map<LocalDate, Set<String>> roles,
      @ForAll("minutes") int probeMinute) {
    Instant base = Instant.parse("2026-11-24T00:00:00Z");
    Instant from = base.plusSeconds(fromMinute * 60L);
    Instant to = from.plusSeconds(length * 60L);
    Instant probe = base.plusSeconds(probeMinute * 60L);
    List<Slice> slices = AgentUsagePlan.slices(roles, from, to);
    LocalDate probeDay = dev.kos.analytics.rollup.TimeBuckets.dayOf(probe.toEpochMilli());
    for (String role : List.of("web", "jobs")) {
      long readings = slices.stream().filter(s -> s.role().equals(role) && s.day().equals(probeDay)
          && !probe.isBefore(s.from()) && probe.isBefore(s.to())).count();
      boolean expected = !probe.isBefore(from) && probe.isBefore(to)
          && roles.getOrDefault(probeDay, Set.of()).contains(role);
      assertThat(readings).as("%s at %s", role, probe).isEqualTo(expected ? 1 : 0);
    }
    assertThat(slices).allSatisfy(s -> assertThat(s.from()).isBefore(s.to()));
  }

  /** Hour buckets add up to the same per-role totals as minute buckets, and both to the total. */
  @Property(tries = 200)
  void shouldCountEverySampleOnceWhateverTheGranularity(@ForAll("rows") List<AgentUsageRow> rows) {
    assertThat(totals(AgentUsagePlan.byBucket(rows, Granularity.HOUR))).isEqualTo(samples(AgentUsagePlan.total(rows)));
    assertThat(totals(AgentUsagePlan.byBucket(rows, Granularity.MINUTE)))
        .isEqualTo(samples(AgentUsagePlan.total(rows)));
  }

  private static Map<String, Long> totals(List<AgentUsageBucket> buckets) {
    Map<String, Long> samples = new TreeMap<>();
    buckets.forEach(b -> b.roles().forEach(u -> samples.merge(u.role(), u.samples(), Long::sum)));
    return samples;
  }

  private static Map<String, Long> samples(List<AgentUsage> usage) {
    Map<String, Long> samples = new TreeMap<>();
    usage.forEach(u -> samples.put(u.role(), u.samples()));
    return samples;
  }

  @Provide
  Arbitrary<Integer> minutes() {
    return Arbitraries.integers().between(0, 7 * 1440);
  }

  @Provide
  Arbitrary<Map<LocalDate, Set<String>>> rolesByDay() {
    return Arbitraries.integers().between(0, 7).set().ofMaxSize(8).flatMap(days ->
        Arbitraries.of("web", "jobs").set().ofMinSize(1).list().ofSize(days.size()).map(roleSets -> {
          Map<LocalDate, Set<String>> map = new TreeMap<>();
          List<Integer> ordered = new ArrayList<>(new TreeSet<>(days));
          for (int i = 0; i < ordered.size(); i++) {
            map.put(LocalDate.parse("2026-11-24").plusDays(ordered.get(i)), roleSets.get(i));
          }
          return map;
        }));
  }

  @Provide
  Arbitrary<List<AgentUsageRow>> rows() {
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3 * 60),
            Arbitraries.longs().between(0, 5), Arbitraries.of("web", "jobs"), Arbitraries.longs().between(1, 10))
        .as((minute, batch, role, samples) -> row(T25_10.plusSeconds(minute * 60L), batch, role, samples,
            samples * 0.5, 0.5, samples * 10.0, 10))
        .list().ofMaxSize(40);
  }

  private static AgentUsageRow row(Instant minute, long batch, String role, long samples, double cpuSum, double cpuMax,
      double memSum, double memMax) {
    return new AgentUsageRow(minute, batch, new AgentUsage(role, "a1", samples, cpuSum, cpuMax, memSum, memMax));
  }
}
