package dev.kos.allocator.core;

import static dev.kos.allocator.core.AllocatorHarness.describe;
import static dev.kos.allocator.core.AllocatorHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the core answers the events the shell feeds it, beyond a single round. */
class LifecycleTest {

  private final AllocatorHarness harness = AllocatorHarness.create().framework("f1", "web").agent("a1", 4, 4096);

  @Test
  void shouldOfferFreedResourcesAgainWhenATaskEnds() {
    harness.fill("f1", "a1", "t1");
    assertThat(harness.round().offers()).isEmpty();

    harness.allocator.taskEnded("t1");

    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 4/4096");
  }

  @Test
  void shouldIgnoreARepeatedTerminalStatus() {
    harness.fill("f1", "a1", "t1");
    harness.allocator.taskEnded("t1");
    harness.allocator.taskEnded("t1");

    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 4/4096");
    assertThat(harness.allocator.allocatedTo("web")).isEqualTo(Resources.NONE);
  }

  @Test
  void shouldReturnTheOfferToThePoolWhenAnAcceptIsRejected() {
    harness.round();
    assertThat(harness.accept("f1", "a1", task("t1", 8, 1024)).rejections()).isNotEmpty();

    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 4/4096");
  }

  @Test
  void shouldRescindOffersAndReportTasksLostWhenAnAgentIsLost() {
    harness.agent("a2", 4, 4096).fill("f1", "a1", "t1");
    String offerOnA2 = harness.offer("f1", "a2").offerId();

    Decisions decisions = harness.allocator.agentRemoved("a1", "heartbeat timed out");
    Decisions onA2 = harness.allocator.agentRemoved("a2", "heartbeat timed out");

    assertThat(decisions.lostTasks()).extracting(Launch::taskId).containsExactly("t1");
    assertThat(onA2.rescinds()).extracting(Rescind::offerId).containsExactly(offerOnA2);
    assertThat(harness.allocator.allocatedTo("web")).isEqualTo(Resources.NONE);
    assertThat(harness.allocator.clusterTotal()).isEqualTo(Resources.NONE);
  }

  @Test
  void shouldOfferAReturningAgentAgain() {
    harness.allocator.agentRemoved("a1", "lost");
    harness.agent("a1", 4, 4096);

    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 4/4096");
  }

  @Test
  void shouldKeepOffersOnAnUnchangedReportAndRescindThemOnAChangedOne() {
    harness.round();

    assertThat(harness.allocator.agentReported(AgentSpec.of("a1", Resources.of(4, 4096))).isEmpty()).isTrue();
    Decisions changed = harness.allocator.agentReported(AgentSpec.of("a1", Resources.of(8, 4096)));

    assertThat(changed.rescinds()).hasSize(1);
    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 8/4096");
  }

  @Test
  void shouldRescindAnOfferOnlyOnceItsTimeoutHasPassed() {
    harness.round();
    Duration timeout = AllocatorConfig.defaults().offerTimeout();

    assertThat(harness.allocator.expireOffers(harness.now.plus(timeout).minusMillis(1)).rescinds()).isEmpty();
    Decisions expired = harness.allocator.expireOffers(harness.now.plus(timeout));

    assertThat(expired.rescinds()).singleElement().satisfies(rescind -> {
      assertThat(rescind.frameworkId()).isEqualTo("f1");
      assertThat(rescind.reason()).contains("expired");
    });
    assertThat(harness.allocator.outstandingOffers()).isEmpty();
  }

  @Test
  void shouldRescindTheOffersOfAFrameworkThatUnregisters() {
    harness.round();

    assertThat(harness.allocator.frameworkRemoved("f1").rescinds()).hasSize(1);
    assertThat(harness.allocator.outstandingOffers()).isEmpty();
  }

  @Test
  void shouldRescindOffersWhenAFrameworkMovesToAnotherRole() {
    harness.round();

    Decisions moved = harness.allocator.frameworkUpdated(FrameworkSpec.of("f1", "batch"));

    assertThat(moved.rescinds()).hasSize(1);
    assertThat(harness.round().offers()).singleElement().extracting(Offer::role).isEqualTo("batch");
  }

  @Test
  void shouldRefuseToReserveMoreThanIsFree() {
    Decisions decisions = harness.allocator.reserve("a1", "db", Resources.of(5, 1024));

    assertThat(decisions.rejections()).singleElement().isInstanceOf(Rejection.ReservationRefused.class);
    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 4/4096");
  }

  @Test
  void shouldRefuseToUnreserveAStaticReservation() {
    harness.agentReservedFor("a2", 4, 4096, "db", 2, 2048);

    Decisions decisions = harness.allocator.unreserve("a2", "db", Resources.of(2, 2048));

    assertThat(decisions.rejections()).singleElement().isInstanceOf(Rejection.ReservationRefused.class);
  }

  @Test
  void shouldRescindOffersOnTheAgentToMakeRoomForAReservation() {
    harness.round();

    Decisions decisions = harness.allocator.reserve("a1", "db", Resources.of(1, 1024));

    assertThat(decisions.rescinds()).hasSize(1);
    assertThat(decisions.rejections()).isEmpty();
  }

  @Test
  void shouldMakeTheSameOffersWithTheSameIdsWhenTheSameEventsAreReplayed() {
    List<String> first = replay();
    List<String> second = replay();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  private static List<String> replay() {
    AllocatorHarness fresh = AllocatorHarness.create().framework("f1", "web").framework("f2", "batch")
        .agent("a1", 4, 4096).agent("a2", 8, 8192).agent("a3", 2, 2048);
    return fresh.round().offers().stream().map(offer -> offer.offerId() + " " + describe(offer)).toList();
  }
}
