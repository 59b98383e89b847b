package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.AllocatorShard;
import dev.kos.schema.Offer;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.RoleShare;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver runs one shard ("0"); the tests play another shard ("1") by writing its summaries to
 * {@code kos.allocator-shards}, and check that the shard counts it for fairness, thresholds and quota limits.
 */
class ShardSharingTopologyTest {

  private static final Duration ROUND = Duration.ofMillis(50);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;
  private long peerSeq;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.agent("a1", 8, 16384);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldPublishWhatItsAgentsHoldKeyedByItsShard() {
    allocator.framework("web", "web");
    allocator.advance(ROUND);

    List<Keyed<AllocatorShard>> summaries = allocator.read(Topics.ALLOCATOR_SHARDS);
    assertThat(summaries).isNotEmpty().allSatisfy(summary -> assertThat(summary.key()).isEqualTo("0"));
    AllocatorShard last = summaries.get(summaries.size() - 1).value();
    assertThat(last.getTotal().getCpus()).isEqualTo(8.0);
    allocator.advance(Duration.ofMillis(500));
    AllocatorShard withOffer = lastSummary();
    assertThat(withOffer.getRoles()).singleElement().satisfies(role -> {
      assertThat(role.getRole()).isEqualTo("web");
      assertThat(role.getAllocation().getCpus()).as("the outstanding offer counts").isEqualTo(8.0);
      assertThat(role.getClaim()).as("no limit, no claim").isNull();
    });
  }

  @Test
  void shouldHoldARoleBackWhileTheWholeClusterIsOverItsThreshold() {
    allocator.publish(Topics.ROLES, "jobs", RoleInfo.newBuilder().setRole("jobs").setPriority(-1)
        .setMaxClusterUtilization(0.5).build());
    allocator.framework("batch", "jobs");
    peer(24, 20, List.of());

    allocator.advance(Duration.ofSeconds(1));
    assertThat(allocator.offers()).as("20 of 32 cpus held across shards: 62%% ≥ 50%%").isEmpty();

    peer(24, 0, List.of());
    allocator.advance(Duration.ofSeconds(1));
    assertThat(allocator.offers()).singleElement()
        .satisfies(offer -> assertThat(offer.getFrameworkId()).isEqualTo("batch"));
  }

  @Test
  void shouldOfferFirstToTheRoleThatHoldsLessAcrossEveryShard() {
    allocator.framework("fa", "a");
    allocator.framework("fb", "b");
    peer(32, 16, List.of(share("a", 16, null)));

    allocator.advance(ROUND);

    assertThat(allocator.offers()).first()
        .satisfies(offer -> assertThat(offer.getFrameworkId()).as("role a holds 16 cpus on shard 1").isEqualTo("fb"));
  }

  @Test
  void shouldKeepARoleWithinTheQuotaLimitAnotherShardClaimsMostOf() {
    allocator.publish(Topics.ROLES, "capped", RoleInfo.newBuilder().setRole("capped")
        .setLimit(AllocatorDriver.resources(10, 0)).build());
    allocator.framework("cf", "capped");
    peer(32, 8, List.of(share("capped", 8, 8.0)));

    allocator.advance(Duration.ofSeconds(2));
    List<Offer> offers = allocator.offers();
    assertThat(offers).as("shard 1 claims 8 of the 10 cpus").singleElement()
        .satisfies(offer -> assertThat(offer.getResources().getCpus()).isGreaterThan(0).isLessThanOrEqualTo(2));

    peer(32, 0, List.of(share("capped", 0, 0.0)));
    Offer offer = offers.get(0);
    for (int answer = 0; answer < 3 && offer.getResources().getCpus() < 8; answer++) {
      allocator.decline(offer, 0);
      allocator.advance(Duration.ofSeconds(1));
      offer = allocator.offers().get(0);
      assertThat(offer.getResources().getCpus()).isLessThanOrEqualTo(8);
    }
    assertThat(offer.getResources().getCpus()).as("shard 1 gave its claim back and shard 0 wants more: all 10 "
        + "cpus are its to claim, so its next offers grow to the whole agent").isEqualTo(8.0);
  }

  /** Shard 1's next summary; its claims are computed as of the log's start, so a raise holds if none came between. */
  private void peer(double totalCpus, double allocatedCpus, List<RoleShare> roles) {
    allocator.publish(Topics.ALLOCATOR_SHARDS, "1", AllocatorShard.newBuilder().setShard("1").setSeq(++peerSeq)
        .setTotal(AllocatorDriver.resources(totalCpus, totalCpus * 2048))
        .setAllocated(AllocatorDriver.resources(allocatedCpus, 0)).setRoles(roles)
        .setBasedOnOffset(Long.MAX_VALUE).setTimestamp(allocator.now()).build());
  }

  private static RoleShare share(String role, double cpus, Double claimCpus) {
    return RoleShare.newBuilder().setRole(role).setAllocation(AllocatorDriver.resources(cpus, 0))
        .setClaim(claimCpus == null ? null : AllocatorDriver.resources(claimCpus, 1e15))
        .setCommitted(claimCpus == null ? null : AllocatorDriver.resources(claimCpus, 1e15)).build();
  }

  private AllocatorShard lastSummary() {
    List<Keyed<AllocatorShard>> summaries = allocator.read(Topics.ALLOCATOR_SHARDS);
    assertThat(summaries).isNotEmpty();
    return summaries.get(summaries.size() - 1).value();
  }
}
