package dev.kos.frameworks.kafka.core;

import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The commands of the kafka framework, as the core sees them. */
public sealed interface KafkaCommand {

  String cluster();

  /**
   * {@code version} empty: the framework's default Kafka release. {@code unfitSize} is the reason a requested
   * broker size could not even be held as {@link Resources} (a negative or non-finite amount); the handler
   * rejects the command with it where it checks sizes, and {@code perBroker} is then {@link Resources#NONE}.
   */
  record Create(String cluster, int brokers, Resources perBroker, Map<String, String> config,
      Optional<String> version, Optional<String> unfitSize) implements KafkaCommand {

    public Create(String cluster, int brokers, Resources perBroker, Map<String, String> config,
        Optional<String> version) {
      this(cluster, brokers, perBroker, config, version, Optional.empty());
    }
  }

  /**
   * @param expectedBrokers the brokers not being removed that the sender counted; another count rejects the command
   *     (an autoscaler's decision repeated before the framework's state reached it); empty: add regardless
   */
  record AddBrokers(String cluster, int count, OptionalInt expectedBrokers) implements KafkaCommand {
    public AddBrokers(String cluster, int count) {
      this(cluster, count, OptionalInt.empty());
    }
  }

  /** @param expectedBrokers as {@link AddBrokers}'s */
  record RemoveBroker(String cluster, int nodeId, OptionalInt expectedBrokers) implements KafkaCommand {
    public RemoveBroker(String cluster, int nodeId) {
      this(cluster, nodeId, OptionalInt.empty());
    }
  }

  /** Overrides to set; an empty value removes the override. */
  record Configure(String cluster, Map<String, String> config) implements KafkaCommand {
  }

  /**
   * The whole cluster goes: every broker stops, its volume (its data) is destroyed and its reservation released,
   * then the cluster is forgotten.
   */
  record Delete(String cluster) implements KafkaCommand {
  }

  /** Partitions move under the rebalance goals ({@link GoalBalancer}), throttled, as after a broker add. */
  record Rebalance(String cluster) implements KafkaCommand {
  }

  /** A target-tracking policy for the cluster's broker count; empty clears it. */
  record SetScalingPolicy(String cluster, Optional<ScalingPolicy> policy) implements KafkaCommand {
  }

  /** Brokers restart one at a time onto another Kafka release; then the cluster's metadata.version follows. */
  record Upgrade(String cluster, String version) implements KafkaCommand {
  }
}
