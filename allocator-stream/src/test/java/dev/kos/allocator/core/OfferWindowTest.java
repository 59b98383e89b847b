package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule that moves a framework's limit of outstanding offers (decision 0023): one row per case, the events as
 * letters ({@code u}: an accept that launched on all of its offer, {@code h}: on half of it, {@code s}: on a small
 * part of it, {@code d}: an offer declined or expired) and the window after each.
 */
class OfferWindowTest {

  record Row(String name, int min, int max, String events, List<Integer> windows) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("each unused offer halves the window, down to the minimum", 1, 16, "ddddd", List.of(8, 4, 2, 1, 1)),
        new Row("each launch doubles it, up to the maximum", 1, 16, "dddduuuuu", List.of(8, 4, 2, 1, 2, 4, 8, 16, 16)),
        new Row("a framework that alternates holds a small window", 1, 16, "ddddudud", List.of(8, 4, 2, 1, 2, 1, 2, 1)),
        new Row("a launch on half an offer counts as filling it", 1, 16, "ddh", List.of(8, 4, 8)),
        new Row("a launch on a small part of an offer leaves the window as it is", 1, 16, "ddddsss",
            List.of(8, 4, 2, 1, 1, 1, 1)),
        new Row("so a framework that holds offers for a few tasks at a time is sent one at a time", 1, 16, "ddddsdsd",
            List.of(8, 4, 2, 1, 1, 1, 1, 1)),
        new Row("a minimum above one is kept", 4, 16, "dddu", List.of(8, 4, 4, 8)),
        new Row("an odd window halves down", 1, 12, "ddd", List.of(6, 3, 1)),
        new Row("a fixed window never moves", 16, 16, "ddu", List.of(16, 16, 16)),
        new Row("no limit at all stays no limit while offers are used", Integer.MAX_VALUE, Integer.MAX_VALUE, "uu",
            List.of(Integer.MAX_VALUE, Integer.MAX_VALUE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldMoveTheWindowThus(Row row) {
    OfferWindow rule = new OfferWindow(row.min(), row.max());
    int window = rule.initial();
    List<Integer> seen = new ArrayList<>();
    for (char event : row.events().toCharArray()) {
      window = switch (event) {
        case 'u' -> rule.afterLaunch(window, 1.0);
        case 'h' -> rule.afterLaunch(window, OfferWindow.FILLED);
        case 's' -> rule.afterLaunch(window, 2.0 / 128);
        default -> rule.afterUnused(window);
      };
      seen.add(window);
    }
    assertThat(rule.initial()).as("a framework starts with the maximum").isEqualTo(row.max());
    assertThat(seen).containsExactlyElementsOf(row.windows());
  }

  @Test
  void shouldRefuseAWindowThatCannotHoldAnOffer() {
    assertThatThrownBy(() -> new OfferWindow(0, 16)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OfferWindow(8, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Whatever a framework does, its window stays between the minimum and the maximum; a launch never shrinks it and
   * an unused offer never grows it; and a launch that fills its offer right after a decline gives back what the
   * decline took (an odd window may lose one).
   */
  @Property(tries = 300)
  void windowStaysWithinItsBounds(
      @ForAll @IntRange(min = 1, max = 64) int min,
      @ForAll @IntRange(min = 0, max = 64) int span,
      @ForAll @Size(max = 60) List<@IntRange(min = -1, max = 100) Integer> events) {
    OfferWindow rule = new OfferWindow(min, min + span);
    int window = rule.initial();
    for (int event : events) {
      int before = window;
      // -1: an offer left unused; 0..100: a launch on that percentage of its offer.
      window = event < 0 ? rule.afterUnused(window) : rule.afterLaunch(window, event / 100.0);
      assertThat(window).isBetween(min, min + span);
      if (event < 0) {
        assertThat(window).isLessThanOrEqualTo(before);
        assertThat(rule.afterLaunch(window, 1.0)).isGreaterThanOrEqualTo(before - 1);
      } else {
        assertThat(window).isGreaterThanOrEqualTo(before);
      }
    }
  }
}
