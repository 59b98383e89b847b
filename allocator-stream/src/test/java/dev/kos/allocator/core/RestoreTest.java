package dev.kos.allocator.core;

import static dev.kos.allocator.core.AllocatorHarness.describe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restarted shell rebuilds the core from its stores: running tasks, then outstanding offers. */
class RestoreTest {

  private final AllocatorHarness harness = AllocatorHarness.create().agent("a1", 4, 4096).framework("f1", "web");

  @Test
  void shouldCountARestoredTaskAgainstItsAgentAndRole() {
    harness.allocator.restore(new Launch("t1", "f1", "web", "a1", Resources.of(3, 1024)));

    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 1/3072");
    assertThat(harness.allocator.allocatedTo("web")).isEqualTo(Resources.of(3, 1024));
  }

  @Test
  void shouldRegisterTheFrameworkOfARestoredTaskThatIsNotKnownAnyMore() {
    harness.allocator.restore(new Launch("t1", "gone", "batch", "a1", Resources.of(1, 1024)));

    assertThat(harness.allocator.allocatedTo("batch")).isEqualTo(Resources.of(1, 1024));
  }

  @Test
  void shouldIgnoreARestoredTaskOfAnUnknownAgentOrOneRestoredTwice() {
    harness.allocator.restore(new Launch("t1", "f1", "web", "nowhere", Resources.of(1, 1024)));
    harness.allocator.restore(new Launch("t2", "f1", "web", "a1", Resources.of(1, 1024)));
    harness.allocator.restore(new Launch("t2", "f1", "web", "a1", Resources.of(1, 1024)));

    assertThat(harness.allocator.allocatedTo("web")).isEqualTo(Resources.of(1, 1024));
  }

  @Test
  void shouldKeepARestoredOfferAcceptable() {
    Offer before = offerOfA1("o-old-1");

    assertThat(harness.allocator.restoreOffer(before).rescinds()).isEmpty();

    assertThat(harness.round().offers()).as("the restored offer holds the agent").isEmpty();
    assertThat(harness.allocator.accept("f1", List.of("o-old-1"),
        List.of(AllocatorHarness.task("t1", 2, 1024))).launches()).hasSize(1);
  }

  @Test
  void shouldRescindARestoredOfferWhoseResourcesAreTaken() {
    harness.allocator.restore(new Launch("t1", "f1", "web", "a1", Resources.of(3, 1024)));

    Decisions decisions = harness.allocator.restoreOffer(offerOfA1("o-old-1"));

    assertThat(decisions.rescinds()).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("no longer free"));
    assertThat(describe(harness.round().offers())).isEqualTo("f1@a1 1/3072");
  }

  @Test
  void shouldRescindARestoredOfferOfAnAgentThatIsGone() {
    Offer offer = new Offer("o-old-1", "f1", "web", "a9", "a9", Resources.NONE, Resources.of(1, 1),
        Map.of(), Instant.EPOCH, Instant.EPOCH.plusSeconds(30));

    assertThat(harness.allocator.restoreOffer(offer).rescinds()).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("its agent is gone"));
  }

  private static Offer offerOfA1(String offerId) {
    return new Offer(offerId, "f1", "web", "a1", "a1", Resources.NONE, Resources.of(4, 4096), Map.of(),
        Instant.EPOCH, Instant.EPOCH.plusSeconds(30));
  }
}
