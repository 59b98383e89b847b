package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Durability;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A three-node KRaft cluster, and kos's topics on it replicated three times with two in sync. */
@Timeout(240)
class EmbeddedKafkaClusterIT {

  @Test
  void shouldCreateKosTopicsWithThreeReplicasAndTwoInSyncOnThreeBrokers() throws Exception {
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, EmbeddedKafkaSettings.defaults()
            .withMaxHeap("384m").withStartTimeout(java.time.Duration.ofSeconds(120)));
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).hasSize(3);
      TopicCatalog catalog = TopicCatalog.defaults();

      TopicBootstrap.Outcome outcome = new TopicBootstrap(admin, catalog).ensureTopics();

      assertThat(outcome.durability()).isEqualTo(Durability.forBrokers(3, Durability.BY_BROKERS));
      assertThat(outcome.durability().describe())
          .isEqualTo("replication factor 3, min.insync.replicas 2 (chosen for a bus of 3 brokers)");
      String placements = catalog.name(Topics.PLACEMENTS);
      TopicDescription description = admin.describeTopics(List.of(placements)).allTopicNames().get().get(placements);
      assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, placements);
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("min.insync.replicas").value())
          .isEqualTo("2");
    }
  }
}
