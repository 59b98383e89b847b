package dev.kos.frameworks.kafka.core;

import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** Checks a command against the clusters and, when it is sound, returns the clusters it asks for. */
public final class CommandHandler {

  public static final int MAX_BROKERS = 32;
  public static final double MIN_MEM_MB = 256;
  /**
   * What a cluster's policy can track: the per-broker values of the samples the framework publishes for each broker
   * on kos.metrics (ClusterWatch), averaged over the brokers by the autoscaler.
   */
  public static final List<String> SCALING_METRICS = List.of("bytesInPerSec", "bytesOutPerSec", "partitions",
      "leaders", "logDirBytes", "logGrowthBytesPerSec");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  private final BrokerVersions versions;

  /** Why a broker of this size cannot run, if it cannot. */
  public static Optional<String> brokerSizeProblem(double cpus, double mem, double disk) {
    if (!(cpus > 0) || !(mem >= MIN_MEM_MB) || !(disk > 0)) {
      return Optional.of("each broker needs cpus > 0, mem >= " + (int) MIN_MEM_MB + " MB and disk > 0 MB; got "
          + cpus + " cpus, " + mem + " MB mem, " + disk + " MB disk");
    }
    return Optional.empty();
  }

  public CommandHandler(BrokerVersions versions) {
    this.versions = versions;
  }

  /**
   * @param clusterId the KRaft cluster id a new cluster gets (the shell draws it; a create ignores it otherwise)
   */
  public KafkaCommandOutcome handle(Map<String, KafkaCluster> clusters, KafkaCommand command, String clusterId,
      Instant now) {
    Optional<String> problem = problem(clusters, command);
    if (problem.isPresent()) {
      return new KafkaCommandOutcome.Rejected(problem.get());
    }
    Map<String, KafkaCluster> next = new TreeMap<>(clusters);
    String name = command.cluster();
    KafkaCluster cluster = clusters.get(name);
    String message;
    if (command instanceof KafkaCommand.Create create) {
      int controllers = controllers(create.brokers());
      List<Broker> brokers = IntStream.rangeClosed(1, create.brokers())
          .mapToObj(id -> Broker.fresh(id, id <= controllers, now)).toList();
      String version = create.version().orElse(versions.defaultVersion());
      next.put(name, new KafkaCluster(name, clusterId, version, create.perBroker(), create.config(), 1, brokers,
          KafkaCluster.Rebalance.NONE, List.of(), Optional.empty()));
      message = "cluster " + name + " with " + create.brokers() + " brokers of Kafka " + version + " (" + controllers
          + " of them controllers)";
    } else if (command instanceof KafkaCommand.AddBrokers add) {
      List<Broker> brokers = new ArrayList<>(cluster.brokers());
      int first = cluster.nextNodeId();
      IntStream.range(first, first + add.count()).forEach(id -> brokers.add(Broker.fresh(id, false, now)));
      next.put(name, cluster.withBrokers(brokers).withRebalance(KafkaCluster.Rebalance.WANTED));
      message = add.count() + " brokers added to " + name + " (node ids " + first + ".." + (first + add.count() - 1)
          + "); partitions move onto them once they are healthy";
    } else if (command instanceof KafkaCommand.RemoveBroker remove) {
      next.put(name, cluster.withBroker(remove.nodeId(), b -> b.in(BrokerPhase.DRAINING, now))
          .withRebalance(KafkaCluster.Rebalance.WANTED));
      message = "broker " + remove.nodeId() + " of " + name + " drains: its partitions move away, then it stops";
    } else if (command instanceof KafkaCommand.Delete) {
      List<Broker> leaving = cluster.brokers().stream().flatMap(b -> deleted(b, now).stream()).toList();
      if (leaving.isEmpty()) {
        next.remove(name);
      } else {
        next.put(name, cluster.withBrokers(leaving).withRebalance(KafkaCluster.Rebalance.NONE));
      }
      message = name + " is being deleted: its " + cluster.brokers().size() + " brokers stop, and their volumes "
          + "(all its data) and reservations are released";
    } else if (command instanceof KafkaCommand.Rebalance) {
      next.put(name, cluster.withRebalance(KafkaCluster.Rebalance.WANTED));
      message = name + "'s partitions move under the rebalance goals once every broker is healthy and in sync "
          + "(REASSIGNMENT_STARTED says what moves)";
    } else if (command instanceof KafkaCommand.SetScalingPolicy set) {
      next.put(name, cluster.withScaling(set.policy()));
      message = set.policy().map(policy -> name + " scales by policy: " + policy.describe()
          + " (an instance is a broker; decisions on kos.scale-decisions)")
          .orElse(name + " has no scaling policy now");
    } else if (command instanceof KafkaCommand.Upgrade upgrade) {
      next.put(name, cluster.withVersion(upgrade.version()));
      message = name + " upgrades from Kafka " + cluster.version() + " to " + upgrade.version()
          + ": brokers restart one at a time, then metadata.version is raised to the new release's";
    } else {
      KafkaCommand.Configure configure = (KafkaCommand.Configure) command;
      Map<String, String> config = new TreeMap<>(cluster.config());
      configure.config().forEach((key, value) -> {
        if (value.isEmpty()) {
          config.remove(key);
        } else {
          config.put(key, value);
        }
      });
      KafkaCluster changed = cluster.withConfig(config);
      next.put(name, changed);
      message = "config version " + changed.configVersion() + " of " + name + ": brokers restart one at a time";
    }
    return new KafkaCommandOutcome.Accepted(next, message);
  }

