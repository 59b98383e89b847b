package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per case of an offer the planner used that could not be used any more. Broker 1 of cluster {@code c}
 * lives on agent-1, phase RESERVED since T0, healthy; the row names the offer's cluster, node and agent, and the
 * phase to go back to, and expects the broker after (or "left alone").
 */
class OfferRetryTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  private static final Instant NOW = T0.plusSeconds(30);

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("a volume that could not be created is tried again from the reservation",
            "c", 1, "agent-1", BrokerPhase.RESERVED, "RESERVED on agent-1 since now, health unknown"),
        Arguments.of("a launch that could not be made goes back to stopped",
            "c", 1, "agent-1", BrokerPhase.STOPPED, "STOPPED on agent-1 since now, health unknown"),
        Arguments.of("a reservation that could not be made starts the broker afresh, placed nowhere",
            "c", 1, "agent-1", BrokerPhase.NEW, "NEW nowhere since now, health unknown"),
        Arguments.of("the clean-up of an old home leaves the broker, now elsewhere, alone",
            "c", 1, "agent-9", BrokerPhase.RETIRED, "left alone"),
        Arguments.of("a broker removed meanwhile is left alone",
            "c", 7, "agent-1", BrokerPhase.STOPPED, "left alone"),
        Arguments.of("a cluster removed meanwhile is left alone",
            "gone", 1, "agent-1", BrokerPhase.STOPPED, "left alone"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldPutTheBrokerBack(String name, String cluster, int nodeId, String agentId, BrokerPhase retry,
      String expected) {
    Broker broker = new Broker(1, true, Optional.of(new Placement("agent-1", "host-1", List.of(9092, 9093, 9999))),
        BrokerPhase.RESERVED, 2, Optional.of("task-1"), 3, Optional.of("4.3.1"), Optional.of(true), 1, T0);
    Map<String, KafkaCluster> clusters = Map.of("c", new KafkaCluster("c", "cluster-id", "4.3.1",
        Resources.of(0.5, 768, 1024), Map.of(), 3, List.of(broker), KafkaCluster.Rebalance.NONE, List.of(), Optional.empty()));

    Optional<Map<String, KafkaCluster>> next = OfferRetry.afterUnusableOffer(clusters, cluster, nodeId, agentId,
        retry, NOW);

    assertThat(next.map(c -> describe(c.get("c").broker(1).orElseThrow())).orElse("left alone")).isEqualTo(expected);
    next.ifPresent(c -> assertThat(c.get("c").broker(1).orElseThrow().failures())
        .as("failures kept unless afresh").isEqualTo(retry == BrokerPhase.NEW ? 0 : 1));
  }

  private static String describe(Broker broker) {
    return broker.phase() + " " + broker.placement().map(p -> "on " + p.agentId()).orElse("nowhere")
        + (broker.since().equals(NOW) ? " since now" : " since " + broker.since())
        + (broker.healthy().isEmpty() ? ", health unknown" : ", healthy " + broker.healthy().get());
  }
}
