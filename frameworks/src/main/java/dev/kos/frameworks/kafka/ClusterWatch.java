package dev.kos.frameworks.kafka;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.MetadataUpgrade;
import dev.kos.frameworks.kafka.core.Placement;
import dev.kos.frameworks.kafka.core.Rebalancing;
import dev.kos.frameworks.kafka.core.ServerConfig;
import dev.kos.frameworks.kafka.edge.KafkaAvro;
import dev.kos.schema.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each cluster through its Admin API on the framework's timer thread: reads it, starts and follows the
 * partition moves a rebalance needs (throttled; progress on {@code kos.status}), raises metadata.version after an
 * upgrade, and publishes per-broker samples on {@code kos.metrics}. Only the timer thread calls it.
 */
final class ClusterWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  private final KafkaFrameworkSettings settings;
  private final BusPublisher publisher;
  private final Clock clock;
  private final Map<String, ClusterAdmin> admins = new HashMap<>();
  private final Map<String, Rebalancing.Moves> moving = new HashMap<>();
  private final Map<String, Sampled> lastSamples = new HashMap<>();
  private final Map<String, AdminSnapshot> lastViews = new HashMap<>();
  private final Map<String, String> unreachable = new HashMap<>();
  private final BrokerJmx jmx = new BrokerJmx();
  private final Function<String, String> jmxSecrets;

  /** A broker's previous sample: its log bytes and, when its JMX answered, its traffic totals. */
  record Sampled(Instant at, long bytes, Optional<BrokerJmx.Traffic> traffic) {

    /**
     * Bytes per second since this sample, from the totals: what the broker carried over the last interval, so a
     * policy sees a load rise or stop within one sample rather than through Kafka's one-minute moving rate, which
     * is the fallback when there is no earlier total or the total went back (the broker restarted).
     */
    static double rate(Optional<Sampled> before, Instant now, long total, double oneMinuteRate,
        java.util.function.ToLongFunction<BrokerJmx.Traffic> totalOf) {
      if (before.isEmpty() || before.get().traffic().isEmpty() || !now.isAfter(before.get().at())) {
        return oneMinuteRate;
      }
      long earlier = totalOf.applyAsLong(before.get().traffic().get());
      return total < earlier ? oneMinuteRate
          : (total - earlier) * 1000.0 / Duration.between(before.get().at(), now).toMillis();
    }
  }

  /** @param jmxSecrets the JMX password of each cluster's brokers, by cluster name */
  ClusterWatch(KafkaFrameworkSettings settings, BusPublisher publisher, Clock clock,
      Function<String, String> jmxSecrets) {
    this.settings = settings;
    this.jmxSecrets = jmxSecrets;
    this.publisher = publisher;
    this.clock = clock;
  }

  Optional<AdminSnapshot> read(KafkaCluster cluster) throws InterruptedException {
    String bootstrap = ServerConfig.bootstrapServers(cluster);
    if (bootstrap.isEmpty()) {
      return Optional.empty();
    }
    ClusterAdmin admin = admins.get(cluster.name());
    if (admin == null || !admin.bootstrap().equals(bootstrap)) {
      if (admin != null) {
        admin.close();
      }
      admins.remove(cluster.name());
      try {
        admin = new ClusterAdmin(bootstrap);
      } catch (KafkaException e) {
        // Addresses no client can use (a name nothing resolves): say so once, and watch the other clusters on.
        if (!e.toString().equals(unreachable.put(cluster.name(), e.toString()))) {
          log.warn("cannot read kafka cluster {} at {}: {}", cluster.name(), bootstrap, e.toString());
        }
        lastViews.remove(cluster.name());
        return Optional.empty();
      }
      unreachable.remove(cluster.name());
      admins.put(cluster.name(), admin);
    }
    Optional<AdminSnapshot> view = admin.read(clock.instant());
    view.ifPresentOrElse(v -> lastViews.put(cluster.name(), v), () -> lastViews.remove(cluster.name()));
    return view;
  }

  /** Starts, follows or finishes the cluster's rebalance ({@link Rebalancing#step}); returns where it stands now. */
  KafkaCluster.Rebalance step(KafkaCluster cluster, AdminSnapshot view) throws InterruptedException {
    String name = cluster.name();
    Rebalancing.Step step = Rebalancing.step(cluster,
        new Rebalancing.Seen(view.observation(), view.assignment(), view.reassignmentsLeft(),
            view.partitionBytes()),
        Optional.ofNullable(moving.get(name)), clock.instant(), settings.throttleBytesPerSecond());
    if (step.call().isPresent()) {
      try {
        call(admins.get(name), step.call().get());
      } catch (ExecutionException e) {
        log.warn("could not {} of {}: {}", step.call().get() instanceof Rebalancing.Reassign
            ? "start moving partitions" : "remove the replication throttles", name, e.getCause().toString());
        step = step.callFailed();
      }
    }
    step.moves().ifPresentOrElse(moves -> moving.put(name, moves), () -> moving.remove(name));
    step.events().forEach(event -> event(name, event.kind(), event.message(), event.counts()));
    return step.next();
  }

  private static void call(ClusterAdmin admin, Rebalancing.AdminCall call)
      throws InterruptedException, ExecutionException {
    if (call instanceof Rebalancing.Reassign reassign) {
      admin.reassign(reassign.brokers(), reassign.current(), reassign.moves(), reassign.throttleBytesPerSecond());
    } else if (call instanceof Rebalancing.Unthrottle unthrottle) {
      admin.unthrottle(unthrottle.brokers(), unthrottle.topics());
    }
  }

  /**
   * Raises metadata.version once an upgraded cluster's brokers all run its new release ({@link MetadataUpgrade});
   * a refusal is reported and tried again in a later round.
   */
  void raiseMetadataVersion(KafkaCluster cluster, AdminSnapshot view) throws InterruptedException {
    Optional<Short> level = MetadataUpgrade.level(cluster, view.observation());
    if (level.isEmpty()) {
      return;
    }
    short from = view.observation().metadata().finalized();
    try {
      admins.get(cluster.name()).raiseMetadataVersion(level.get());
      event(cluster.name(), "METADATA_VERSION_RAISED", "metadata.version raised from level " + from + " to "
          + level.get() + ": every broker runs Kafka " + cluster.version() + "; the upgrade is complete",
          Map.of("from", (int) from, "to", (int) level.get()));
    } catch (ExecutionException e) {
      log.warn("could not raise metadata.version of {} to level {}: {}; trying again", cluster.name(), level.get(),
          e.getCause().toString());
    }
  }

  /** One sample per broker: its share of the cluster, its traffic (over JMX) and the disk its volume uses. */
  void publishMetrics(Map<String, KafkaCluster> clusters) {
    Instant now = clock.instant();
    for (KafkaCluster cluster : clusters.values()) {
      AdminSnapshot view = lastViews.get(cluster.name());
      if (view == null) {
        continue;
      }
      for (Broker broker : cluster.brokers()) {
        if (broker.placement().isEmpty() || broker.gone()) {
          continue;
        }
        String source = KafkaAvro.instanceId(cluster.name(), broker.nodeId());
        long bytes = view.logDirBytes().getOrDefault(broker.nodeId(), 0L);
        Placement where = broker.placement().get();
        Optional<BrokerJmx.Traffic> traffic = jmx.read(where.hostname(), where.jmxPort(),
            jmxSecrets.apply(cluster.name()));
        Optional<Sampled> before = Optional.ofNullable(lastSamples.put(source, new Sampled(now, bytes, traffic)));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("partitions", (double) view.observation().replicasOn(broker.nodeId()));
        values.put("leaders", (double) view.leaders().getOrDefault(broker.nodeId(), 0));
        values.put("underReplicatedPartitions", (double) view.underReplicatedLed().getOrDefault(broker.nodeId(), 0));
        values.put("logDirBytes", (double) bytes);
        if (before.isPresent() && now.isAfter(before.get().at())) {
          values.put("logGrowthBytesPerSec", (bytes - before.get().bytes()) * 1000.0
              / Duration.between(before.get().at(), now).toMillis());
        }
        values.put("healthy", broker.runningHealthy() ? 1.0 : 0.0);
        traffic.ifPresent(t -> {
          values.put("bytesInPerSec", Sampled.rate(before, now, t.bytesIn(), t.bytesInPerSec(),
              BrokerJmx.Traffic::bytesIn));
          values.put("bytesOutPerSec", Sampled.rate(before, now, t.bytesOut(), t.bytesOutPerSec(),
              BrokerJmx.Traffic::bytesOut));
          values.put("bytesIn", (double) t.bytesIn());
          values.put("bytesOut", (double) t.bytesOut());
        });
        publisher.publishAsync(Topics.METRICS, source, MetricSample.newBuilder().setSourceId(source)
            .setKind("service").setAgentId(broker.placement().map(Placement::agentId).orElse(null))
            .setTaskId(broker.taskId().orElse(null)).setAppId(cluster.name()).setRole(settings.role())
            .setValues(values).setTimestamp(now).build(),
            error -> log.warn("could not publish a sample of {}: {}", source, error.toString()));
      }
    }
  }

  private void event(String cluster, String kind, String message, Map<String, Integer> counts) {
    log.info("{} {}: {}", cluster, kind, message);
    publisher.publishAsync(Topics.STATUS, cluster, KafkaAvro.notice(new Action.Notice(cluster, kind, 0,
        message), settings.frameworkId(), Optional.empty(), Optional.empty(), counts, clock.instant()),
        error -> log.warn("could not publish {} of {}: {}", kind, cluster, error.toString()));
  }

  @Override
  public void close() {
    admins.values().forEach(ClusterAdmin::close);
    admins.clear();
    jmx.close();
  }
}