  /**
   * Where a broker of a cluster being deleted goes: one never placed is forgotten at once; one with a task is killed
   * (DELETING); one without a task has its volume destroyed and reservation released (RETIRED); one already on its
   * way out goes on.
   */
  private static Optional<Broker> deleted(Broker broker, Instant now) {
    return switch (broker.phase()) {
      case NEW -> Optional.empty();
      case LAUNCHING, RUNNING, DRAINING, STOPPING -> Optional.of(broker.in(BrokerPhase.DELETING, now));
      case RESERVED, VOLUME_READY, STOPPED -> Optional.of(broker.in(BrokerPhase.RETIRED, now));
      case REMOVING, RETIRED, UNRESERVING, DELETING -> Optional.of(broker);
    };
  }

  /**
   * A rebalance only of a cluster at rest: not while partitions move already, nor while brokers restart for a
   * config change or an upgrade (moves would compete with the restarts for the in-sync replicas).
   */
  private static Optional<String> rebalanceProblem(KafkaCluster cluster) {
    if (cluster.rebalance() != KafkaCluster.Rebalance.NONE) {
      return Optional.of(cluster.name() + " is rebalancing already (" + cluster.rebalance() + ")");
    }
    List<Integer> behind = cluster.members().stream().filter(b -> b.configVersion() < cluster.configVersion()
        || b.version().filter(cluster.version()::equals).isEmpty()).map(Broker::nodeId).toList();
    if (!behind.isEmpty()) {
      return Optional.of(cluster.name() + " is mid-" + (cluster.members().stream().anyMatch(b -> b.version()
          .filter(v -> !v.equals(cluster.version())).isPresent()) ? "upgrade" : "rolling restart")
          + ": brokers " + behind + " have not restarted onto config version " + cluster.configVersion()
          + " (Kafka " + cluster.version() + ") yet; rebalance once they have");
    }
    return Optional.empty();
  }

  /** Three static voters from three brokers on; a smaller cluster has one controller. */
  static int controllers(int brokers) {
    return brokers >= KafkaCluster.MAX_CONTROLLERS ? KafkaCluster.MAX_CONTROLLERS : 1;
  }

