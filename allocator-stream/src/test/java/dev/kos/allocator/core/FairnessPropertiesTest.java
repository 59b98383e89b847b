package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Weighted DRF end state: when every framework always wants one more equal-sized task, the cluster fills up
 * and each role's dominant share ends within 2 % of its weight-proportional share.
 */
class FairnessPropertiesTest {

  @Property(tries = 100)
  void rolesEndWithWeightProportionalShares(
      @ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 5) Integer> weights,
      @ForAll @IntRange(min = 60, max = 150) int agentCount,
      @ForAll @IntRange(min = 1, max = 3) int frameworksPerRole,
      @ForAll @IntRange(min = 1, max = 4) int taskCpus,
      @ForAll @IntRange(min = 1, max = 4) int taskGib) {
    // DRF among frameworks that always want more: no offer limit, which would hold a framework back by its own
    // unanswered offers (OfferLimitRulesTest and InvariantPropertiesTest check the limit).
    Allocator allocator = new Allocator(AllocatorConfig.defaults().withMaxOffersPerFramework(Integer.MAX_VALUE));
    double weightSum = 0;
    for (int r = 0; r < weights.size(); r++) {
      allocator.roleConfigured(RoleConfig.defaults("role" + r).withWeight(weights.get(r)));
      weightSum += weights.get(r);
      for (int f = 0; f < frameworksPerRole; f++) {
        allocator.frameworkUpdated(FrameworkSpec.of("role" + r + "-f" + f, "role" + r));
      }
    }
    for (int a = 0; a < agentCount; a++) {
      allocator.agentReported(AgentSpec.of("agent" + a, Resources.of(16, 16 * 1024)));
    }
    Resources taskSize = Resources.of(taskCpus, taskGib * 1024.0);

    saturate(allocator, taskSize);

    assertThat(allocator.clusterUtilization()).as("the cluster is saturated").isGreaterThan(0.75);
    for (int r = 0; r < weights.size(); r++) {
      double share = allocator.allocatedTo("role" + r).dominantShare(allocator.clusterTotal());
      double fairShare = allocator.clusterUtilization() * weights.get(r) / weightSum;
      assertThat(share).as("dominant share of role%d (weight %d of %s)", r, weights.get(r), weights)
          .isCloseTo(fairShare, within(0.02));
    }
  }

  /** Every offer gets one more task while one fits, and is declined once none does, until nothing fits. */
  private static void saturate(Allocator allocator, Resources taskSize) {
    Instant now = AllocatorHarness.START;
    int taskCounter = 0;
    boolean launched = true;
    while (launched) {
      launched = false;
      for (Offer offer : allocator.allocate(now).offers()) {
        if (offer.resources().containsAll(taskSize)) {
          TaskRequest task = new TaskRequest("t" + (++taskCounter), taskSize);
          launched |= !allocator.accept(offer.frameworkId(), List.of(offer.offerId()), List.of(task))
              .launches().isEmpty();
        } else {
          allocator.decline(offer.frameworkId(), List.of(offer.offerId()), Duration.ofHours(1), now);
        }
      }
      now = now.plusSeconds(1);
    }
  }
}
