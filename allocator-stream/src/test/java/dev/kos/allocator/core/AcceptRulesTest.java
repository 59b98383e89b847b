package dev.kos.allocator.core;

import static dev.kos.allocator.core.AllocatorHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per accept rule. Every row starts from two agents offered to two frameworks (f1 holds a1's offer,
 * f2 holds a2's); the row's accept either launches its tasks or is rejected for the expected reason.
 */
class AcceptRulesTest {

  record Row(String name, Function<AllocatorHarness, Decisions> accept,
        Class<? extends Rejection> expectedRejection, int expectedLaunches) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("tasks within the offer launch",
            h -> h.accept("f1", "a1", task("t1", 1, 1024), task("t2", 3, 3072)),
            null, 2),
        new Row("an accept with no tasks launches nothing and is not an error",
            h -> h.accept("f1", "a1"),
            null, 0),
        new Row("tasks naming no offer are rejected",
            h -> h.allocator.accept("f1", List.of(), List.of(task("t1", 0, 0))),
            Rejection.NoOfferNamed.class, 0),
        new Row("an unknown offer is rejected",
            h -> h.allocator.accept("f1", List.of("o-999"), List.of(task("t1", 1, 1024))),
            Rejection.UnknownOffer.class, 0),
        new Row("an expired offer is rejected",
            h -> {
              String offerId = h.offer("f1", "a1").offerId();
              h.allocator.expireOffers(h.now.plus(Duration.ofMinutes(5)));
              return h.allocator.accept("f1", List.of(offerId), List.of(task("t1", 1, 1024)));
            },
            Rejection.UnknownOffer.class, 0),
        new Row("an offer used once cannot be used again",
            h -> {
              String offerId = h.offer("f1", "a1").offerId();
              h.allocator.accept("f1", List.of(offerId), List.of(task("t1", 1, 1024)));
              return h.allocator.accept("f1", List.of(offerId), List.of(task("t2", 1, 1024)));
            },
            Rejection.UnknownOffer.class, 0),
        new Row("a declined offer cannot be accepted",
            h -> {
              String offerId = h.offer("f1", "a1").offerId();
              h.allocator.decline("f1", List.of(offerId), h.now);
              return h.allocator.accept("f1", List.of(offerId), List.of(task("t1", 1, 1024)));
            },
            Rejection.UnknownOffer.class, 0),
        new Row("another framework's offer is rejected",
            h -> h.allocator.accept("f1", List.of(h.offer("f2", "a2").offerId()),
                List.of(task("t1", 1, 1024))),
            Rejection.OfferOfAnotherFramework.class, 0),
        new Row("tasks asking more cpus than offered are rejected",
            h -> h.accept("f1", "a1", task("t1", 3, 1024), task("t2", 2, 1024)),
            Rejection.ExceedsOffer.class, 0),
        new Row("ports outside the offer are rejected",
            h -> h.accept("f1", "a1", new TaskRequest("t1",
                Resources.of(1, 1024).withPorts(Ports.range(80, 80)))),
            Rejection.ExceedsOffer.class, 0),
        new Row("ports inside the offer launch",
            h -> h.accept("f1", "a1", new TaskRequest("t1",
                Resources.of(1, 1024).withPorts(Ports.range(31_000, 31_009)))),
            null, 1),
        new Row("a task id repeated in one accept is rejected",
            h -> h.accept("f1", "a1", task("t1", 1, 1024), task("t1", 1, 1024)),
            Rejection.DuplicateTask.class, 0),
        new Row("a task id already running is rejected",
            h -> {
              h.accept("f1", "a1", task("t1", 1, 1024));
              h.round();
              return h.accept("f2", "a2", task("t1", 1, 1024));
            },
            Rejection.DuplicateTask.class, 0),
        new Row("an unregistered framework is rejected",
            h -> h.allocator.accept("nobody", List.of(h.offer("f1", "a1").offerId()),
                List.of(task("t1", 1, 1024))),
            Rejection.UnknownFramework.class, 0),
        new Row("offers on two agents in one accept are rejected",
            h -> {
              h.allocator.frameworkRemoved("f2");
              h.round();
              return h.allocator.accept("f1",
                  List.of(h.offer("f1", "a1").offerId(), h.offer("f1", "a2").offerId()),
                  List.of(task("t1", 1, 1024)));
            },
            Rejection.OffersOnSeveralAgents.class, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldLaunchOrRejectAsTheRuleSays(Row row) {
    AllocatorHarness harness = AllocatorHarness.create()
        .framework("f1", "web").framework("f2", "web")
        .agent(agentWithPorts("a1")).agent(agentWithPorts("a2"));
    harness.round();

    Decisions decisions = row.accept().apply(harness);

    assertThat(decisions.launches()).hasSize(row.expectedLaunches());
    if (row.expectedRejection() == null) {
      assertThat(decisions.rejections()).isEmpty();
    } else {
      assertThat(decisions.rejections()).singleElement().isInstanceOf(row.expectedRejection())
          .satisfies(rejection -> assertThat(rejection.reason()).isNotBlank());
    }
  }

  private static AgentSpec agentWithPorts(String agentId) {
    Resources total = Resources.of(4, 4096).withPorts(Ports.range(31_000, 32_000));
    return new AgentSpec(agentId, agentId + ".example", total, Map.of(), Map.of(), false);
  }
}
