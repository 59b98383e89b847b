package dev.kos.bus.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class TopicBootstrapIT {

  @Test
  void shouldCreateEveryTopicOnceAndFindThemTheSecondTime(@BootstrapServers String bootstrap) {
    TopicCatalog catalog = new TopicCatalog("boot-" + UUID.randomUUID().toString().substring(0, 8) + ".", 3, (short) 1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicBootstrap bootstrapper = new TopicBootstrap(admin, catalog);

      TopicBootstrap.Outcome first = bootstrapper.ensureTopics();
      TopicBootstrap.Outcome second = bootstrapper.ensureTopics();

      assertThat(first.created()).hasSize(Topics.ALL.size());
      assertThat(second.created()).isEmpty();
      assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(first.created());
    }
  }

  @Test
  void shouldChooseTheDurabilityOfNewTopicsByTheBrokersAndSetItOnThem(@BootstrapServers String bootstrap)
      throws Exception {
    TopicCatalog catalog = new TopicCatalog("dur-" + UUID.randomUUID().toString().substring(0, 8) + ".", 2,
        TopicCatalog.defaults().replicationFactor());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicBootstrap.Outcome outcome = new TopicBootstrap(admin, catalog).ensureTopics();

      assertThat(outcome.durability()).isEqualTo(Durability.forBrokers(1, Durability.BY_BROKERS));
      String placements = catalog.name(Topics.PLACEMENTS);
      assertThat(admin.describeTopics(List.of(placements)).allTopicNames().get().get(placements).partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, placements);
      ConfigEntry minInsync = admin.describeConfigs(List.of(resource)).all().get().get(resource)
          .get("min.insync.replicas");
      assertThat(minInsync.value()).isEqualTo("1");
      assertThat(minInsync.source()).as("set on the topic, not the broker's default")
          .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }
  }

  @Test
  void shouldRefuseAReplicationFactorTheBusHasNoBrokersFor(@BootstrapServers String bootstrap) {
    TopicCatalog catalog = new TopicCatalog("rf3-" + UUID.randomUUID().toString().substring(0, 8) + ".", 2, (short) 3);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      assertThatThrownBy(() -> new TopicBootstrap(admin, catalog).ensureTopics())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("replication factor 3 needs 3 brokers but the bus has 1");
    }
  }

  @Test
  void shouldRefuseAConflictingTopicAndSayWhatDiffers(@BootstrapServers String bootstrap) throws Exception {
    TopicCatalog catalog = new TopicCatalog("conflict-" + UUID.randomUUID().toString().substring(0, 8) + ".", 4, (short) 1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(catalog.name(Topics.PLACEMENTS), 2, (short) 1))).all().get();

      assertThatThrownBy(() -> new TopicBootstrap(admin, catalog).ensureTopics())
          .isInstanceOf(TopicConflictException.class)
          .hasMessageContaining(catalog.name(Topics.PLACEMENTS) + ": partitions is 2 on the cluster but kos expects 4")
          .hasMessageContaining("--topic-prefix");
    }
  }
}
