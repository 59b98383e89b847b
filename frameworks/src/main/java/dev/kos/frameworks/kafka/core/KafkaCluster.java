package dev.kos.frameworks.kafka.core;

import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A Kafka cluster run by the framework.
 *
 * @param clusterId the KRaft cluster id every broker's storage is formatted with
 * @param version the Kafka release its brokers run, or are being upgraded to
 * @param perBroker what each broker reserves; {@code disk} is the size of its log volume
 * @param config the user's server.properties overrides
 * @param configVersion bumped by every accepted config change and upgrade; brokers started with an older one
 *     restart
 * @param rebalance whether partitions should move (after brokers were added or one is being removed)
 * @param abandoned homes of brokers placed anew after their agent stayed away, to clean up if it comes back
 * @param scaling the policy {@code kos kafka policy} set: the allocator's autoscaler keeps a per-broker metric of the
 *     brokers' samples near its target, and in AUTOMATIC mode asks for brokers to be added or removed
 */
public record KafkaCluster(String name, String clusterId, String version, Resources perBroker, Map<String, String> config,
    long configVersion, List<Broker> brokers, Rebalance rebalance, List<Abandoned> abandoned,
    Optional<ScalingPolicy> scaling) {

  /** Static KRaft voters: the first nodes, up to this many, are combined controller+broker nodes. */
  public static final int MAX_CONTROLLERS = 3;

  public enum Rebalance { NONE, WANTED, RUNNING }

  public KafkaCluster {
    config = Map.copyOf(new TreeMap<>(config));
    brokers = brokers.stream().sorted(Comparator.comparingInt(Broker::nodeId)).toList();
    abandoned = List.copyOf(abandoned);
    Objects.requireNonNull(scaling, "scaling");
  }

  public Optional<Broker> broker(int nodeId) {
    return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst();
  }

  public List<Broker> controllers() {
    return brokers.stream().filter(Broker::controller).toList();
  }

  /** Whether `kos kafka delete` was accepted: every broker is on its way out, the cluster with them. */
  public boolean deleting() {
    return brokers.stream().anyMatch(b -> b.phase() == BrokerPhase.DELETING)
        || !brokers.isEmpty() && brokers.stream().allMatch(b -> b.phase() == BrokerPhase.REMOVING || b.gone());
  }

  /** Brokers that hold, or will hold, partitions: not being removed. */
  public List<Broker> members() {
    return brokers.stream().filter(b -> !b.leaving()).toList();
  }

  public int nextNodeId() {
    return brokers.stream().mapToInt(Broker::nodeId).max().orElse(0) + 1;
  }

  public KafkaCluster withBroker(int nodeId, UnaryOperator<Broker> change) {
    return withBrokers(brokers.stream().map(b -> b.nodeId() == nodeId ? change.apply(b) : b).toList());
  }

  public KafkaCluster withBrokers(List<Broker> next) {
    return new KafkaCluster(name, clusterId, version, perBroker, config, configVersion, next, rebalance, abandoned,
        scaling);
  }

  public KafkaCluster withRebalance(Rebalance next) {
    return new KafkaCluster(name, clusterId, version, perBroker, config, configVersion, brokers, next, abandoned,
        scaling);
  }

  public KafkaCluster withConfig(Map<String, String> next) {
    return new KafkaCluster(name, clusterId, version, perBroker, next, configVersion + 1, brokers, rebalance,
        abandoned, scaling);
  }

  /** Brokers restart one at a time onto {@code next}, as they do for a config change. */
  public KafkaCluster withVersion(String next) {
    return new KafkaCluster(name, clusterId, next, perBroker, config, configVersion + 1, brokers, rebalance,
        abandoned, scaling);
  }

  public KafkaCluster withScaling(Optional<ScalingPolicy> next) {
    return new KafkaCluster(name, clusterId, version, perBroker, config, configVersion, brokers, rebalance, abandoned,
        next);
  }

  public KafkaCluster withAbandoned(List<Abandoned> next) {
    return new KafkaCluster(name, clusterId, version, perBroker, config, configVersion, brokers, rebalance, next,
        scaling);
  }
}
