package dev.kos.frameworks.jobs.core;

import static dev.kos.frameworks.jobs.core.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Invariants of schedules and runs under random expressions and random sequences of events. */
class JobsPropertiesTest {

  private static final long FIVE_YEARS = 5L * 365 * 24 * 3600;

  @Property(tries = 300)
  void nextFireIsAfterTheGivenTimeAndMonotone(@ForAll("expressions") String expression,
      @ForAll @LongRange(min = 0, max = FIVE_YEARS) long from, @ForAll @LongRange(min = 0, max = 90 * 86400) long later) {
    Schedule schedule = Schedule.parse(expression);
    Instant t1 = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(from);
    Instant t2 = t1.plusSeconds(later);
    Optional<Instant> n1 = schedule.nextAfter(t1);
    Optional<Instant> n2 = schedule.nextAfter(t2);
    assertThat(n1).isPresent();
    assertThat(n2).isPresent();
    assertThat(n1.get()).isAfter(t1);
    assertThat(n2.get()).isAfterOrEqualTo(n1.get());
    // nothing fires between a time and its next fire: the next fire after the one before it is itself
    assertThat(schedule.nextAfter(n1.get().minusSeconds(1))).contains(n1.get());
  }

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> minute = field(0, 59);
    Arbitrary<String> hour = field(0, 23);
    Arbitrary<String> day = field(1, 28);
    Arbitrary<String> month = field(1, 12);
    Arbitrary<String> weekday = field(0, 7);
    Arbitrary<String> cron = Combinators.combine(minute, hour, day, month, weekday)
        .as((a, b, c, d, e) -> String.join(" ", a, b, c, d, e));
    Arbitrary<String> every = Combinators.combine(Arbitraries.integers().between(1, 500), Arbitraries.of("s", "m", "h"))
        .as((n, unit) -> "@every " + n + unit);
    return Arbitraries.oneOf(cron, cron, every);
  }

  private static Arbitrary<String> field(int min, int max) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    Arbitrary<String> range = Combinators.combine(value, value)
        .as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b));
    Arbitrary<String> step = Combinators.combine(Arbitraries.of("*", String.valueOf(min)),
        Arbitraries.integers().between(1, max - min + 1)).as((from, n) -> from + "/" + n);
    Arbitrary<String> item = Arbitraries.oneOf(value.map(String::valueOf), range, step);
    return Arbitraries.oneOf(Arbitraries.just("*"), item,
        item.list().ofMinSize(2).ofMaxSize(3).map(items -> String.join(",", items)));
  }

  /**
   * Whatever the agents report, in whatever order, a run never fails more than its retries allow, never has two
   * attempts on agents at once, and never launches after it ended.
   */
  @Property(tries = 300)
  void retriesNeverExceedTheLimit(@ForAll @IntRange(min = 0, max = 4) int retries,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 99) Integer> events) {
    JobsHarness h = new JobsHarness();
    h.submit(job("flaky").retries(retries).deadline(Duration.ofSeconds(30)));
    for (int event : events) {
      happen(h, event);
      Run run = h.job("flaky").last().orElseThrow();
      assertThat(run.failures()).isLessThanOrEqualTo(retries + 1);
      assertThat(h.launches().size() - dropped(h)).isLessThanOrEqualTo(retries + 1);
      if (run.state().ended()) {
        int launched = h.launches().size();
        h.advance(Duration.ofMinutes(10)).planWithOffers(4, "a1");
        assertThat(h.launches()).hasSize(launched);
      }
    }
  }

  private static void happen(JobsHarness h, int event) {
    Optional<Run> current = h.job("flaky").current();
    Optional<String> task = current.flatMap(Run::taskId);
    TaskState[] phases = TaskState.values();
    if (event < 30) {
      h.planWithOffers(1 + event % 2, "a" + (1 + event % 3));
    } else if (event < 40) {
      h.advance(Duration.ofSeconds(1 + event % 5)).plan();
    } else if (task.isPresent()) {
      h.status(task.get(), phases[event % phases.length]);
    }
  }

  /** Launches that the allocator dropped before they started: relaunched without counting a failure. */
  private static long dropped(JobsHarness h) {
    return h.events.stream().filter(e -> e.kind() == JobEvent.Kind.JOB_WAITING && e.message().contains("dropped"))
        .count();
  }
}