  private Optional<String> problem(Map<String, KafkaCluster> clusters, KafkaCommand command) {
    String name = command.cluster();
    if (command instanceof KafkaCommand.Create create) {
      if (name == null || !NAME.matcher(name).matches()) {
        return Optional.of("invalid cluster name '" + name + "': use up to 40 lower-case letters, digits and '-', "
            + "starting with a letter or digit");
      }
      if (clusters.containsKey(name)) {
        return Optional.of("kafka cluster " + name + " exists already; use `kos kafka broker add` to grow it");
      }
      if (create.brokers() < 1 || create.brokers() > MAX_BROKERS) {
        return Optional.of("a cluster needs 1 to " + MAX_BROKERS + " brokers, not " + create.brokers());
      }
      Resources r = create.perBroker();
      Optional<String> unfit = create.unfitSize().or(() -> brokerSizeProblem(r.cpus(), r.mem(), r.disk()));
      if (unfit.isPresent()) {
        return unfit;
      }
      if (create.version().isPresent() && !versions.runs(create.version().get())) {
        return Optional.of(unknownVersion(create.version().get()));
      }
      return ownedKeys(create.config());
    }
    KafkaCluster cluster = clusters.get(name);
    if (cluster == null) {
      return Optional.of("no kafka cluster " + name + (clusters.isEmpty() ? "" : "; known: "
          + String.join(", ", new TreeMap<>(clusters).keySet())));
    }
    if (cluster.deleting()) {
      return Optional.of("kafka cluster " + name + " is being deleted");
    }
    if (command instanceof KafkaCommand.Delete) {
      return Optional.empty();
    }
    if (command instanceof KafkaCommand.Rebalance) {
      return rebalanceProblem(cluster);
    }
    Optional<String> unexpected = unexpectedBrokers(cluster, command);
    if (unexpected.isPresent()) {
      return unexpected;
    }
    if (command instanceof KafkaCommand.AddBrokers add) {
      int total = cluster.brokers().size() + add.count();
      return add.count() < 1 || total > MAX_BROKERS
          ? Optional.of("can add 1 to " + (MAX_BROKERS - cluster.brokers().size()) + " brokers to " + name
              + ", not " + add.count())
          : Optional.empty();
    }
    if (command instanceof KafkaCommand.RemoveBroker remove) {
      Optional<Broker> broker = cluster.broker(remove.nodeId());
      if (broker.isEmpty()) {
        return Optional.of("cluster " + name + " has no broker " + remove.nodeId() + "; its brokers are "
            + cluster.brokers().stream().map(b -> Integer.toString(b.nodeId())).toList());
      }
      if (broker.get().controller()) {
        return Optional.of("broker " + remove.nodeId() + " of " + name + " is a KRaft controller (a static voter) "
            + "and cannot be removed; remove a broker-only node (id > " + cluster.controllers().size() + ")");
      }
      if (broker.get().leaving()) {
        return Optional.of("broker " + remove.nodeId() + " of " + name + " is being removed already");
      }
      if (broker.get().phase() != BrokerPhase.RUNNING) {
        return Optional.of("broker " + remove.nodeId() + " of " + name + " is " + broker.get().phase()
            + "; remove it once it runs");
      }
      return Optional.empty();
    }
    if (command instanceof KafkaCommand.Upgrade upgrade) {
      return upgradeProblem(cluster, upgrade.version());
    }
    if (command instanceof KafkaCommand.SetScalingPolicy set) {
      return set.policy().flatMap(policy -> scalingProblem(cluster, policy));
    }
    Map<String, String> config = ((KafkaCommand.Configure) command).config();
    if (config.isEmpty()) {
      return Optional.of("no settings given: name at least one key=value");
    }
    return ownedKeys(config);
  }

