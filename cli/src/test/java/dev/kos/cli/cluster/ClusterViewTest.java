package dev.kos.cli.cluster;

import static dev.kos.cli.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Fixtures;
import dev.kos.schema.AgentReport;
import dev.kos.schema.FrameworkInfo;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

  @Test
  void shouldListAnAgentWithUsedOfTotalAndItsHeartbeatAge() {
    assertThat(ClusterView.agentRow(Fixtures.agent("a1", false, NOW.minusSeconds(4)), NOW))
        .containsExactly("a1", "host-a1", "active", "1.5/4", "512/8192", "0/20000", "4s ago", "none",
            "process-group", "rack=r1");
  }

  @Test
  void shouldSayHowAnAgentKillsItsTasks() {
    assertThat(ClusterView.agentRow(AgentReport.newBuilder(Fixtures.agent("a1", false, NOW))
        .setLimitEnforcement("watchdog").setKillMethod("cgroup-v1-freezer").build(), NOW))
        .contains("watchdog", "cgroup-v1-freezer");
  }

  @Test
  void shouldMarkADrainingAgent() {
    assertThat(ClusterView.agentRow(Fixtures.agent("a2", true, NOW), NOW)[2]).isEqualTo("draining");
  }

  @Test
  void shouldListAFrameworkWithItsShareAndFailover() {
    assertThat(ClusterView.frameworkRow(Fixtures.framework("apps", "web", true), NOW))
        .containsExactly("apps", "apps", "web", "2", "suppressed", "-", "7d", "5m ago", "-");
  }

  @Test
  void shouldShowWhenAFrameworkWasLastHeardFrom() {
    FrameworkInfo heartbeating = FrameworkInfo.newBuilder(Fixtures.framework("apps", "web", false))
        .setHeartbeatAt(NOW.minusSeconds(3)).build();

    assertThat(ClusterView.frameworkRow(heartbeating, NOW)[8]).isEqualTo("3s ago");
  }
}
