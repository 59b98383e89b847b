package dev.kos.agent.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportPacerTest {
  private static final Instant T0 = Instant.parse("2026-12-08T03:00:00Z");
  private static final int INTERVAL_MS = 250;

  /** What a shell does at a millisecond: a heartbeat (or registration) goes out, or used resources change. */
  enum Kind { HEARTBEAT, CHANGE }

  record Event(int atMs, Kind kind) {
  }

  /** A report that went out: forced (registration, heartbeat) or paced (a change). */
  record Sent(int atMs, boolean forced) {
  }

  /**
   * Plays the events as a shell does, looking for held changes every {@code pollMs} (the fleet's tick; the real
   * agent's timer is the same with a poll at the due time), until {@code untilMs}.
   */
  private static List<Sent> play(List<Event> events, int pollMs, int untilMs) {
    ReportPacer pacer = new ReportPacer(Duration.ofMillis(INTERVAL_MS));
    List<Sent> sent = new ArrayList<>();
    int next = 0;
    for (int ms = 0; ms <= untilMs; ms++) {
      Instant now = T0.plusMillis(ms);
      for (; next < events.size() && events.get(next).atMs() == ms; next++) {
        if (events.get(next).kind() == Kind.HEARTBEAT) {
          pacer.reported(now);
          sent.add(new Sent(ms, true));
        } else if (pacer.changed(now)) {
          pacer.reported(now);
          sent.add(new Sent(ms, false));
        }
      }
      if (ms % pollMs == 0 && pacer.due(now)) {
        pacer.reported(now);
        sent.add(new Sent(ms, false));
      }
    }
    return sent;
  }

  private static Event hb(int atMs) {
    return new Event(atMs, Kind.HEARTBEAT);
  }

  private static Event change(int atMs) {
    return new Event(atMs, Kind.CHANGE);
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        Arguments.of("a change before any report goes out at once", List.of(change(5)),
            List.of(new Sent(5, false))),
        Arguments.of("a change an interval after the last report goes out at once", List.of(hb(0), change(250)),
            List.of(new Sent(0, true), new Sent(250, false))),
        Arguments.of("a change within the interval waits for its end", List.of(hb(0), change(100)),
            List.of(new Sent(0, true), new Sent(250, false))),
        Arguments.of("a burst of changes is one report", List.of(hb(0), change(10), change(20), change(240)),
            List.of(new Sent(0, true), new Sent(250, false))),
        Arguments.of("changes right after a paced report wait a whole interval",
            List.of(hb(0), change(300), change(310), change(320)),
            List.of(new Sent(0, true), new Sent(300, false), new Sent(550, false))),
        Arguments.of("a heartbeat carries a held change", List.of(hb(0), change(100), hb(200)),
            List.of(new Sent(0, true), new Sent(200, true))),
        Arguments.of("a heartbeat is never held", List.of(hb(0), change(1), hb(2), hb(3)),
            List.of(new Sent(0, true), new Sent(2, true), new Sent(3, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void shouldSendEachChangeAtOnceOrAtTheEndOfTheInterval(String name, List<Event> events, List<Sent> expected) {
    assertThat(play(events, 1, 2_000)).isEqualTo(expected);
  }

  @Test
  void shouldSayWhenAHeldChangeIsDue() {
    ReportPacer pacer = new ReportPacer(Duration.ofMillis(INTERVAL_MS));
    pacer.reported(T0);

    assertThat(pacer.dueAt()).isEmpty();
    assertThat(pacer.changed(T0.plusMillis(100))).isFalse();
    assertThat(pacer.dueAt()).contains(T0.plusMillis(250));
    assertThat(pacer.due(T0.plusMillis(249))).isFalse();
    assertThat(pacer.due(T0.plusMillis(250))).isTrue();
    pacer.reported(T0.plusMillis(250));
    assertThat(pacer.dueAt()).isEqualTo(Optional.empty());
    assertThat(pacer.due(T0.plusMillis(900))).isFalse();
  }

  @Test
  void shouldRefuseANegativeInterval() {
    assertThatThrownBy(() -> new ReportPacer(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("report pacing interval must be zero or more, got PT-0.001S");
  }

  @Property(tries = 300)
  void pacedReportsAreAnIntervalApartAndTheLastChangeGoesOutWithinTheIntervalAndAPoll(
      @ForAll("timelines") List<Event> events, @ForAll @IntRange(min = 1, max = 40) int pollMs) {
    int until = events.get(events.size() - 1).atMs() + INTERVAL_MS + pollMs + 1;
    List<Sent> sent = play(events, pollMs, until);

    for (int i = 1; i < sent.size(); i++) {
      if (!sent.get(i).forced()) {
        assertThat(sent.get(i).atMs() - sent.get(i - 1).atMs())
            .as("paced report at %d ms, the one before at %d ms", sent.get(i).atMs(), sent.get(i - 1).atMs())
            .isGreaterThanOrEqualTo(INTERVAL_MS);
      }
    }
    for (Event change : events) {
      if (change.kind() == Kind.CHANGE) {
        assertThat(sent).as("a report of the change at %d ms", change.atMs())
            .anySatisfy(report -> assertThat(report.atMs())
                .isBetween(change.atMs(), change.atMs() + INTERVAL_MS + pollMs));
      }
    }
  }

  @Provide
  Arbitrary<List<Event>> timelines() {
    Arbitrary<int[]> step = Combinators.combine(Arbitraries.integers().between(0, 400),
        Arbitraries.integers().between(0, 4)).as((gap, kind) -> new int[] {gap, kind});
    return step.list().ofMinSize(1).ofMaxSize(40).map(steps -> {
      List<Event> events = new ArrayList<>();
      int at = 0;
      for (int[] s : steps) {
        at += s[0];
        events.add(new Event(at, s[1] == 0 ? Kind.HEARTBEAT : Kind.CHANGE));
      }
      return events;
    });
  }
}
