package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upgrading a cluster's brokers to another Kafka release, then its metadata.version. */
class UpgradeTest {

  private static final MetadataLevels BEHIND = new MetadataLevels((short) 27, (short) 29);

  static Stream<Arguments> rejections() {
    return Stream.of(
        Arguments.of("unknown release", new KafkaCommand.Upgrade("c", "4.3.0"),
            "no classpath for Kafka 4.3.0; it runs 4.2.2, 4.3.1, 4.4.0 (start it with --kafka-version 4.3.0="),
        Arguments.of("downgrade", new KafkaCommand.Upgrade("c", "4.2.2"),
            "c runs Kafka 4.3.1; kos does not downgrade to 4.2.2"),
        Arguments.of("same release", new KafkaCommand.Upgrade("c", "4.3.1"), "c runs Kafka 4.3.1 already"),
        Arguments.of("not a release", new KafkaCommand.Upgrade("c", "latest"), "'latest' is not a Kafka release"),
        Arguments.of("unknown cluster", new KafkaCommand.Upgrade("d", "4.4.0"), "no kafka cluster d"),
        Arguments.of("create of an unknown release", new KafkaCommand.Create("d", 3, Harness.BROKER, Map.of(),
            Optional.of("3.9.0")), "no classpath for Kafka 3.9.0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void shouldRejectWithAReason(String name, KafkaCommand command, String reason) {
    Harness h = Harness.withCluster("c", 3);

    assertThat(h.command(command)).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).contains(reason));
  }

  @Test
  void shouldLaunchANewClusterWithTheReleaseItNames() {
    Harness h = olderCluster();

    assertThat(h.cluster("c").version()).isEqualTo("4.2.2");
    assertThat(h.cluster("c").brokers()).allSatisfy(b -> assertThat(b.version()).contains("4.2.2"));
    assertThat(Harness.withCluster("d", 1).cluster("d").version()).as("the default release").isEqualTo("4.3.1");
  }

  @Test
  void shouldRollEveryBrokerOntoTheNewReleaseWithItsVolumeOneAtATime() {
    Harness h = olderCluster();
    KafkaCommandOutcome outcome = h.command(new KafkaCommand.Upgrade("c", "4.3.1"));
    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Accepted.class, accepted ->
        assertThat(accepted.message()).contains("upgrades from Kafka 4.2.2 to 4.3.1"));

    for (int nodeId = 1; nodeId <= 3; nodeId++) {
      Broker before = h.broker("c", nodeId);
      Plan stop = h.plan();
      assertThat(stop.actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(nodeId);
      assertThat(stop.actions(Action.Notice.class)).extracting(Action.Notice::message)
          .anySatisfy(m -> assertThat(m).contains("restarting for Kafka 4.3.1"));
      assertThat(MetadataUpgrade.level(h.cluster("c"), behind(h))).as("brokers of 4.2.2 still run").isEmpty();

      h.status(before.taskId().orElseThrow(), TaskState.KILLED, null);
      Plan relaunch = h.plan(Harness.reserved("o" + nodeId, before.placement().orElseThrow().agentId(),
          before.placement().orElseThrow().ports()));
      assertThat(relaunch.actions(Action.Launch.class)).singleElement().satisfies(launch -> {
        assertThat(launch.version()).isEqualTo("4.3.1");
        assertThat(launch.volumeId()).isEqualTo(before.volumeId("c"));
      });
      h.status(h.broker("c", nodeId).taskId().orElseThrow(), TaskState.RUNNING, true);
      h.settle("c");
    }

    assertThat(h.plan().actions(Action.Kill.class)).as("every broker runs 4.3.1").isEmpty();
    assertThat(h.cluster("c").brokers()).allSatisfy(b -> assertThat(b.version()).contains("4.3.1"));
    assertThat(MetadataUpgrade.level(h.cluster("c"), behind(h))).contains((short) 29);
    assertThat(MetadataUpgrade.level(h.cluster("c"), h.observations.get("c"))).as("raised already").isEmpty();
  }

  @Test
  void shouldNotRaiseMetadataWhileTheClusterIsUnwell() {
    Harness h = olderCluster();
    Observation behind = behind(h);
    assertThat(MetadataUpgrade.level(h.cluster("c"), behind)).as("all well, all rolled").contains((short) 29);

    Observation lagging = new Observation(behind.registered(), 1, 0, behind.replicasPerBroker(), false, BEHIND,
        h.now);
    assertThat(MetadataUpgrade.level(h.cluster("c"), lagging)).as("a partition under-replicated").isEmpty();
    Observation unregistered = new Observation(Set.of(1, 2), 0, 0, behind.replicasPerBroker(), false, BEHIND,
        h.now);
    assertThat(MetadataUpgrade.level(h.cluster("c"), unregistered)).as("broker 3 not registered").isEmpty();
    h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.RUNNING, false);
    assertThat(MetadataUpgrade.level(h.cluster("c"), behind)).as("broker 2 unhealthy").isEmpty();
    assertThat(MetadataUpgrade.level(h.cluster("c"), Observation.UNKNOWN)).as("cluster unread").isEmpty();
  }

  /** A running, settled 3-broker cluster of Kafka 4.2.2. */
  private static Harness olderCluster() {
    Harness h = new Harness();
    h.command(new KafkaCommand.Create("c", 3, Harness.BROKER, Map.of(), Optional.of("4.2.2")));
    h.runAll("c");
    return h;
  }

  /** The harness's observation of c, but with metadata.version below what the brokers support. */
  private static Observation behind(Harness h) {
    Set<Integer> ids = h.cluster("c").brokers().stream().map(Broker::nodeId).collect(Collectors.toSet());
    return new Observation(ids, 0, 0, ids.stream().collect(Collectors.toMap(id -> id, id -> 3)), false, BEHIND,
        h.now);
  }

  @Test
  void shouldOrderReleasesByTheirNumbers() {
    assertThat(List.of("4.10.0", "4.2.2", "4.3.1", "4.2.10").stream().map(KafkaVersion::parse).sorted()
        .map(KafkaVersion::text)).containsExactly("4.2.2", "4.2.10", "4.3.1", "4.10.0");
  }
}
