package dev.kos.bus.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
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
