package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** `kos kafka rebalance NAME`: partitions move under the goals, but only on a cluster at rest. */
class RebalanceCommandTest {

  @Test
  void shouldWantARebalanceOfAClusterAtRest() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");

    KafkaCommandOutcome outcome = h.command(new KafkaCommand.Rebalance("c"));

    assertThat(outcome).isInstanceOf(KafkaCommandOutcome.Accepted.class);
    assertThat(h.cluster("c").rebalance()).isEqualTo(KafkaCluster.Rebalance.WANTED);
  }

  @Test
  void shouldRefuseARebalanceMidRollingRestart() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.command(new KafkaCommand.Configure("c", Map.of("log.retention.hours", "72")));

    KafkaCommandOutcome outcome = h.command(new KafkaCommand.Rebalance("c"));

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class, r -> assertThat(r.reason())
        .isEqualTo("c is mid-rolling restart: brokers [1, 2, 3] have not restarted onto config version 2 (Kafka "
            + "4.3.1) yet; rebalance once they have"));
  }

  @Test
  void shouldRefuseARebalanceMidUpgrade() {
    Harness h = Harness.withCluster("c", 3);
    h.runAll("c");
    h.command(new KafkaCommand.Upgrade("c", "4.4.0"));

    KafkaCommandOutcome outcome = h.command(new KafkaCommand.Rebalance("c"));

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class, r -> assertThat(r.reason())
        .startsWith("c is mid-upgrade: brokers [1, 2, 3]"));
  }
}
