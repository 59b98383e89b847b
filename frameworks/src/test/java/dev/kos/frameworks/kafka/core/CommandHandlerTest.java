package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
        Arguments.of("add decided on an older count", new KafkaCommand.AddBrokers("c", 1, OptionalInt.of(3)),
            "c has 4 brokers not being removed, not the 3 this command was decided on; nothing changed"),
        Arguments.of("remove decided on an older count", new KafkaCommand.RemoveBroker("c", 4, OptionalInt.of(5)),
            "c has 4 brokers not being removed, not the 5 this command was decided on; nothing changed"),
        Arguments.of("remove a voter", new KafkaCommand.RemoveBroker("c", 2), "is a KRaft controller"),
        Arguments.of("remove unknown", new KafkaCommand.RemoveBroker("c", 9), "has no broker 9"),
        Arguments.of("remove unplaced", new KafkaCommand.RemoveBroker("c", 4), "is NEW; remove it once it runs"),
        Arguments.of("two-line value", new KafkaCommand.Configure("c", Map.of("a", "1\nnode.id=9")), "one line"),
        Arguments.of("empty config", new KafkaCommand.Configure("c", Map.of()), "no settings given"),
        Arguments.of("listener config", new KafkaCommand.Configure("c", Map.of("listeners", "x")),
            "kos sets listeners itself"),
        Arguments.of("rebalance while one is wanted", new KafkaCommand.Rebalance("c"),
            "c is rebalancing already (WANTED)"),
        Arguments.of("policy on a metric brokers do not report", policy(new ScalingPolicy("cpu", 1, 3, 6, 0.1, 1, 1,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.ADVISORY)),
            "brokers do not report 'cpu'; a kafka cluster's policy tracks one of bytesInPerSec, bytesOutPerSec"),
        Arguments.of("policy that could remove a controller", policy(new ScalingPolicy("bytesInPerSec", 1e6, 2, 6,
            0.1, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.AUTOMATIC)),
            "minInstances must be at least 3: c has 3 KRaft controllers, which cannot be removed; was 2"),
        Arguments.of("policy beyond the broker limit", policy(new ScalingPolicy("bytesInPerSec", 1e6, 3, 40,
            0.1, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.AUTOMATIC)),
            "maxInstances must be at most 32 brokers, was 40"),
        Arguments.of("policy without a target", policy(new ScalingPolicy("bytesInPerSec", 0, 3, 6,
            0.1, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.AUTOMATIC)),
            "invalid scaling policy: target must be a positive number, was 0.0"),
        Arguments.of("policy that removes two brokers at once", policy(new ScalingPolicy("bytesInPerSec", 1e6, 3, 6,
            0.1, 1, 2, Duration.ZERO, Duration.ZERO, Duration.ZERO, ScaleMode.AUTOMATIC)),
            "maxStepDown must be 1 for a kafka cluster"),
        Arguments.of("policy on an unknown cluster", new KafkaCommand.SetScalingPolicy("nope", Optional.empty()),
            "no kafka cluster nope"));
  }

  private static KafkaCommand policy(ScalingPolicy policy) {
    return new KafkaCommand.SetScalingPolicy("c", Optional.of(policy));
  }

  @Test
  void shouldKeepAPolicyUntilItIsCleared() {
    Harness h = Harness.withCluster("c", 3);
    ScalingPolicy policy = ScalingPolicy.of("bytesInPerSec", 1_000_000, 3, 6, ScaleMode.AUTOMATIC);

    KafkaCommandOutcome set = h.command(new KafkaCommand.SetScalingPolicy("c", Optional.of(policy)));

    assertThat(set).isInstanceOfSatisfying(KafkaCommandOutcome.Accepted.class, accepted -> assertThat(
        accepted.message()).isEqualTo("c scales by policy: " + policy.describe()
        + " (an instance is a broker; decisions on kos.scale-decisions)"));
    assertThat(h.cluster("c").scaling()).contains(policy);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    assertThat(h.cluster("c").scaling()).as("kept through other changes").contains(policy);

    h.command(new KafkaCommand.SetScalingPolicy("c", Optional.empty()));
    assertThat(h.cluster("c").scaling()).isEmpty();
  }

  @Test
  void shouldAddOnceForAnAutoscalerDecisionRepeatedBeforeTheFrameworksStateReachedIt() {
    Harness h = Harness.withCluster("c", 3);
    KafkaCommand decided = new KafkaCommand.AddBrokers("c", 1, OptionalInt.of(3));

    assertThat(h.command(decided)).isInstanceOf(KafkaCommandOutcome.Accepted.class);
    assertThat(h.command(decided)).isInstanceOf(KafkaCommandOutcome.Rejected.class);
    assertThat(h.cluster("c").brokers()).as("one broker added, not two").hasSize(4);
    assertThat(h.command(new KafkaCommand.AddBrokers("c", 1))).as("a count-free add still adds")
        .isInstanceOf(KafkaCommandOutcome.Accepted.class);
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
