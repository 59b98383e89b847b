package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per drain rule: a cluster and a drain history, then the offers the next round must make. */
class DrainRulesTest {

  record Row(String name, Function<AllocatorHarness, AllocatorHarness> history, String expectedOffers) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a drained agent is not offered, the others are",
            h -> drain(h.agent("a1", 4, 4096).agent("a2", 2, 2048).framework("f1", "web"), "a1"),
            "f1@a2 2/2048"),
        new Row("an undrained agent is offered again",
            h -> {
              drain(h.agent("a1", 4, 4096).framework("f1", "web"), "a1");
              h.allocator.undrain("a1");
              return h;
            },
            "f1@a1 4/4096"),
        new Row("a drain outlives the agent leaving and coming back",
            h -> {
              drain(h.agent("a1", 4, 4096).framework("f1", "web"), "a1");
              h.allocator.agentRemoved("a1", "stopped");
              return h.agent("a1", 4, 4096);
            },
            ""),
        new Row("a drain restored before the agent reports applies once it does",
            h -> {
              h.allocator.restoreDrain("a1");
              return h.agent("a1", 4, 4096).framework("f1", "web");
            },
            ""),
        new Row("undraining a gone agent forgets the drain for its return",
            h -> {
              drain(h.agent("a1", 4, 4096).framework("f1", "web"), "a1");
              h.allocator.agentRemoved("a1", "stopped");
              h.allocator.undrain("a1");
              return h.agent("a1", 4, 4096);
            },
            "f1@a1 4/4096"),
        new Row("what a task on a draining agent frees is not offered",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024));
              drain(h, "a1").allocator.taskEnded("t1");
              return h;
            },
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldOfferAsTheDrainRuleSays(Row row) {
    AllocatorHarness harness = row.history().apply(AllocatorHarness.create());

    Decisions decisions = harness.round();

    assertThat(AllocatorHarness.describe(decisions.offers())).isEqualTo(row.expectedOffers());
  }

  @Test
  void shouldRescindTheOutstandingOffersOfADrainedAgentWithTheReason() {
    AllocatorHarness h = AllocatorHarness.create().agent("a1", 4, 4096).agent("a2", 2, 2048).framework("f1", "web");
    h.round();

    Decisions drained = h.allocator.drain("a1");

    assertThat(drained.rescinds()).singleElement().satisfies(r -> {
      assertThat(r.agentId()).isEqualTo("a1");
      assertThat(r.reason()).isEqualTo("agent a1 is draining");
    });
    assertThat(h.allocator.outstandingOffers()).extracting(Offer::agentId).containsExactly("a2");
  }

  @Test
  void shouldKeepTasksRunningAndReportTheAgentDrainedOnceTheLastEnds() {
    AllocatorHarness h = AllocatorHarness.create().agent("a1", 4, 4096).framework("f1", "web");
    h.round();
    h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024), AllocatorHarness.task("t2", 1, 1024));

    h.allocator.drain("a1");
    assertThat(h.allocator.tasksOn("a1")).isEqualTo(2);
    assertThat(h.allocator.isDrained("a1")).isFalse();

    h.allocator.taskEnded("t1");
    assertThat(h.allocator.isDrained("a1")).isFalse();
    h.allocator.taskEnded("t2");
    assertThat(h.allocator.isDrained("a1")).isTrue();
    assertThat(h.allocator.isDraining("a1")).isTrue();
  }

  @Test
  void shouldRejectDrainingAnUnknownAgentWithTheReason() {
    Decisions decisions = AllocatorHarness.create().allocator.drain("ghost");

    assertThat(decisions.rejections()).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("cannot drain agent ghost").contains("kos agent list"));
  }

  @Test
  void shouldRejectUndrainingAnAgentItNeverKnew() {
    Decisions decisions = AllocatorHarness.create().allocator.undrain("ghost");

    assertThat(decisions.rejections()).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("cannot undrain agent ghost"));
  }

  @Test
  void shouldReportEachAgentsLoadForTheClusterAdvisor() {
    AllocatorHarness h = AllocatorHarness.create().agent("a1", 4, 4096).agent("a2", 2, 2048).framework("f1", "web");
    h.round();
    h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024), AllocatorHarness.task("t2", 2, 512));
    h.allocator.drain("a2");

    assertThat(h.allocator.agentLoads()).containsExactlyInAnyOrder(
        new AgentLoad("a1", Resources.of(4, 4096), Resources.of(3, 1536), 2, Resources.of(2, 512), false),
        new AgentLoad("a2", Resources.of(2, 2048), Resources.NONE, 0, Resources.NONE, true));
  }

  private static AllocatorHarness drain(AllocatorHarness h, String agentId) {
    Decisions decisions = h.allocator.drain(agentId);
    assertThat(decisions.rejections()).isEmpty();
    return h;
  }
}
