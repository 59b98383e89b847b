package dev.kos.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.limits.KillMethods.HostCgroups;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KillMethodsTest {
  @ParameterizedTest(name = "allowed={0} v2 limit cgroups={1} v1 freezer={2} -> {3}")
  @CsvSource({
      // a unified host: tasks are in their v2 cgroup anyway
      "true,  true,  false, CGROUP_V2",
      "true,  true,  true,  CGROUP_V2",
      // a hybrid host (v2 without controllers) with a v1 freezer, as this CI host
      "true,  false, true,  CGROUP_V1_FREEZER",
      // no cgroup the agent can make
      "true,  false, false, PROCESS_GROUP",
      // cgroups turned off
      "false, true,  true,  PROCESS_GROUP",
      "false, false, true,  PROCESS_GROUP",
      "false, false, false, PROCESS_GROUP"})
  void shouldKillByTheCgroupTheHostOffers(boolean allowed, boolean v2, boolean freezer, KillMethod expected) {
    assertThat(KillMethods.choose(new HostCgroups(allowed, v2, freezer))).isEqualTo(expected);
  }
}
