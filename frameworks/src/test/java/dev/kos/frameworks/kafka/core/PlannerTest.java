package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import dev.kos.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlannerTest {

  @Test
  void shouldReserveANewBrokersResourcesAndPortsFirst() {
    Harness h = Harness.withCluster("c", 3);
    Plan plan = h.plan(Harness.free("o1", "a1", 31000));

    assertThat(plan.actions(Action.Reserve.class)).singleElement().satisfies(reserve -> {
      assertThat(reserve.nodeId()).isEqualTo(1);
      assertThat(reserve.ports()).as("client, controller, JMX").containsExactly(31000, 31001, 31002);
      assertThat(reserve.resources()).isEqualTo(Harness.BROKER);
    });
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.RESERVED);
    assertThat(plan.wantsOffers()).isTrue();
  }

  @Test
  void shouldPlaceTwoBrokersOfOneClusterOnTwoAgentsOnly() {
    Harness h = Harness.withCluster("c", 3);
    Plan plan = h.plan(Harness.free("o1", "a1", 31000), Harness.free("o2", "a1", 31100),
        Harness.free("o3", "a2", 31200));

    assertThat(plan.actions(Action.Reserve.class)).extracting(Action.Reserve::agentId).containsExactly("a1", "a2");
    assertThat(plan.actions(Action.Decline.class)).singleElement().satisfies(decline -> {
      assertThat(decline.offerId()).isEqualTo("o2");
      assertThat(decline.refuse()).isEqualTo(Duration.ofSeconds(1));
    });
  }

  @Test
  void shouldDeclineAnOfferTooSmallForABroker() {
    Harness h = Harness.withCluster("c", 1);
    BrokerOffer small = new BrokerOffer("o1", "a1", "a1", Resources.of(0.1, 256, 100),
        List.of(new PortRange(31000, 31009)), Resources.NONE, List.of());
    BrokerOffer portless = new BrokerOffer("o2", "a2", "a2", Resources.of(4, 4096, 10_000), List.of(),
        Resources.NONE, List.of());

    Plan plan = h.plan(small, portless);

    assertThat(plan.actions(Action.Decline.class)).hasSize(2);
    assertThat(plan.actions(Action.Notice.class)).singleElement().satisfies(notice -> assertThat(notice.message())
        .contains("0.5 cpus, 768 MiB memory and 1024 MiB disk", "3 free ports"));
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.NEW);
  }

  @Test
  void shouldCreateTheVolumeOnTheOfferThatCarriesTheReservation() {
    Harness h = Harness.withCluster("c", 1);
    h.plan(Harness.free("o1", "a1", 31000));
    List<Integer> ports = h.broker("c", 1).placement().orElseThrow().ports();

    assertThat(h.plan(Harness.free("o2", "a1", 31000)).actions(Action.CreateVolume.class)).isEmpty();
    Plan plan = h.plan(Harness.reserved("o3", "a1", ports));

    assertThat(plan.actions(Action.CreateVolume.class)).singleElement()
        .satisfies(create -> assertThat(create.volumeId()).isEqualTo("kafka-c-1"));
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.VOLUME_READY);
  }

  @Test
  void shouldPlaceAnewAReservationThatNeverAppears() {
    Harness h = Harness.withCluster("c", 1);
    h.plan(Harness.free("o1", "a1", 31000));
    h.now = h.now.plus(Planner.RESERVATION_PATIENCE);

    Plan plan = h.plan(Harness.free("o2", "a1", 31000));

    assertThat(plan.actions(Action.Notice.class)).extracting(Action.Notice::kind).containsExactly("BROKER_UNPLACED");
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.NEW);
  }

  @Test
  void shouldLaunchControllersOnlyOnceEveryVoterIsPlaced() {
    Harness h = Harness.withCluster("c", 3);
    h.plan(Harness.free("o1", "a1", 31000), Harness.free("o2", "a2", 31100));
    h.plan(Harness.reserved("o3", "a1", List.of(31000, 31001, 31002)));
    Plan early = h.plan(Harness.reserved("o4", "a1", List.of(31000, 31001, 31002)));
    assertThat(early.actions(Action.Launch.class)).isEmpty();

    h.plan(Harness.free("o5", "a3", 31200));
    Plan plan = h.plan(Harness.reserved("o6", "a1", List.of(31000, 31001, 31002)));

    assertThat(plan.actions(Action.Launch.class)).singleElement().satisfies(launch -> {
      assertThat(launch.taskId()).isEqualTo("kafka.c.broker-1.1");
      assertThat(launch.serverProperties()).containsEntry("controller.quorum.voters",
          "1@a1.example:31001,2@a2.example:31101,3@a3.example:31201");
    });
    assertThat(h.broker("c", 1).phase()).isEqualTo(BrokerPhase.LAUNCHING);
  }

  @Test
  void shouldRelaunchAFailedBrokerOnItsAgentWithTheSameVolume() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    Broker before = h.broker("c", 2);

    Plan failed = h.status(before.taskId().orElseThrow(), TaskState.FAILED, null);
    assertThat(failed.actions(Action.Notice.class)).extracting(Action.Notice::kind).containsExactly("BROKER_FAILED");
    assertThat(h.plan(Harness.free("o1", "elsewhere", 32000)).actions(Action.Launch.class)).isEmpty();
    Plan plan = h.plan(Harness.reserved("o2", before.placement().orElseThrow().agentId(),
        before.placement().orElseThrow().ports()));

    assertThat(plan.actions(Action.Launch.class)).singleElement().satisfies(launch -> {
      assertThat(launch.taskId()).isEqualTo("kafka.c.broker-2.2");
      assertThat(launch.volumeId()).isEqualTo(before.volumeId("c"));
      assertThat(launch.agentId()).isEqualTo(before.placement().orElseThrow().agentId());
    });
  }

  @ParameterizedTest(name = "{0} failures in a row -> {1} s")
  @CsvSource({"0, 0", "1, 0", "2, 2", "3, 4", "4, 8", "7, 64", "8, 120", "40, 120"})
  void shouldBackOffExponentiallyUpToTwoMinutes(int failures, long seconds) {
    assertThat(Planner.relaunchDelay(failures)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void shouldRelaunchABrokerThatKeepsFailingLaterEachTimeUntilItIsHealthyAgain() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    List<Integer> ports = h.broker("c", 2).placement().orElseThrow().ports();
    for (int failure = 1; failure <= 3; failure++) {
      h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.FAILED, null);
      Duration delay = Planner.relaunchDelay(failure);
      if (!delay.isZero()) {
        h.now = h.now.plus(delay).minusMillis(1);
        assertThat(h.plan(Harness.reserved("early" + failure, "agent-2", ports)).actions(Action.Launch.class))
            .as("still backing off after failure %d", failure).isEmpty();
        h.now = h.now.plusMillis(1);
      }
      assertThat(h.plan(Harness.reserved("o" + failure, "agent-2", ports)).actions(Action.Launch.class))
          .as("relaunched after failure %d", failure).hasSize(1);
      h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.RUNNING, null);
    }
    assertThat(h.broker("c", 2).failures()).isEqualTo(3);

    h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.RUNNING, true);
    assertThat(h.broker("c", 2).failures()).as("healthy again").isZero();
    h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.FAILED, null);
    assertThat(h.plan(Harness.reserved("again", "agent-2", ports)).actions(Action.Launch.class))
        .as("a first failure again: at once").hasSize(1);
  }

  @Test
  void shouldNotStopTheNextBrokerOnAReadThatBeganBeforeTheLastOneCameBack() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.command(new KafkaCommand.Configure("c", Map.of("log.retention.hours", "72")));
    h.plan();
    h.now = h.now.plusSeconds(1);
    h.status("kafka.c.broker-1.1", TaskState.KILLED, null);
    h.plan(Harness.reserved("o1", "agent-1", List.of(31010, 31011, 31012)));
    Instant readBegan = h.now;
    h.now = h.now.plusSeconds(5);
    h.status("kafka.c.broker-1.2", TaskState.RUNNING, true);
    Set<Integer> ids = Set.of(1, 2, 3);
    // A slow read: it began while broker 1 was down and says what the ISRs were before it stopped.
    h.observations.put("c", new Observation(ids, 0, 0, Map.of(1, 3, 2, 3, 3, 3), false, Harness.METADATA,
        readBegan));
    assertThat(h.plan().actions(Action.Kill.class)).as("a read from before broker 1 came back").isEmpty();

    h.settle("c");
    assertThat(h.plan().actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(2);
  }

  @Test
  void shouldRestartOneBrokerAtATimeWhileNothingIsUnderReplicated() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.command(new KafkaCommand.Configure("c", Map.of("log.retention.hours", "72")));

    Plan first = h.plan();
    assertThat(first.actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(1);
    assertThat(h.plan().actions(Action.Kill.class)).as("broker 1 is still stopping").isEmpty();

    h.status("kafka.c.broker-1.1", TaskState.KILLED, null);
    Plan relaunch = h.plan(Harness.reserved("o1", "agent-1", List.of(31010, 31011, 31012)));
    assertThat(relaunch.actions(Action.Launch.class)).singleElement()
        .satisfies(launch -> assertThat(launch.serverProperties()).containsEntry("log.retention.hours", "72"));
    h.status("kafka.c.broker-1.2", TaskState.RUNNING, true);
    h.observations.put("c", new Observation(Set.of(1, 2, 3), 2, 0, Map.of(), false, Harness.METADATA, h.now));
    assertThat(h.plan().actions(Action.Kill.class)).as("partitions still catching up").isEmpty();

    h.settle("c");
    assertThat(h.plan().actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(2);
  }

  @Test
  void shouldStopADrainedBrokerAndThenReleaseItsVolumeAndReservation() {
    Harness h = Harness.withCluster("c", 3);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");
    h.clusters.put("c", h.cluster("c").withRebalance(KafkaCluster.Rebalance.NONE));
    h.command(new KafkaCommand.RemoveBroker("c", 4));
    h.clusters.put("c", h.cluster("c").withRebalance(KafkaCluster.Rebalance.NONE));
    assertThat(h.plan().actions(Action.Kill.class)).as("broker 4 still holds replicas").isEmpty();

    h.observations.put("c", new Observation(Set.of(1, 2, 3, 4), 0, 0, Map.of(1, 4, 2, 4, 3, 4), false,
        Harness.METADATA, h.now));
    assertThat(h.plan().actions(Action.Kill.class)).extracting(Action.Kill::nodeId).containsExactly(4);
    h.status("kafka.c.broker-4.1", TaskState.KILLED, null);
    assertThat(h.broker("c", 4).phase()).isEqualTo(BrokerPhase.RETIRED);

    List<Integer> ports = h.broker("c", 4).placement().orElseThrow().ports();
    assertThat(h.plan(Harness.reserved("o1", "agent-4", ports)).actions(Action.DestroyVolume.class)).hasSize(1);
    assertThat(h.plan(Harness.reserved("o2", "agent-4", ports)).actions(Action.Unreserve.class)).hasSize(1);
    assertThat(h.cluster("c").broker(4)).isEmpty();
  }

  @Test
  void shouldPlaceABrokerAnewOnceItsAgentStaysAwayPastThePatienceAndCleanUpWhenItReturns() {
    Harness h = Harness.withCluster("c", 3);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");
    h.clusters.put("c", h.cluster("c").withRebalance(KafkaCluster.Rebalance.NONE));
    List<Integer> oldPorts = h.broker("c", 4).placement().orElseThrow().ports();
    h.status("kafka.c.broker-4.1", TaskState.LOST, null);
    h.now = h.now.plus(SelfHealing.DEFAULT_AGENT_PATIENCE).minusSeconds(1);
    assertThat(h.plan().actions(Action.Notice.class)).as("still within the patience").isEmpty();

    h.now = h.now.plusSeconds(1);
    Plan gaveUp = h.plan();

    assertThat(gaveUp.actions(Action.Notice.class)).extracting(Action.Notice::kind).containsExactly("BROKER_REPLACED");
    assertThat(h.broker("c", 4).phase()).isEqualTo(BrokerPhase.NEW);
    assertThat(h.cluster("c").abandoned()).extracting(Abandoned::nodeId).containsExactly(4);
    Plan placed = h.plan(Harness.free("o1", "agent-4", 31500), Harness.free("o2", "agent-9", 31600));
    assertThat(placed.actions(Action.Reserve.class)).as("not back onto the agent it left").singleElement()
        .satisfies(reserve -> assertThat(reserve.agentId()).isEqualTo("agent-9"));

    Plan destroy = h.plan(Harness.reserved("o3", "agent-4", oldPorts));
    assertThat(destroy.actions(Action.DestroyVolume.class)).singleElement()
        .satisfies(d -> assertThat(d.volumeId()).isEqualTo("kafka-c-4"));
    Plan release = h.plan(Harness.reserved("o4", "agent-4", oldPorts));
    assertThat(release.actions(Action.Unreserve.class)).singleElement()
        .satisfies(u -> assertThat(u.ports()).isEqualTo(oldPorts));
    assertThat(release.actions(Action.Notice.class)).extracting(Action.Notice::kind).contains("BROKER_RELEASED");
    assertThat(h.cluster("c").abandoned()).isEmpty();
  }

  @Test
  void shouldKeepAControllerWaitingForItsAgentHoweverLong() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.status("kafka.c.broker-2.1", TaskState.LOST, null);
    h.now = h.now.plus(SelfHealing.DEFAULT_AGENT_PATIENCE.multipliedBy(6));

    assertThat(h.plan().actions(Action.Notice.class)).isEmpty();
    assertThat(h.broker("c", 2).phase()).isEqualTo(BrokerPhase.STOPPED);
    assertThat(h.broker("c", 2).placement()).isPresent();
  }

  /** A broker-only node (4) whose task was LOST with its agent, {@code waited} after the loss. */
  @ParameterizedTest(name = "patience {0}, {1} after the loss -> placed anew: {2}")
  @CsvSource({
      "PT3S,   PT2.999S, false",
      "PT3S,   PT3S,     true",
      "PT3S,   PT1M,     true",
      "PT10M,  PT9M59S,  false",
      "PT10M,  PT10M,    true",
      "PT1H,   PT10M,    false",
      "PT1H,   PT1H,     true"})
  void shouldPlaceABrokerAnewExactlyWhenItsAgentStayedAwayForThePatience(Duration patience, Duration waited,
      boolean placedAnew) {
    Harness h = brokerFourLostItsAgent(SelfHealing.DEFAULTS.withAgentPatience(patience));
    h.now = h.now.plus(waited);

    Plan plan = h.plan();

    assertThat(plan.actions(Action.Notice.class)).extracting(Action.Notice::kind)
        .isEqualTo(placedAnew ? List.of("BROKER_REPLACED") : List.of());
    assertThat(h.broker("c", 4).phase()).isEqualTo(placedAnew ? BrokerPhase.NEW : BrokerPhase.STOPPED);
  }

  @ParameterizedTest(name = "patience {0} -> \"{1}\"")
  @CsvSource({"PT10M, 10 min", "PT3S, 3 s", "PT90S, 90 s", "PT0.5S, 500 ms"})
  void shouldSayHowLongItWaitedWhenItPlacesABrokerAnew(Duration patience, String words) {
    Harness h = brokerFourLostItsAgent(SelfHealing.DEFAULTS.withAgentPatience(patience));
    h.now = h.now.plus(patience);

    assertThat(h.plan().actions(Action.Notice.class)).singleElement().satisfies(notice -> assertThat(notice.message())
        .startsWith("agent agent-4 has not offered broker 4's reservation for " + words + "; placing"));
  }

  /** Three controllers and broker-only node 4, all running, then broker 4's task LOST with its agent. */
  private static Harness brokerFourLostItsAgent(SelfHealing healing) {
    Harness h = Harness.withCluster("c", 3);
    h.healing = healing;
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");
    h.status("kafka.c.broker-4.1", TaskState.LOST, null);
    return h;
  }

  @ParameterizedTest(name = "patience {0} is refused")
  @CsvSource({"PT0S", "PT-1S"})
  void shouldRefuseAPatienceThatIsNotPositive(Duration patience) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SelfHealing(patience, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive duration");
  }

  /**
   * A broker whose task keeps ending is relaunched after each failure (backing off) until the cap; the failure that
   * reaches the cap is reported and the broker stays STOPPED, whatever offers of its agent come and however long.
   */
  @ParameterizedTest(name = "node {0}, at most {1} failures")
  @CsvSource({"4, 1", "4, 3", "4, 5", "2, 3"})
  void shouldStopRelaunchingABrokerThatKeepsFailingAndSaySo(int node, int maxFailures) {
    Harness h = Harness.withCluster("c", 3);
    h.healing = SelfHealing.DEFAULTS.withMaxFailures(maxFailures);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");
    List<Integer> ports = h.broker("c", node).placement().orElseThrow().ports();
    String agent = h.broker("c", node).placement().orElseThrow().agentId();
    for (int failure = 1; failure < maxFailures; failure++) {
      Plan failed = h.status(h.broker("c", node).taskId().orElseThrow(), TaskState.FAILED, null);
      assertThat(failed.actions(Action.Notice.class)).extracting(Action.Notice::kind).containsExactly("BROKER_FAILED");
      h.now = h.now.plus(Planner.relaunchDelay(failure));
      assertThat(h.plan(Harness.reserved("o" + failure, agent, ports)).actions(Action.Launch.class))
          .as("relaunched after failure %d of at most %d", failure, maxFailures).hasSize(1);
      h.status(h.broker("c", node).taskId().orElseThrow(), TaskState.RUNNING, null);
    }

    Plan last = h.status(h.broker("c", node).taskId().orElseThrow(), TaskState.FAILED, null);

    assertThat(last.actions(Action.Notice.class)).singleElement().satisfies(notice -> {
      assertThat(notice.kind()).isEqualTo("BROKER_GAVE_UP");
      assertThat(notice.nodeId()).isEqualTo(node);
      assertThat(notice.message()).contains("failed " + maxFailures + " time", "no longer relaunched",
          "broker.log", "kos kafka config c");
    });
    h.now = h.now.plus(SelfHealing.DEFAULT_AGENT_PATIENCE.multipliedBy(2));
    Plan later = h.plan(Harness.reserved("late", agent, ports));
    assertThat(later.actions(Action.Launch.class)).as("not relaunched").isEmpty();
    assertThat(later.actions(Action.Notice.class)).as("nor placed anew, nor reported again").isEmpty();
    assertThat(later.actions(Action.Decline.class)).singleElement()
        .satisfies(decline -> assertThat(decline.refuse()).as("nothing waits for offers").isEqualTo(Planner.REFUSE_IDLE));
    assertThat(h.broker("c", node).phase()).isEqualTo(BrokerPhase.STOPPED);
    assertThat(h.broker("c", node).failures()).isEqualTo(maxFailures);
  }

  @Test
  void shouldGiveABrokerThatGaveUpAnotherTryAfterAConfigChange() {
    Harness h = Harness.withCluster("c", 3);
    h.healing = SelfHealing.DEFAULTS.withMaxFailures(1);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");
    List<Integer> ports = h.broker("c", 4).placement().orElseThrow().ports();
    h.status("kafka.c.broker-4.1", TaskState.FAILED, null);
    assertThat(h.plan(Harness.reserved("o1", "agent-4", ports)).actions(Action.Launch.class)).isEmpty();

    h.command(new KafkaCommand.Configure("c", Map.of("num.io.threads", "4")));
    h.now = h.now.plus(Planner.relaunchDelay(1));
    Plan plan = h.plan(Harness.reserved("o2", "agent-4", ports));

    assertThat(plan.actions(Action.Launch.class)).singleElement()
        .satisfies(launch -> assertThat(launch.serverProperties()).containsEntry("num.io.threads", "4"));
  }

  /** A status said again (the reconciliation of a restarted framework, a redelivery) is one failure, not two. */
  @Test
  void shouldCountTheEndOfOneTaskOnceWhenItsStatusComesAgain() {
    Harness h = Harness.withCluster("c", 3);
    h.healing = SelfHealing.DEFAULTS.withMaxFailures(2);
    h.runAll("c");
    h.status("kafka.c.broker-2.1", TaskState.FAILED, null);

    Plan again = h.status("kafka.c.broker-2.1", TaskState.FAILED, null);

    assertThat(h.broker("c", 2).failures()).isEqualTo(1);
    assertThat(again.actions(Action.Notice.class)).isEmpty();
  }
}
