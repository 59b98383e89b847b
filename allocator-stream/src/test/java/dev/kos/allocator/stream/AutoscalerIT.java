package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.scaling.ScalingSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.bus.testing.TestBus.Keyed;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler on the real broker, at the bus level: AppState and MetricSample records in (on several
 * partitions), ScaleDecision records out, and a ScaleApp command by the principal autoscaler for the
 * automatic app only.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AutoscalerIT {

  @TempDir
  Path stateDir;

  @Test
  void shouldDecideForBothAppsAndCommandOnlyTheAutomaticOne(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 3);
        AllocatorService allocator = AllocatorService.start(bus.bus(),
            AllocatorSettings.defaults().withScaling(ScalingSettings.defaults().withInterval(Duration.ofMillis(500))),
            "allocator-" + UUID.randomUUID(), stateDir, Map.of(), Duration.ofSeconds(60));
        Tail<ScaleDecision> decisions = new Tail<>(bus, Topics.SCALE_DECISIONS);
        Tail<Command> commands = new Tail<>(bus, Topics.COMMANDS)) {
      app(bus, "web", ScaleMode.AUTOMATIC);
      app(bus, "api", ScaleMode.ADVISORY);
      for (int task = 0; task < 2; task++) {
        sample(bus, "web", "web-" + task, 150);
        sample(bus, "api", "api-" + task, 200);
      }

      ScaleDecision web = decisions.awaitValue("a decision for web", d -> d.getTarget().equals("web"));
      ScaleDecision api = decisions.awaitValue("a decision for api", d -> d.getTarget().equals("api"));
      Command scale = commands.awaitValue("the autoscaler's command", c -> c.getPayload() instanceof ScaleApp);

      assertThat(web.getMode()).isEqualTo(ScaleMode.AUTOMATIC);
      assertThat(List.of(web.getFrom(), web.getTo())).containsExactly(2, 3);
      assertThat(api.getMode()).isEqualTo(ScaleMode.ADVISORY);
      assertThat(List.of(api.getFrom(), api.getTo())).containsExactly(2, 4);
      assertThat(scale.getPrincipal()).isEqualTo("autoscaler");
      assertThat((ScaleApp) scale.getPayload()).isEqualTo(new ScaleApp("web", 3));
      decisions.await("a second round of decisions for api", d -> d.getTarget().equals("api")
          && d.getTimestamp().isAfter(api.getTimestamp()));
      assertThat(commands.seen()).extracting(Keyed::value).filteredOn(c -> c.getPayload() instanceof ScaleApp)
          .as("scale commands for the automatic app only").allMatch(c -> ((ScaleApp) c.getPayload()).getAppId()
              .equals("web"));
    }
  }

  private static void app(TestBus bus, String appId, ScaleMode mode) {
    ScalingPolicy policy = ScalingPolicy.newBuilder().setMetric("requestsPerSecond").setTarget(100).setMode(mode)
        .setCooldownSeconds(0).setScaleDownStabilizationSeconds(0).build();
    bus.publish(Topics.APPS, appId, AppState.newBuilder().setAppId(appId)
        .setSpec(AppSpec.newBuilder().setId(appId).setInstances(2).setScaling(policy).build())
        .setVersion("v1").setUpdatedAt(Instant.now()).build());
  }

  private static void sample(TestBus bus, String appId, String taskId, double requestsPerSecond) {
    bus.publish(Topics.METRICS, taskId, MetricSample.newBuilder().setSourceId(taskId).setKind("task").setTaskId(taskId)
        .setAppId(appId).setValues(Map.of("requestsPerSecond", requestsPerSecond)).setTimestamp(Instant.now()).build());
  }
}
