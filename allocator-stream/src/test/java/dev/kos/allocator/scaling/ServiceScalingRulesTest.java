package dev.kos.allocator.scaling;

import static dev.kos.allocator.scaling.ScalingHarness.WEB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per policy rule: a history of apps, samples and ticks, then every decision made, in order. */
class ServiceScalingRulesTest {

  record Row(String name, Consumer<ScalingHarness> history, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("target tracking scales up to ceil(current × observed / target)",
            h -> h.app("web", 2, WEB).tasksReport("web", 2, 150).tick(),
            "web 2->3"),
        new Row("target tracking scales down, one step by default",
            h -> h.app("web", 4, WEB).tasksReport("web", 4, 50).tick(),
            "web 4->3"),
        new Row("a larger step down goes to the recommendation",
            h -> h.app("web", 4, WEB.withSteps(4, 4)).tasksReport("web", 4, 50).tick(),
            "web 4->2"),
        new Row("within the tolerance nothing changes",
            h -> h.app("web", 2, WEB).tasksReport("web", 2, 109).tick(),
            ""),
        new Row("just beyond the tolerance scales",
            h -> h.app("web", 5, WEB).tasksReport("web", 5, 111).tick(),
            "web 5->6"),
        new Row("the recommendation is capped at maxInstances",
            h -> h.app("web", 2, ScalingPolicy.of("rps", 100, 1, 5, ScaleMode.AUTOMATIC).withSteps(10, 1)
                .withWindows(Duration.ZERO, Duration.ZERO)).tasksReport("web", 2, 1000).tick(),
            "web 2->5"),
        new Row("an app below minInstances is raised to it",
            h -> h.app("web", 1, ScalingPolicy.of("rps", 100, 3, 5, ScaleMode.AUTOMATIC)).tasksReport("web", 1, 100).tick(),
            "web 1->3"),
        new Row("one decision adds at most maxStepUp",
            h -> h.app("web", 2, WEB.withSteps(2, 1)).tasksReport("web", 2, 500).tick(),
            "web 2->4"),
        new Row("a service's total is divided by the current instances",
            h -> h.app("kafka", 2, WEB).serviceReports("kafka", 600).tick(),
            "kafka 2->6"),
        new Row("samples older than the freshness window do not count",
            h -> h.app("web", 2, WEB).tasksReport("web", 2, 500).idleSeconds(31).tick(),
            ""),
        new Row("an app without a policy is never scaled",
            h -> h.app("web", 2, null).tasksReport("web", 2, 500).tick(),
            ""),
        new Row("no decision within the cooldown after the last one, one after it",
            h -> {
              ScalingPolicy policy = WEB.withCooldown(Duration.ofSeconds(60));
              h.app("web", 2, policy).tasksReport("web", 2, 150).tick();
              h.app("web", 3, policy);
              for (int s = 0; s < 61; s++) {
                h.tasksReport("web", 3, 200).advanceSeconds(1);
              }
            },
            "web 2->3, web 3->6"),
        new Row("a spike shorter than the scale-up window does nothing",
            h -> {
              h.app("web", 2, WEB.withWindows(Duration.ofSeconds(30), Duration.ZERO));
              for (int s = 0; s < 60; s++) {
                h.tasksReport("web", 2, s >= 40 && s < 60 ? 300 : 100).advanceSeconds(1);
              }
            },
            ""),
        new Row("a rise held over the whole scale-up window scales to its lowest recommendation",
            h -> {
              h.app("web", 2, WEB.withWindows(Duration.ofSeconds(30), Duration.ZERO));
              for (int s = 0; s < 31; s++) {
                h.tasksReport("web", 2, s < 10 ? 200 : 300).advanceSeconds(1);
              }
            },
            "web 2->4"),
        new Row("a fall scales down only to the highest recommendation of the scale-down window",
            h -> {
              h.app("web", 4, WEB.withSteps(4, 4).withWindows(Duration.ZERO, Duration.ofSeconds(20)));
              for (int s = 0; s <= 20; s++) {
                h.tasksReport("web", 4, s < 5 ? 75 : 25).advanceSeconds(1);
              }
            },
            "web 4->3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldDecideAsTheRuleSays(Row row) {
    ScalingHarness harness = ScalingHarness.create();
    row.history().accept(harness);

    assertThat(harness.described()).isEqualTo(row.expected());
  }

  @Test
  void shouldExplainADecisionWithItsMetricsPolicyAndMode() {
    ScalingHarness h = ScalingHarness.create().app("web", 2, WEB.withSteps(1, 1)).tasksReport("web", 2, 250).tick();

    assertThat(h.decisions).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Decision.Kind.SERVICE);
      assertThat(d.mode()).isEqualTo(ScaleMode.AUTOMATIC);
      assertThat(d.reason()).isEqualTo("scale web from 2 to 3: rps is 250 per instance (the average of 2 task"
          + " samples) against a target of 100: ceil(2 × 2.50) = 5; limited to +1 per decision");
      assertThat(d.policy()).isEqualTo(WEB.withSteps(1, 1).describe());
      assertThat(d.metrics()).containsEntry("rps", 250.0).containsEntry("rps.total", 500.0)
          .containsEntry("target", 100.0);
      assertThat(d.at()).isEqualTo(ScalingHarness.START);
    });
  }

  @Test
  void shouldCarryTheAdvisoryModeOfThePolicy() {
    ScalingPolicy advisory = ScalingPolicy.of("rps", 100, 1, 10, ScaleMode.ADVISORY).withWindows(Duration.ZERO, Duration.ZERO);
    ScalingHarness h = ScalingHarness.create().app("web", 2, advisory).tasksReport("web", 2, 200).tick();

    assertThat(h.decisions).singleElement().satisfies(d -> assertThat(d.mode()).isEqualTo(ScaleMode.ADVISORY));
  }

  @Test
  void shouldRejectAPolicyThatCannotBeMetWithTheFieldToFix() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScalingPolicy.of("rps", 100, 5, 2, ScaleMode.ADVISORY))
        .withMessageContaining("maxInstances");
  }
}
