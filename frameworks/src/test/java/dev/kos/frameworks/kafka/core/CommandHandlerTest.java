package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandHandlerTest {

  static Stream<Arguments> rejections() {
    return Stream.of(
        Arguments.of("unknown cluster", new KafkaCommand.AddBrokers("nope", 1), "no kafka cluster nope; known: c"),
        Arguments.of("existing cluster", Harness.create("c", 3, Harness.BROKER, Map.of()), "exists already"),
        Arguments.of("bad name", Harness.create("My.Cluster", 3, Harness.BROKER, Map.of()),
            "invalid cluster name"),
        Arguments.of("no brokers", Harness.create("d", 0, Harness.BROKER, Map.of()), "1 to 32 brokers"),
        Arguments.of("tiny brokers", Harness.create("d", 3, Resources.of(0.5, 128, 100), Map.of()),
            "mem >= 256 MB"),
        Arguments.of("owned key", Harness.create("d", 3, Harness.BROKER, Map.of("node.id", "7")),
            "kos sets node.id itself"),
        Arguments.of("add zero", new KafkaCommand.AddBrokers("c", 0), "can add 1 to 28 brokers"),
        Arguments.of("remove a voter", new KafkaCommand.RemoveBroker("c", 2), "is a KRaft controller"),
        Arguments.of("remove unknown", new KafkaCommand.RemoveBroker("c", 9), "has no broker 9"),
        Arguments.of("remove unplaced", new KafkaCommand.RemoveBroker("c", 4), "is NEW; remove it once it runs"),
        Arguments.of("two-line value", new KafkaCommand.Configure("c", Map.of("a", "1\nnode.id=9")), "one line"),
        Arguments.of("empty config", new KafkaCommand.Configure("c", Map.of()), "no settings given"),
        Arguments.of("listener config", new KafkaCommand.Configure("c", Map.of("listeners", "x")),
            "kos sets listeners itself"),
        Arguments.of("rebalance while one is wanted", new KafkaCommand.Rebalance("c"),
            "c is rebalancing already (WANTED)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void shouldRejectWithAReason(String name, KafkaCommand command, String reason) {
    Harness h = Harness.withCluster("c", 3);
    h.command(new KafkaCommand.AddBrokers("c", 1));

    KafkaCommandOutcome outcome = h.command(command);

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).contains(reason));
  }

  @ParameterizedTest(name = "{0} brokers -> {1} controllers")
  @CsvSource({"1, 1", "2, 1", "3, 3", "5, 3"})
  void shouldMakeTheFirstNodesControllers(int brokers, int controllers) {
    Harness h = Harness.withCluster("c", brokers);

    assertThat(h.cluster("c").controllers()).extracting(Broker::nodeId)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, controllers).boxed().toList());
  }

  @Test
  void shouldBumpTheConfigVersionAndDropEmptyValues() {
    Harness h = Harness.withCluster("c", 3);
    h.command(new KafkaCommand.Configure("c", Map.of("a", "1", "b", "2")));
    h.command(new KafkaCommand.Configure("c", Map.of("a", "")));

    assertThat(h.cluster("c").configVersion()).isEqualTo(3);
    assertThat(h.cluster("c").config()).containsExactly(Map.entry("b", "2"));
  }
}
