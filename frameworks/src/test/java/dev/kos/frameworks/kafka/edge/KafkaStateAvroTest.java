package dev.kos.frameworks.kafka.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.frameworks.kafka.core.Abandoned;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.Placement;
import dev.kos.model.Resources;
import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import dev.kos.schema.KafkaClusterState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaStateAvroTest {

  private static final Instant T = Instant.parse("2026-12-02T01:00:00.123Z");

  @Test
  void shouldGiveBackTheClusterItWrote() {
    Placement a1 = new Placement("a1", "host-1", List.of(26000, 26001, 26002), Optional.of("eu-1a"));
    Placement a4 = new Placement("a4", "host-4", List.of(26300, 26301));
    KafkaCluster cluster = new KafkaCluster("demo", "cluster-id", "4.3.1", Resources.of(0.5, 768, 1024),
        Map.of("log.retention.hours", "72"), 3, List.of(
            new Broker(1, true, Optional.of(a1), BrokerPhase.RUNNING, 2, Optional.of("kafka.demo.broker-1.2"), 3,
                Optional.of("4.2.2"), Optional.of(true), 0, T),
            new Broker(4, false, Optional.empty(), BrokerPhase.NEW, 1, Optional.empty(), 2, Optional.empty(),
                Optional.empty(), 3, T)),
        KafkaCluster.Rebalance.WANTED, List.of(new Abandoned(4, a4, true)),
        Optional.of(ScalingPolicy.of("bytesInPerSec", 1_000_000, 3, 6, ScaleMode.ADVISORY)
            .withCooldown(Duration.ofSeconds(30))));

    assertThat(KafkaStateAvro.core(KafkaStateAvro.avro(cluster, T), "9.9.9")).isEqualTo(cluster);
  }

  @Test
  void shouldReadARecordWithoutReleasesAsTheDefaultReleasesCluster() {
    Placement a1 = new Placement("a1", "host-1", List.of(26000, 26001, 26002));
    KafkaCluster cluster = new KafkaCluster("demo", "cluster-id", "4.3.1", Resources.of(0.5, 768, 1024), Map.of(),
        1, List.of(new Broker(1, true, Optional.of(a1), BrokerPhase.RUNNING, 1, Optional.of("kafka.demo.broker-1.1"),
            1, Optional.of("4.3.1"), Optional.of(true), 0, T)), KafkaCluster.Rebalance.NONE, List.of(), Optional.empty());
    KafkaClusterState old = KafkaStateAvro.avro(cluster, T);
    old.setVersion(null);
    old.getBrokers().get(0).setVersion(null);

    assertThat(KafkaStateAvro.core(old, "4.3.1")).isEqualTo(cluster);
  }
}
