package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of a framework's moving limit of outstanding offers (decision 0023), on the core: a window
 * {@code min..max}, a cluster and what its frameworks did with their offers, then the offers the next round must make,
 * in the order made.
 */
class OfferWindowRulesTest {

  record Row(String name, int min, int max, Consumer<AllocatorHarness> cluster, String expectedOffers) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a new framework may hold the maximum", 1, 4,
            h -> agents(h, 5).framework("f1", "web"),
            "f1@a1 4/4096, f1@a2 4/4096, f1@a3 4/4096, f1@a4 4/4096"),
        new Row("declined offers shrink the window: the framework is offered one agent, not the four it declined", 1, 4,
            h -> {
              agents(h, 4).framework("f1", "web").round();
              for (int a = 1; a <= 4; a++) {
                h.decline("f1", "a" + a, Duration.ZERO);
              }
            },
            "f1@a1 4/4096"),
        new Row("a launch that fills its offer grows the window again", 1, 4,
            h -> {
              agents(h, 4).framework("f1", "web").round();
              for (int a = 1; a <= 4; a++) {
                h.decline("f1", "a" + a, Duration.ZERO);
              }
              h.round();
              h.accept("f1", "a1", AllocatorHarness.task("t1", 4, 4096));
            },
            "f1@a2 4/4096, f1@a3 4/4096"),
        new Row("a launch on a small part of its offer does not grow the window: the framework has more than it uses",
            1, 4,
            h -> {
              agents(h, 4).framework("f1", "web").round();
              for (int a = 1; a <= 4; a++) {
                h.decline("f1", "a" + a, Duration.ZERO);
              }
              h.round();
              h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024));
            },
            "f1@a2 4/4096"),
        new Row("offers left to expire shrink the window as declines do", 1, 2,
            h -> {
              agents(h, 2).framework("f1", "web").round();
              h.advance(Duration.ofSeconds(30));
              h.allocator.expireOffers(h.now);
            },
            "f1@a1 4/4096"),
        new Row("the window never goes below its minimum", 2, 4,
            h -> {
              agents(h, 4).framework("f1", "web").round();
              for (int a = 1; a <= 4; a++) {
                h.decline("f1", "a" + a, Duration.ZERO);
              }
            },
            "f1@a1 4/4096, f1@a2 4/4096"),
        new Row("each framework has its own window: one that declines holds back nobody else", 1, 2,
            h -> {
              h.framework("f1", "web").framework("f2", "web");
              agents(h, 4).round();
              // f1 was offered a1 and a3 and declines both; f2, offered a2 and a4, launches on a2.
              h.decline("f1", "a1", Duration.ZERO);
              h.decline("f1", "a3", Duration.ZERO);
              h.accept("f2", "a2", AllocatorHarness.task("t1", 4, 4096));
            },
            "f1@a1 4/4096, f2@a3 4/4096"),
        new Row("a fixed window (min = max) is the limit of decision 0021: declines do not shrink it", 2, 2,
            h -> {
              agents(h, 2).framework("f1", "web").round();
              h.decline("f1", "a1", Duration.ZERO);
              h.decline("f1", "a2", Duration.ZERO);
            },
            "f1@a1 4/4096, f1@a2 4/4096"));
  }

  private static AllocatorHarness agents(AllocatorHarness h, int count) {
    for (int a = 1; a <= count; a++) {
      h.agent("a" + a, 4, 4096);
    }
    return h;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldOfferWithinEachFrameworksWindow(Row row) {
    AllocatorHarness harness =
        AllocatorHarness.create(AllocatorConfig.defaults().withOfferWindow(row.min(), row.max()));
    row.cluster().accept(harness);

    Decisions decisions = harness.round();

    assertThat(AllocatorHarness.describe(decisions.offers())).isEqualTo(row.expectedOffers());
  }
}
