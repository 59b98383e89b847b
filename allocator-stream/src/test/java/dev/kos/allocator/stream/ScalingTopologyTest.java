package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScaleTarget;
import dev.kos.schema.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler through the allocator topology: AppState and MetricSample records in, ScaleDecision
 * records (and, in automatic mode, ScaleApp commands) out, one evaluation per second of wall clock.
 */
class ScalingTopologyTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir, new AllocatorSettings(SECOND, Duration.ofMinutes(10), Duration.ofMinutes(10)));
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldScaleUpByTargetTrackingAndCommandItAsTheAutoscaler() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).build());
    tasksReport("web", 2, 150);
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactly("web 2->3");
    List<Keyed<Command>> commands = scaleCommands();
    assertThat(commands).singleElement().satisfies(c -> {
      assertThat(c.key()).isEqualTo("web");
      assertThat(c.value().getPrincipal()).isEqualTo("autoscaler");
      assertThat(c.value().getRole()).isEqualTo("web");
      assertThat(((ScaleApp) c.value().getPayload()).getInstances()).isEqualTo(3);
    });
  }

  @Test
  void shouldScaleDownByTargetTrackingOneStepAtATime() {
    app("web", 4, policy(ScaleMode.AUTOMATIC).build());
    tasksReport("web", 4, 50);
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactly("web 4->3");
  }

  @Test
  void shouldKeepWithinMinAndMax() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).setMaxInstances(3).build());
    app("api", 1, policy(ScaleMode.AUTOMATIC).setMinInstances(2).build());
    tasksReport("web", 2, 1000);
    tasksReport("api", 1, 100);
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactlyInAnyOrder("web 2->3", "api 1->2");
  }

  @Test
  void shouldLimitEachDecisionToItsStep() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).setMaxStepUp(2).build());
    tasksReport("web", 2, 1000);
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactly("web 2->4");
  }

  @Test
  void shouldWaitForTheCooldownBeforeTheNextDecision() {
    ScalingPolicy policy = policy(ScaleMode.AUTOMATIC).setCooldownSeconds(30).build();
    app("web", 2, policy);
    tasksReport("web", 2, 150);
    allocator.advance(SECOND);
    assertThat(decisions()).containsExactly("web 2->3");

    app("web", 3, policy);
    for (int s = 0; s < 28; s++) {
      tasksReport("web", 3, 200);
      allocator.advance(SECOND);
    }
    assertThat(decisions()).as("within the cooldown").isEmpty();

    for (int s = 0; s < 3; s++) {
      tasksReport("web", 3, 200);
      allocator.advance(SECOND);
    }
    assertThat(decisions()).containsExactly("web 3->6");
  }

  @Test
  void shouldNotFlapOnAMetricOscillatingAroundTheTarget() {
    app("web", 3, policy(ScaleMode.AUTOMATIC).setScaleDownStabilizationSeconds(20).build());
    for (int s = 0; s < 120; s++) {
      tasksReport("web", 3, s % 2 == 0 ? 92 : 108);
      allocator.advance(SECOND);
    }

    assertThat(decisions()).isEmpty();
    assertThat(scaleCommands()).isEmpty();
  }

  @Test
  void shouldIgnoreASpikeShorterThanTheScaleUpWindow() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).setScaleUpStabilizationSeconds(30).build());
    for (int s = 0; s < 90; s++) {
      tasksReport("web", 2, s >= 40 && s < 60 ? 400 : 100);
      allocator.advance(SECOND);
    }

    assertThat(decisions()).isEmpty();
  }

  @Test
  void shouldScaleOnceARiseOutlastsTheScaleUpWindow() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).setScaleUpStabilizationSeconds(30).build());
    for (int s = 0; s < 31; s++) {
      tasksReport("web", 2, 200);
      allocator.advance(SECOND);
    }

    assertThat(decisions()).containsExactly("web 2->4");
  }

  @Test
  void shouldOnlyAnnounceAnAdvisoryDecision() {
    app("web", 2, policy(ScaleMode.ADVISORY).build());
    tasksReport("web", 2, 200);
    allocator.advance(SECOND);

    List<ScaleDecision> decisions = allocator.read(Topics.SCALE_DECISIONS).stream().map(Keyed::value).toList();
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.getMode()).isEqualTo(ScaleMode.ADVISORY);
      assertThat(d.getKind()).isEqualTo(ScaleTarget.SERVICE);
      assertThat(d.getReason()).startsWith("scale web from 2 to 4: requestsPerSecond is 200 per instance");
      assertThat(d.getPolicy()).contains("requestsPerSecond target 100").contains("ADVISORY");
      assertThat(d.getMetrics()).containsEntry("requestsPerSecond", 200.0).containsEntry("target", 100.0);
    });
    assertThat(scaleCommands()).isEmpty();
  }

  @Test
  void shouldDivideAServicesTotalByItsInstances() {
    app("kafka", 3, policy(ScaleMode.AUTOMATIC).build());
    allocator.publish(Topics.METRICS, "kafka-service", MetricSample.newBuilder().setSourceId("kafka-service")
        .setKind("service").setAppId("kafka").setValues(Map.of("requestsPerSecond", 600.0))
        .setTimestamp(allocator.now()).build());
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactly("kafka 3->6");
  }

  @Test
  void shouldForgetARemovedApp() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).build());
    allocator.publish(Topics.APPS, "web", null);
    tasksReport("web", 2, 500);
    allocator.advance(SECOND);

    assertThat(decisions()).isEmpty();
  }

  @Test
  void shouldDeadLetterAnUndecodableMetricAndGoOn() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).build());
    allocator.publishRaw(Topics.METRICS, "web-0", "garbage".getBytes());
    tasksReport("web", 2, 150);
    allocator.advance(SECOND);

    List<DeadLetter> letters = allocator.read(Topics.DEAD_LETTERS).stream().map(Keyed::value).toList();
    assertThat(letters).singleElement().satisfies(d -> {
      assertThat(d.getTopic()).isEqualTo("kos.metrics");
      assertThat(d.getOffset()).isZero();
      assertThat(d.getReason()).startsWith("undecodable:");
      assertThat(d.getConsumer()).isEqualTo("autoscaler");
    });
    assertThat(decisions()).containsExactly("web 2->3");
  }

  @Test
  void shouldDeadLetterAnAppWithAnImpossiblePolicy() {
    app("web", 2, policy(ScaleMode.AUTOMATIC).setMinInstances(5).setMaxInstances(2).build());

    assertThat(allocator.read(Topics.DEAD_LETTERS)).singleElement().satisfies(d -> {
      assertThat(d.value().getTopic()).isEqualTo("kos.apps");
      assertThat(d.value().getReason()).contains("maxInstances");
    });
  }

  private void app(String appId, int instances, ScalingPolicy policy) {
    allocator.publish(Topics.APPS, appId, AppState.newBuilder().setAppId(appId)
        .setSpec(AppSpec.newBuilder().setId(appId).setInstances(instances).setRole("web").setScaling(policy).build())
        .setVersion("v1").setUpdatedAt(allocator.now()).build());
  }

  private void tasksReport(String appId, int tasks, double perTask) {
    for (int i = 0; i < tasks; i++) {
      String taskId = appId + "-" + i;
      allocator.publish(Topics.METRICS, taskId, MetricSample.newBuilder().setSourceId(taskId).setKind("task")
          .setTaskId(taskId).setAppId(appId).setValues(Map.of("requestsPerSecond", perTask))
          .setTimestamp(allocator.now()).build());
    }
  }

  private static ScalingPolicy.Builder policy(ScaleMode mode) {
    return ScalingPolicy.newBuilder().setMetric("requestsPerSecond").setTarget(100).setMode(mode)
        .setCooldownSeconds(0).setScaleDownStabilizationSeconds(0);
  }

  private List<String> decisions() {
    return allocator.read(Topics.SCALE_DECISIONS).stream()
        .map(d -> d.key() + " " + d.value().getFrom() + "->" + d.value().getTo()).collect(Collectors.toList());
  }

  private List<Keyed<Command>> scaleCommands() {
    return allocator.read(Topics.COMMANDS).stream().filter(c -> c.value().getPayload() instanceof ScaleApp).toList();
  }
}
