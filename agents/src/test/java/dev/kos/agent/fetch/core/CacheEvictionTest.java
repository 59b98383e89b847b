package dev.kos.agent.fetch.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.fetch.core.CacheEviction.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheEvictionTest {

  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  private static CacheEntry entry(String sha, long bytes, int secondsAfter) {
    return new CacheEntry(sha, bytes, T0.plusSeconds(secondsAfter));
  }

  static Stream<Arguments> decisions() {
    List<CacheEntry> full = List.of(entry("old", 40, 0), entry("mid", 30, 10), entry("new", 30, 20));
    return Stream.of(
        Arguments.of("room left: nothing goes", List.of(entry("a", 10, 0)), Set.of(), 100, 50,
            new Decision.Admit(List.of())),
        Arguments.of("exactly full after", List.of(entry("a", 50, 0)), Set.of(), 100, 50, new Decision.Admit(List.of())),
        Arguments.of("the least recently used goes first", full, Set.of(), 100, 30, new Decision.Admit(List.of("old"))),
        Arguments.of("as many as it takes", full, Set.of(), 100, 60, new Decision.Admit(List.of("old", "mid"))),
        Arguments.of("one in use stays", full, Set.of("old"), 100, 30, new Decision.Admit(List.of("mid"))),
        Arguments.of("an empty cache takes the bound", List.of(), Set.of(), 100, 100, new Decision.Admit(List.of())),
        Arguments.of("bigger than the cache", List.of(), Set.of(), 100, 101,
            new Decision.Refuse("it is 101 bytes, more than this agent's artifact cache holds (100 bytes)")),
        Arguments.of("everything in use", full, Set.of("old", "mid", "new"), 100, 1,
            new Decision.Refuse("this agent's artifact cache (100 bytes) is taken by artifacts that tasks are being "
                + "given now; launch it again in a moment")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void shouldEvictLeastRecentlyUsedFirst(String name, List<CacheEntry> cached, Set<String> inUse, long bound,
      long incoming, Decision expected) {
    assertThat(CacheEviction.admit(cached, inUse, bound, incoming)).isEqualTo(expected);
  }

  @Property(tries = 500)
  void admittedStaysWithinTheBoundAndEvictsOnlyWhatIsOlderThanWhatStays(
      @ForAll("caches") List<CacheEntry> cached, @ForAll("pins") Set<String> inUse,
      @ForAll @LongRange(min = 0, max = 300) long incoming) {
    long bound = 200;
    Decision decision = CacheEviction.admit(cached, inUse, bound, incoming);
    if (decision instanceof Decision.Admit admit) {
      List<CacheEntry> kept = new ArrayList<>(cached.stream().filter(e -> !admit.evict().contains(e.sha256())).toList());
      assertThat(kept.stream().mapToLong(CacheEntry::bytes).sum() + incoming).isLessThanOrEqualTo(bound);
      assertThat(admit.evict()).noneMatch(inUse::contains);
      // Least recently used first: every evicted entry is no newer than every kept entry that could have gone.
      for (String evicted : admit.evict()) {
        CacheEntry gone = cached.stream().filter(e -> e.sha256().equals(evicted)).findFirst().orElseThrow();
        kept.stream().filter(e -> !inUse.contains(e.sha256()))
            .forEach(stays -> assertThat(gone.lastUsed()).isBeforeOrEqualTo(stays.lastUsed()));
      }
      // Nothing evicted without need: keeping the last one evicted would not have fit.
      if (!admit.evict().isEmpty()) {
        CacheEntry last = cached.stream().filter(e -> e.sha256().equals(admit.evict().get(admit.evict().size() - 1)))
            .findFirst().orElseThrow();
        assertThat(kept.stream().mapToLong(CacheEntry::bytes).sum() + last.bytes() + incoming).isGreaterThan(bound);
      }
    } else {
      long pinned = cached.stream().filter(e -> inUse.contains(e.sha256())).mapToLong(CacheEntry::bytes).sum();
      assertThat(incoming > bound || pinned + incoming > bound).isTrue();
    }
  }

  @Provide
  Arbitrary<List<CacheEntry>> caches() {
    Arbitrary<CacheEntry> entry = Arbitraries.integers().between(0, 9).flatMap(id ->
        Arbitraries.longs().between(0, 120).flatMap(bytes -> Arbitraries.integers().between(0, 50)
            .map(age -> entry("s" + id, bytes, age))));
    return entry.list().ofMaxSize(8).uniqueElements(CacheEntry::sha256);
  }

  @Provide
  Arbitrary<Set<String>> pins() {
    return Arbitraries.integers().between(0, 9).map(id -> "s" + id).set().ofMaxSize(3).map(HashSet::new);
  }
}
