package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of the limit on offers outstanding to one framework (decision 0021): a core with that limit, a
 * cluster, then the offers the next round must make, in the order made.
 */
class OfferLimitRulesTest {

  record Row(String name, int limit, Consumer<AllocatorHarness> cluster, String expectedOffers) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a framework is offered no more agents than its limit", 2,
            h -> h.agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096).framework("f1", "web"),
            "f1@a1 4/4096, f1@a2 4/4096"),
        new Row("frameworks take turns up to their limits", 1,
            h -> h.framework("f1", "web").framework("f2", "web")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096),
            "f1@a1 4/4096, f2@a2 4/4096"),
        new Row("the fairest framework at its limit holds nobody back: what it cannot take goes to the others", 1,
            h -> h.role(RoleConfig.defaults("a").withWeight(3)).framework("fa", "a")
                .framework("fb1", "b").framework("fb2", "b")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096).agent("a4", 4, 4096),
            "fa@a1 4/4096, fb1@a2 4/4096, fb2@a3 4/4096"),
        new Row("a framework that never answers its offers does not stop the others being offered", 1,
            h -> {
              h.framework("b-worker", "b").agent("a0", 4, 4096).round();
              h.accept("b-worker", "a0", AllocatorHarness.task("t1", 4, 4096));
              // "a-hoarder" holds its one offer and says nothing: even counting that offer, its role stays the
              // fairest (1 of 13 cpus against b's 4), round after round.
              h.framework("a-hoarder", "a").agent("a1", 1, 1024).round();
              h.agent("a2", 4, 4096).agent("a3", 4, 4096);
            },
            "b-worker@a2 4/4096"),
        new Row("a framework at its limit gets nothing in the next round either", 1,
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.agent("a2", 4, 4096);
            },
            ""),
        new Row("a declined offer makes room for another agent", 1,
            h -> {
              h.agent("a1", 4, 4096).agent("a2", 4, 4096).framework("f1", "web").round();
              h.decline("f1", "a1", Duration.ofSeconds(5));
            },
            "f1@a2 4/4096"),
        new Row("an accepted offer makes room for the rest of its agent", 1,
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024));
            },
            "f1@a1 3/3072"),
        new Row("an expired offer makes room: its agent is offered again", 1,
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.advance(Duration.ofSeconds(30));
              h.allocator.expireOffers(h.now);
            },
            "f1@a1 4/4096"),
        new Row("a suppressed framework's held offers still count, and revive does not lift the limit", 1,
            h -> {
              h.agent("a1", 4, 4096).agent("a2", 4, 4096).framework("f1", "web").round();
              h.allocator.suppress("f1");
              h.allocator.revive("f1");
            },
            ""),
        new Row("the default limit lets a lone framework take many agents in one round",
            AllocatorConfig.DEFAULT_MAX_OFFERS_PER_FRAMEWORK,
            h -> h.agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096).framework("f1", "web"),
            "f1@a1 4/4096, f1@a2 4/4096, f1@a3 4/4096"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldOfferWithinTheLimit(Row row) {
    AllocatorHarness harness = AllocatorHarness.create(
        AllocatorConfig.defaults().withMaxOffersPerFramework(row.limit()));
    row.cluster().accept(harness);

    Decisions decisions = harness.round();

    assertThat(AllocatorHarness.describe(decisions.offers())).isEqualTo(row.expectedOffers());
  }
}
