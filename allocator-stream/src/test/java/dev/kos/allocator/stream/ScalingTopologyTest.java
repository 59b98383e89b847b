package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.KafkaBrokerState;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.MetricSample;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.Resources;
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

  @Test
  void shouldAdviseOnAKafkaClusterByItsBrokersOwnSamplesAndCommandNothing() {
    kafkaCluster("demo", policy(ScaleMode.ADVISORY).setMetric("bytesInPerSec").setTarget(1_000_000).build(), 3);
    brokersReport("demo", 3, 1_500_000);
    allocator.advance(SECOND);

    assertThat(allocator.read(Topics.SCALE_DECISIONS)).singleElement().satisfies(d -> {
      assertThat(d.key()).isEqualTo("demo");
      assertThat(d.value().getFrom()).isEqualTo(3);
      assertThat(d.value().getTo()).isEqualTo(5);
      assertThat(d.value().getMode()).isEqualTo(ScaleMode.ADVISORY);
      assertThat(d.value().getReason()).startsWith("scale demo from 3 to 5: bytesInPerSec is 1500000 per instance")
          .contains("the service reports a total of 4500000 over 3 instances");
      assertThat(d.value().getMetrics()).containsEntry("bytesInPerSec", 1_500_000.0);
    });
    assertThat(allocator.read(Topics.COMMANDS)).isEmpty();
  }

  @Test
  void shouldAddBrokersToAKafkaClusterInAutomaticMode() {
    kafkaCluster("demo", policy(ScaleMode.AUTOMATIC).setMetric("bytesInPerSec").setTarget(1_000_000).build(), 3);
    brokersReport("demo", 3, 1_500_000);
    allocator.advance(SECOND);

    assertThat(allocator.read(Topics.COMMANDS)).singleElement().satisfies(c -> {
      assertThat(c.key()).isEqualTo("demo");
      assertThat(c.value().getPrincipal()).isEqualTo("autoscaler");
      assertThat(c.value().getPayload()).as("the count the decision saw goes along, so a repeated decision adds nothing")
          .isEqualTo(new AddKafkaBrokers("demo", 2, 3));
    });
  }

  @Test
  void shouldRemoveTheNewestBrokerOnlyNodeWhenAKafkaClusterShrinks() {
    kafkaCluster("demo", policy(ScaleMode.AUTOMATIC).setMetric("bytesInPerSec").setTarget(1_000_000)
        .setMinInstances(3).build(), 5);
    brokersReport("demo", 5, 100_000);
    allocator.advance(SECOND);

    assertThat(decisions()).containsExactly("demo 5->4");
    assertThat(allocator.read(Topics.COMMANDS)).singleElement().satisfies(
        c -> assertThat(c.value().getPayload()).isEqualTo(new RemoveKafkaBroker("demo", 5, 5)));
  }

  @Test
  void shouldNotCountALeavingBrokerNorRemoveItAgain() {
    ScalingPolicy policy = policy(ScaleMode.AUTOMATIC).setMetric("bytesInPerSec").setTarget(1_000_000)
        .setMinInstances(3).build();
    allocator.publish(Topics.KAFKA_CLUSTERS, "demo", cluster("demo", policy, 5).setBrokers(List.of(broker(1, false),
        broker(2, false), broker(3, false), broker(4, false), broker(5, true))).build());
    brokersReport("demo", 5, 100_000);
    allocator.advance(SECOND);

    assertThat(decisions()).as("4 members: 5 is leaving").containsExactly("demo 4->3");
    assertThat(allocator.read(Topics.COMMANDS)).singleElement().satisfies(
        c -> assertThat(c.value().getPayload()).isEqualTo(new RemoveKafkaBroker("demo", 4, 4)));
  }

  @Test
  void shouldStopScalingAKafkaClusterWhosePolicyIsCleared() {
    kafkaCluster("demo", policy(ScaleMode.AUTOMATIC).setMetric("bytesInPerSec").setTarget(1_000_000).build(), 3);
    allocator.publish(Topics.KAFKA_CLUSTERS, "demo", cluster("demo", null, 3).build());
    brokersReport("demo", 3, 5_000_000);
    allocator.advance(SECOND);

    assertThat(decisions()).isEmpty();
    assertThat(allocator.read(Topics.COMMANDS)).isEmpty();
  }

  private void kafkaCluster(String name, ScalingPolicy policy, int brokers) {
    allocator.publish(Topics.KAFKA_CLUSTERS, name, cluster(name, policy, brokers).build());
  }

  /** Nodes 1..3 are the controllers, as the kafka framework makes them for 3 or more brokers. */
  private KafkaClusterState.Builder cluster(String name, ScalingPolicy policy, int brokers) {
    return KafkaClusterState.newBuilder().setName(name).setClusterId("id").setConfigVersion(1).setRebalance("NONE")
        .setPerBroker(Resources.newBuilder().setCpus(1).setMem(1024).setDisk(1024).build())
        .setBrokers(java.util.stream.IntStream.rangeClosed(1, brokers).mapToObj(id -> broker(id, false)).toList())
        .setScalingPolicy(policy).setUpdatedAt(allocator.now());
  }

  private KafkaBrokerState broker(int nodeId, boolean leaving) {
    return KafkaBrokerState.newBuilder().setNodeId(nodeId).setController(nodeId <= 3)
        .setPhase(leaving ? "DRAINING" : "RUNNING").setAttempt(1).setConfigVersion(1).setSince(allocator.now())
        .setLeaving(leaving).build();
  }

  /** As the kafka framework samples each broker: kind service, the cluster as the app. */
  private void brokersReport(String cluster, int brokers, double bytesInPerSec) {
    for (int id = 1; id <= brokers; id++) {
      String source = cluster + "/broker-" + id;
      allocator.publish(Topics.METRICS, source, MetricSample.newBuilder().setSourceId(source).setKind("service")
          .setAppId(cluster).setValues(Map.of("bytesInPerSec", bytesInPerSec, "partitions", 6.0))
          .setTimestamp(allocator.now()).build());
    }
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