  /**
   * A broker count the command was decided on that the cluster no longer has: the autoscaler decides on the state the
   * framework last published, so a decision repeated before the first one's change reached it would add (or remove)
   * a second time.
   */
  private static Optional<String> unexpectedBrokers(KafkaCluster cluster, KafkaCommand command) {
    OptionalInt expected = command instanceof KafkaCommand.AddBrokers add ? add.expectedBrokers()
        : command instanceof KafkaCommand.RemoveBroker remove ? remove.expectedBrokers() : OptionalInt.empty();
    if (expected.isEmpty()) {
      return Optional.empty();
    }
    long members = cluster.brokers().stream().filter(broker -> !broker.leaving()).count();
    return members == expected.getAsInt() ? Optional.empty()
        : Optional.of(cluster.name() + " has " + members + " brokers not being removed, not the "
            + expected.getAsInt() + " this command was decided on; nothing changed (the change it asks for was made "
            + "already, or the cluster changed meanwhile: decide again from kos kafka describe " + cluster.name() + ")");
  }

  /**
   * A policy the autoscaler can follow, on a metric the brokers report, between the controllers (which cannot be
   * removed) and {@link #MAX_BROKERS}.
   */
  private static Optional<String> scalingProblem(KafkaCluster cluster, ScalingPolicy policy) {
    try {
      policy.requireValid();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (!SCALING_METRICS.contains(policy.metric())) {
      return Optional.of("brokers do not report '" + policy.metric() + "'; a kafka cluster's policy tracks one of "
          + String.join(", ", SCALING_METRICS));
    }
    int controllers = cluster.controllers().size();
    if (policy.minInstances() < Math.max(1, controllers)) {
      return Optional.of("minInstances must be at least " + Math.max(1, controllers) + ": " + cluster.name() + " has "
          + controllers + " KRaft controllers, which cannot be removed; was " + policy.minInstances());
    }
    if (policy.maxStepDown() != 1) {
      return Optional.of("maxStepDown must be 1 for a kafka cluster: brokers are drained and removed one at a time; "
          + "was " + policy.maxStepDown());
    }
    if (policy.maxInstances() > MAX_BROKERS) {
      return Optional.of("maxInstances must be at most " + MAX_BROKERS + " brokers, was " + policy.maxInstances());
    }
    return Optional.empty();
  }

  /**
   * Only to a later release the framework has: once metadata.version is raised, older brokers could not read the
   * metadata log, so kos does not downgrade.
   */
  private Optional<String> upgradeProblem(KafkaCluster cluster, String version) {
    if (!KafkaVersion.valid(version)) {
      return Optional.of("'" + version + "' is not a Kafka release: name one such as "
          + versions.defaultVersion());
    }
    if (!versions.runs(version)) {
      return Optional.of(unknownVersion(version));
    }
    int order = KafkaVersion.parse(version).compareTo(KafkaVersion.parse(cluster.version()));
    if (order == 0) {
      return Optional.of(cluster.name() + " runs Kafka " + version + " already");
    }
    return order < 0
        ? Optional.of(cluster.name() + " runs Kafka " + cluster.version() + "; kos does not downgrade to " + version
            + " (once metadata.version is raised, older brokers cannot read the cluster's metadata)")
        : Optional.empty();
  }

  private String unknownVersion(String version) {
    return "the kafka framework has no classpath for Kafka " + version + "; it runs "
        + String.join(", ", versions.available()) + " (start it with --kafka-version " + version + "=CLASSPATH)";
  }

  private static Optional<String> ownedKeys(Map<String, String> config) {
    if (config.entrySet().stream().anyMatch(e -> (e.getKey() + e.getValue()).matches("(?s).*[\\r\\n].*")
        || e.getKey().isBlank())) {
      return Optional.of("config keys must be non-blank and keys and values one line each");
    }
    List<String> owned = config.keySet().stream().filter(ServerConfig.OWNED::contains).sorted().toList();
    return owned.isEmpty() ? Optional.empty() : Optional.of("kos sets " + String.join(", ", owned)
        + " itself (identity, listeners, voters and log directories of each broker); leave them out");
  }
}
