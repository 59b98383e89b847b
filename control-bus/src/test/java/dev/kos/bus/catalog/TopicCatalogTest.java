package dev.kos.bus.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicCatalogTest {

  private final TopicCatalog catalog = TopicCatalog.defaults();

  @Test
  void shouldNameEveryTopicOfTheDesignWithThePrefix() {
    Set<String> names = catalog.topics().stream().map(catalog::name).collect(Collectors.toSet());

    assertThat(names).contains("kos.commands", "kos.command-results", "kos.agents", "kos.frameworks",
        "kos.offers", "kos.accepts", "kos.placements", "kos.task-status", "kos.scale-decisions",
        "kos.metrics", "kos.logs", "kos.dead-letters");
  }

  @Test
  void shouldCoPartitionEveryAgentKeyedInputOfTheAllocator() {
    TopicCatalog sixteen = new TopicCatalog("kos.", 16, (short) 1);

    assertThat(Stream.of(Topics.AGENTS, Topics.ACCEPTS, Topics.PLACEMENTS, Topics.TASK_STATUS)
        .map(sixteen::partitionsOf)).containsOnly(16);
  }

  @Test
  void shouldFindATopicByFullNameOrSuffix() {
    assertThat(catalog.find("kos.commands")).contains(Topics.COMMANDS);
    assertThat(catalog.find("logs")).contains(Topics.LOGS);
    assertThat(catalog.find("nope")).isEmpty();
  }

  @Test
  void shouldRefuseAPrefixKafkaCannotName() {
    assertThatThrownBy(() -> new TopicCatalog("kos/", 1, (short) 1))
        .hasMessageContaining("may only hold letters, digits");
  }

  static Stream<Arguments> states() {
    Map<String, String> deleteWeek = Map.of("cleanup.policy", "delete", "retention.ms", "604800000");
    return Stream.of(
        Arguments.of("matching co-partitioned topic", Topics.AGENTS, 4, Map.of("cleanup.policy", "compact"), ""),
        Arguments.of("co-partitioned topic with more partitions", Topics.PLACEMENTS, 8, deleteWeek,
            "kos.placements: partitions is 8 on the cluster but kos expects 4"),
        Arguments.of("other topic with more partitions is fine", Topics.COMMANDS, 8, deleteWeek, ""),
        Arguments.of("other topic with fewer partitions", Topics.COMMANDS, 2, deleteWeek,
            "kos.commands: partitions is 2 on the cluster but kos expects at least 4"),
        Arguments.of("compacted topic set to delete", Topics.FRAMEWORKS, 1, deleteWeek,
            "kos.frameworks: cleanup.policy is delete on the cluster but kos expects compact"),
        Arguments.of("retention changed", Topics.LOGS, 4, Map.of("cleanup.policy", "delete", "retention.ms", "1000"),
            "kos.logs: retention.ms is 1000 on the cluster but kos expects 86400000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void shouldReportEachDifferenceFromTheCatalogue(String name, TopicDef<?> topic, int partitions,
      Map<String, String> configs, String expectedConflict) {
    TopicState state = new TopicState(catalog.name(topic), partitions, configs);

    var conflicts = state.conflictsWith(catalog, topic).stream().map(TopicConflict::toString).toList();

    if (expectedConflict.isEmpty()) {
      assertThat(conflicts).isEmpty();
    } else {
      assertThat(conflicts).containsExactly(expectedConflict);
    }
  }
}
