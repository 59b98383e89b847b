package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** `kos kafka delete`: every broker stops, its volume and reservation go, then the cluster is forgotten. */
class DeleteTest {

  @Test
  void shouldKillEveryRunningBrokerThenReleaseEachVolumeAndReservationThenForgetTheCluster() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");

    KafkaCommandOutcome outcome = h.command(new KafkaCommand.Delete("c"));

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Accepted.class,
        accepted -> assertThat(accepted.message()).contains("c is being deleted", "3 brokers"));
    assertThat(h.cluster("c").brokers()).extracting(Broker::phase).containsOnly(BrokerPhase.DELETING);
    Plan kills = h.plan();
    assertThat(kills.actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(1, 2, 3);
    assertThat(h.cluster("c").brokers()).extracting(Broker::phase).containsOnly(BrokerPhase.REMOVING);
    assertThat(h.plan().actions(Action.Kill.class)).as("killed once").isEmpty();

    for (Broker broker : h.cluster("c").brokers()) {
      h.status(broker.taskId().orElseThrow(), TaskState.KILLED, null);
    }
    assertThat(h.cluster("c").brokers()).extracting(Broker::phase).containsOnly(BrokerPhase.RETIRED);
    for (int round = 0; round < 2; round++) {
      String prefix = "r" + round + "-";
      List<BrokerOffer> offers = h.cluster("c").brokers().stream().map(b -> Harness.reserved(prefix + b.nodeId(),
          b.placement().orElseThrow().agentId(), b.placement().orElseThrow().ports())).toList();
      Plan plan = h.plan(offers.toArray(BrokerOffer[]::new));
      Class<? extends Action> step = round == 0 ? Action.DestroyVolume.class : Action.Unreserve.class;
      assertThat(plan.actions()).filteredOn(step::isInstance).hasSize(3);
      if (round == 1) {
        assertThat(plan.actions(Action.Notice.class)).extracting(Action.Notice::kind).contains("CLUSTER_DELETED");
      }
    }
    assertThat(h.clusters).doesNotContainKey("c");
  }

  @Test
  void shouldForgetAClusterNoBrokerOfWhichWasPlacedAtOnce() {
    Harness h = Harness.withCluster("c", 3);

    h.command(new KafkaCommand.Delete("c"));

    assertThat(h.clusters).doesNotContainKey("c");
  }

  @Test
  void shouldDestroyTheVolumeOfABrokerThatWaitsToBeLaunchedWithoutKillingAnything() {
    Harness h = Harness.withCluster("c", 1);
    h.plan(Harness.free("o1", "a1", 31000));
    List<Integer> ports = h.broker("c", 1).placement().orElseThrow().ports();
    h.plan(Harness.reserved("o2", "a1", ports));
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.VOLUME_READY);

    h.command(new KafkaCommand.Delete("c"));
    Plan plan = h.plan(Harness.reserved("o3", "a1", ports));

    assertThat(plan.actions(Action.Kill.class)).isEmpty();
    assertThat(plan.actions(Action.Launch.class)).isEmpty();
    assertThat(plan.actions(Action.DestroyVolume.class)).hasSize(1);
  }

  @Test
  void shouldNotRelaunchABrokerWhoseTaskEndedBeforeItsKill() {
    Harness h = Harness.withCluster("c", 1);
    h.runAll("c");
    h.command(new KafkaCommand.Delete("c"));

    h.status("kafka.c.broker-1.1", TaskState.FAILED, null);

    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.RETIRED);
  }

  @ParameterizedTest
  @EnumSource(value = CommandKind.class)
  void shouldRejectEveryCommandButItsOwnWhileAClusterIsBeingDeleted(CommandKind kind) {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.command(new KafkaCommand.Delete("c"));

    KafkaCommandOutcome outcome = h.command(kind.command);

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).isEqualTo("kafka cluster c is being deleted"));
  }

  enum CommandKind {
    DELETE(new KafkaCommand.Delete("c")),
    ADD(new KafkaCommand.AddBrokers("c", 1)),
    CONFIGURE(new KafkaCommand.Configure("c", Map.of("log.retention.hours", "1"))),
    UPGRADE(new KafkaCommand.Upgrade("c", "4.4.0"));

    final KafkaCommand command;

    CommandKind(KafkaCommand command) {
      this.command = command;
    }
  }

  @Test
  void shouldRejectTheDeleteOfAnUnknownCluster() {
    Harness h = Harness.withCluster("c", 3);

    assertThat(h.command(new KafkaCommand.Delete("nope"))).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).contains("no kafka cluster nope"));
  }
}
