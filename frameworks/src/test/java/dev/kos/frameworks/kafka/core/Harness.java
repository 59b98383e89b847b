package dev.kos.frameworks.kafka.core;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Fixtures for the kafka core: clusters created through the command handler, offers, observations, steps. */
final class Harness {

  static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  static final Resources BROKER = Resources.of(0.5, 768, 1024);
  /** metadata.version as a cluster formatted by its release reports it: at the level its release supports. */
  static final MetadataLevels METADATA = new MetadataLevels((short) 27, (short) 27);
  static final BrokerVersions VERSIONS = new BrokerVersions("4.3.1",
      new TreeSet<>(Set.of("4.2.2", "4.3.1", "4.4.0")));

  Map<String, KafkaCluster> clusters = new TreeMap<>();
  Map<String, Observation> observations = new TreeMap<>();
  Instant now = T0;
  SelfHealing healing = SelfHealing.DEFAULTS;

  static Harness withCluster(String name, int brokers) {
    Harness harness = new Harness();
    harness.command(create(name, brokers, BROKER, Map.of()));
    return harness;
  }

  /** A create command for the default release. */
  static KafkaCommand.Create create(String name, int brokers, Resources perBroker, Map<String, String> config) {
    return new KafkaCommand.Create(name, brokers, perBroker, config, Optional.empty());
  }

  KafkaCommandOutcome command(KafkaCommand command) {
    KafkaCommandOutcome outcome = new CommandHandler(VERSIONS).handle(clusters, command, "cluster-id", now);
    if (outcome instanceof KafkaCommandOutcome.Accepted accepted) {
      clusters = new TreeMap<>(accepted.clusters());
    }
    return outcome;
  }

  Plan plan(BrokerOffer... offers) {
    Plan plan = new Planner(healing).plan(clusters, observations, List.of(offers), now);
    clusters = new TreeMap<>(plan.clusters());
    return plan;
  }

  Plan status(String taskId, TaskState phase, Boolean healthy) {
    Plan plan = StatusStep.apply(clusters, new TaskStatusUpdate(taskId, "kafka", "", Optional.empty(), phase,
        Optional.of(""), Optional.empty(), Optional.ofNullable(healthy), Optional.empty(), Optional.empty(), now), now,
        healing);
    clusters = new TreeMap<>(plan.clusters());
    return plan;
  }

  KafkaCluster cluster(String name) {
    return clusters.get(name);
  }

  Broker broker(String name, int nodeId) {
    return clusters.get(name).broker(nodeId).orElseThrow();
  }

  /** An offer of unreserved resources on {@code agent} with ports first..first+9. */
  static BrokerOffer free(String offerId, String agent, int firstPort) {
    return new BrokerOffer(offerId, agent, agent + ".example", Resources.of(2, 4096, 10_000),
        List.of(new PortRange(firstPort, firstPort + 9)), Resources.NONE, List.of());
  }

  /** An offer carrying a reservation of one broker's resources and these ports. */
  static BrokerOffer reserved(String offerId, String agent, List<Integer> ports) {
    return new BrokerOffer(offerId, agent, agent + ".example", Resources.NONE, List.of(), BROKER,
        ports.stream().map(p -> new PortRange(p, p)).toList());
  }

  /** Every placed broker of the cluster through reserve, volume and launch, then RUNNING and healthy. */
  void runAll(String name) {
    for (int round = 0; round < 3; round++) {
      int n = 0;
      for (Broker broker : cluster(name).brokers()) {
        n++;
        BrokerOffer offer = broker.placement().isPresent()
            ? reserved("o" + round + "-" + n, broker.placement().get().agentId(), broker.placement().get().ports())
            : free("o" + round + "-" + n, "agent-" + broker.nodeId(), 31000 + broker.nodeId() * 10);
        plan(offer);
      }
    }
    for (Broker broker : cluster(name).brokers()) {
      status(broker.taskId().orElseThrow(), TaskState.RUNNING, true);
    }
    settle(name);
  }

  /** The cluster reports every running broker registered and every partition in sync. */
  void settle(String name) {
    Set<Integer> ids = cluster(name).brokers().stream().map(Broker::nodeId).collect(Collectors.toSet());
    observations.put(name, new Observation(ids, 0, 0,
        ids.stream().collect(Collectors.toMap(id -> id, id -> 3)), false, METADATA, now));
  }
}
