package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The figures the allocator's metrics show: each role's DRF share and the cluster's utilization per resource. */
class ClusterFiguresTest {

  @Test
  void shouldCountOffersInARolesShareButOnlyRunningTasksInUtilization() {
    AllocatorHarness h = AllocatorHarness.create().role(RoleConfig.defaults("idle"))
        .agent("a1", 4, 4096).agent("a2", 4, 4096).framework("fa", "web")
        .fill("fa", "a1", "t1");

    assertThat(h.allocator.roleShares()).as("t1 holds a1, the outstanding offer holds a2")
        .containsExactly(entry("idle", 0.0), entry("web", 1.0));
    assertThat(h.allocator.utilizationByResource()).as("t1 holds half the cpus and memory; no agent has disk")
        .containsExactly(entry("cpus", 0.5), entry("disk", 0.0), entry("mem", 0.5));
  }

  @Test
  void shouldShowNothingHeldInAnEmptyCluster() {
    AllocatorHarness h = AllocatorHarness.create();

    assertThat(h.allocator.roleShares()).isEmpty();
    assertThat(h.allocator.utilizationByResource())
        .containsExactly(entry("cpus", 0.0), entry("disk", 0.0), entry("mem", 0.0));
  }
}
