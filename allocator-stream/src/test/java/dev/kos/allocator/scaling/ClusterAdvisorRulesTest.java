package dev.kos.allocator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.AgentLoad;
import dev.kos.model.Resources;
import dev.kos.model.ScaleMode;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per cluster advisory rule (windows of 60 s high, 30 s pending, 120 s low); agents are re-heard every tick. */
class ClusterAdvisorRulesTest {

  static final ScalingSettings SETTINGS = ScalingSettings.defaults()
      .withClusterWindows(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(120));

  record Row(String name, Consumer<ScalingHarness> agents, int seconds, String expected, String reasonHas) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("utilization high for the window advises agents of the most common size",
            h -> h.agent("a1", 4, 8192, 4, 1024).agent("a2", 4, 8192, 3.8, 1024).agent("a3", 8, 8192, 7.5, 0),
            60, "cluster 3->4", "add 1 agent of 4 cpus, 8192 MiB mem (the most common size)"),
        new Row("utilization high for less than the window advises nothing",
            h -> h.agent("a1", 4, 8192, 4, 1024).agent("a2", 4, 8192, 3.8, 1024),
            59, "", ""),
        new Row("utilization between the watermarks advises nothing",
            h -> h.agent("a1", 4, 8192, 2, 1024).agent("a2", 4, 8192, 2, 1024),
            300, "", ""),
        new Row("instances unplaced for the window advise agents to place them",
            h -> h.agent("a1", 4, 8192, 2, 1024).agent("a2", 4, 8192, 2, 1024).autoscaler.appUpdated(
                ScalableApp.of("big", 3, null).withUnplaced(3, Resources.of(2, 1024))),
            30, "cluster 2->3", "3 instances have waited unplaced for 30s"),
        new Row("low utilization for the window names the least allocated agents whose tasks fit elsewhere",
            h -> h.agent("a1", 4, 8192, 1.5, 1024).agent("a2", 4, 8192, 0.5, 512).agent("a3", 4, 8192, 0, 0)
                .agent("a4", 4, 8192, 0.5, 512),
            120, "cluster 4->2", "agents a3, a2 could be drained"),
        new Row("low for less than the window advises nothing",
            h -> h.agent("a1", 4, 8192, 0, 0).agent("a2", 4, 8192, 0, 0),
            119, "", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldAdviseAsTheRuleSays(Row row) {
    ScalingHarness h = new ScalingHarness(SETTINGS);
    row.agents().accept(h);
    h.tick();
    for (int s = 0; s < row.seconds(); s++) {
      h.now = h.now.plusSeconds(1);
      row.agents().accept(h);
      h.tick();
    }

    assertThat(h.described()).isEqualTo(row.expected());
    if (!row.expected().isEmpty()) {
      assertThat(h.decisions).singleElement().satisfies(d -> {
        assertThat(d.reason()).contains(row.reasonHas());
        assertThat(d.kind()).isEqualTo(Decision.Kind.CLUSTER);
        assertThat(d.mode()).isEqualTo(ScaleMode.ADVISORY);
      });
    }
  }

  @Test
  void shouldForgetAnAgentNotHeardOfWithinItsFreshness() {
    ScalingHarness h = new ScalingHarness(SETTINGS).agent("a1", 4, 8192, 4, 8192).agent("a2", 4, 8192, 0, 0);
    h.tick();
    for (int s = 0; s < 151; s++) {
      h.now = h.now.plusSeconds(1);
      h.agent("a1", 4, 8192, 4, 8192).tick();
    }

    assertThat(h.described()).as("a2 fell silent, so a1 alone is full from then on").isEqualTo("cluster 1->2");
  }

  @Test
  void shouldPickTheSizeMostAgentsHave() {
    assertThat(ClusterAdvisor.mostCommonSize(List.of(idle("a1", 2, 2048), idle("a2", 8, 16384), idle("a3", 2, 2048))))
        .isEqualTo(Resources.of(2, 2048));
  }

  private static AgentLoad idle(String agentId, double cpus, double mem) {
    return new AgentLoad(agentId, Resources.of(cpus, mem), Resources.NONE, 0, Resources.NONE, false);
  }
}
