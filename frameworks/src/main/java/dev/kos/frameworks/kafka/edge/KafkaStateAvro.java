package dev.kos.frameworks.kafka.edge;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.frameworks.kafka.core.Abandoned;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.Placement;
import dev.kos.model.Resources;
import dev.kos.schema.KafkaAbandonedHome;
import dev.kos.schema.KafkaBrokerPlacement;
import dev.kos.schema.KafkaBrokerState;
import dev.kos.schema.KafkaClusterState;
import java.time.Instant;
import java.util.Optional;

/** A cluster as the framework keeps it, to and from its record on {@code kos.kafka-clusters}. */
public final class KafkaStateAvro {

  private KafkaStateAvro() {
  }

  public static KafkaClusterState avro(KafkaCluster cluster, Instant now) {
    return KafkaClusterState.newBuilder().setName(cluster.name()).setClusterId(cluster.clusterId())
        .setVersion(cluster.version())
        .setPerBroker(dev.kos.schema.Resources.newBuilder().setCpus(cluster.perBroker().cpus())
            .setMem(cluster.perBroker().mem()).setDisk(cluster.perBroker().disk()).build())
        .setConfig(cluster.config()).setConfigVersion(cluster.configVersion())
        .setRebalance(cluster.rebalance().name())
        .setBrokers(cluster.brokers().stream().map(KafkaStateAvro::avro).toList())
        .setAbandoned(cluster.abandoned().stream().map(home -> KafkaAbandonedHome.newBuilder()
            .setNodeId(home.nodeId()).setPlacement(avro(home.placement()))
            .setVolumeDestroyed(home.volumeDestroyed()).build()).toList())
        .setScalingPolicy(cluster.scaling().map(SchedulerAvro::scalingPolicy).orElse(null))
        .setUpdatedAt(now).build();
  }

  /**
   * The cluster a record holds; a record this framework cannot read is the caller's to report. A record without a
   * Kafka release was written before upgrades existed, when every cluster ran the framework's own release.
   */
  public static KafkaCluster core(KafkaClusterState state, String defaultVersion) {
    dev.kos.schema.Resources perBroker = state.getPerBroker();
    String version = Optional.ofNullable(state.getVersion()).orElse(defaultVersion);
    return new KafkaCluster(state.getName(), state.getClusterId(), version,
        Resources.of(perBroker.getCpus(), perBroker.getMem(), perBroker.getDisk()), state.getConfig(),
        state.getConfigVersion(), state.getBrokers().stream().map(broker -> core(broker, version)).toList(),
        KafkaCluster.Rebalance.valueOf(state.getRebalance()),
        state.getAbandoned().stream().map(home -> new Abandoned(home.getNodeId(), core(home.getPlacement()),
            home.getVolumeDestroyed())).toList(),
        Optional.ofNullable(state.getScalingPolicy()).map(SchedulerAvro::scalingPolicy));
  }

  private static KafkaBrokerState avro(Broker broker) {
    return KafkaBrokerState.newBuilder().setNodeId(broker.nodeId()).setController(broker.controller())
        .setPlacement(broker.placement().map(KafkaStateAvro::avro).orElse(null))
        .setPhase(broker.phase().name()).setAttempt(broker.attempt()).setTaskId(broker.taskId().orElse(null))
        .setConfigVersion(broker.configVersion()).setVersion(broker.version().orElse(null))
        .setHealthy(broker.healthy().orElse(null)).setFailures(broker.failures())
        .setSince(broker.since()).setLeaving(broker.leaving()).build();
  }

  /** A broker launched before upgrades existed ran its cluster's release. */
  private static Broker core(KafkaBrokerState broker, String clusterVersion) {
    Optional<String> taskId = Optional.ofNullable(broker.getTaskId());
    Optional<String> version = Optional.ofNullable(broker.getVersion()).or(() -> taskId.map(id -> clusterVersion));
    return new Broker(broker.getNodeId(), broker.getController(),
        Optional.ofNullable(broker.getPlacement()).map(KafkaStateAvro::core), BrokerPhase.valueOf(broker.getPhase()),
        broker.getAttempt(), taskId, broker.getConfigVersion(), version, Optional.ofNullable(broker.getHealthy()),
        broker.getFailures(), broker.getSince());
  }

  private static KafkaBrokerPlacement avro(Placement placement) {
    return KafkaBrokerPlacement.newBuilder().setAgentId(placement.agentId()).setHostname(placement.hostname())
        .setPorts(placement.ports()).setRack(placement.rack().orElse(null)).build();
  }

  private static Placement core(KafkaBrokerPlacement placement) {
    return new Placement(placement.getAgentId(), placement.getHostname(), placement.getPorts(),
        Optional.ofNullable(placement.getRack()));
  }
}
