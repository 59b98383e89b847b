package dev.kos.frameworks.kafka;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.framework.FrameworkRuntime;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.CommandHandler;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.KafkaCommand;
import dev.kos.frameworks.kafka.core.KafkaCommandOutcome;
import dev.kos.frameworks.kafka.core.Observation;
import dev.kos.frameworks.kafka.core.OfferRetry;
import dev.kos.frameworks.kafka.core.Plan;
import dev.kos.frameworks.kafka.core.Planner;
import dev.kos.frameworks.kafka.core.ServerConfig;
import dev.kos.frameworks.kafka.core.StatusStep;
import dev.kos.frameworks.kafka.edge.KafkaAvro;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.KafkaClusterState;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kafka framework: its pure core on a {@link FrameworkRuntime} (framework and role {@code kafka} by default),
 * which takes {@code kos.commands} (group {@value #GROUP}) and answers on {@code kos.command-results}, and a timer
 * of its own that reads every cluster through its Admin API, moves
 * partitions when brokers come or go, raises metadata.version after an upgrade and publishes per-broker samples
 * on {@code kos.metrics} ({@link ClusterWatch}). Users follow it on {@code kos.status}: events as they happen, and
 * a {@code BROKER_STATE} / {@code CLUSTER_STATE} record whenever a broker or cluster changes.
 *
 * <p>Clusters are kept on {@code kos.kafka-clusters} ({@link ClusterStore}), written before the framework acts on
 * them and with the answer to the command that changed them: a restarted framework takes them up again and
 * reconciles their brokers' tasks. The timer's rounds take the runtime's lock to touch the clusters; its Admin
 * calls, which block, run outside it.
 */
public final class KafkaFramework implements FrameworkRuntime.Framework<KafkaClusterState>, AutoCloseable {

  public static final String GROUP = "kos-kafka";

  private static final Logger log = LoggerFactory.getLogger(KafkaFramework.class);

  private final ControlBus bus;
  private final KafkaFrameworkSettings settings;
  private final Clock clock;
  private final CommandHandler handler;
  private final Planner planner;
  private final FrameworkRuntime<KafkaClusterState> runtime;
  private final ScheduledExecutorService timer;
  private final StatePublisher states;
  private final ClusterStore store;
  private final ClusterWatch watch;
  private final Map<String, Observation> observations = new HashMap<>();
  private Map<String, KafkaCluster> clusters = Map.of();
  private final AtomicBoolean closed = new AtomicBoolean();

  public KafkaFramework(ControlBus bus, KafkaFrameworkSettings settings, Clock clock) {
    this.bus = bus;
    this.settings = settings;
    this.clock = clock;
    this.handler = new CommandHandler(settings.versions());
    this.planner = new Planner(settings.healing());
    this.runtime = new FrameworkRuntime<>(bus, FrameworkSettings.of(settings.frameworkId(), settings.role()), GROUP,
        Topics.KAFKA_CLUSTERS, clock, LoopSupervisor.forProcess());
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framework-" + settings.frameworkId() + "-observer");
      thread.setDaemon(true);
      return thread;
    });
    this.states = new StatePublisher(runtime.publisher(), settings.frameworkId(), clock);
    this.store = new ClusterStore(bus.topic(Topics.KAFKA_CLUSTERS), clock);
    this.watch = new ClusterWatch(settings, runtime.publisher(), clock, store::jmxSecret);
  }

  /** Checks each command's principal against {@code policy} (call before starting). */
  public KafkaFramework authorizing(AccessPolicy policy) {
    runtime.authorizing(policy, Answerer.KAFKA_FRAMEWORK);
    return this;
  }

  /** Registers the framework, starts taking commands and watching clusters; returns once registered. */
  public KafkaFramework start() {
    runtime.start(this);
    long observe = settings.observeInterval().toMillis();
    timer.scheduleWithFixedDelay(this::observeAll, observe, observe, TimeUnit.MILLISECONDS);
    long metrics = settings.metricsInterval().toMillis();
    timer.scheduleWithFixedDelay(this::publishMetrics, metrics, metrics, TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void restore(Map<String, KafkaClusterState> state) {
    clusters = store.restore(state, settings.kafkaVersion());
    if (!clusters.isEmpty()) {
      log.info("restored {} kafka clusters from {}", clusters.size(), bus.topic(Topics.KAFKA_CLUSTERS));
    }
  }

  @Override
  public Map<String, KafkaClusterState> stateChanges() {
    return store.changes(clusters);
  }

  @Override
  public void stateCommitted(Map<String, KafkaClusterState> changes) {
    store.committed(changes, clusters);
  }

  public Map<String, KafkaCluster> clusters() {
    return runtime.read(() -> clusters);
  }

  /** Completes, with the reason, once another instance took over and this one stopped acting. */
  public CompletableFuture<String> replaced() {
    return runtime.replaced();
  }

  /** What the cluster's Admin API said in the latest round, {@link Observation#UNKNOWN} before any. */
  public Observation observation(String cluster) {
    return runtime.read(() -> observations.getOrDefault(cluster, Observation.UNKNOWN));
  }

  /** The bootstrap servers of a cluster's placed brokers, empty for an unknown cluster. */
  public Optional<String> bootstrapServers(String cluster) {
    return runtime.read(() -> Optional.ofNullable(clusters.get(cluster)).map(ServerConfig::bootstrapServers));
  }

  /** Asks for the latest status of every task the restored clusters believe in (ended ones are relaunched). */
  @Override
  public void registered(SchedulerDriver driver) {
    List<String> taskIds = clusters.values().stream().flatMap(cluster -> cluster.brokers().stream())
        .flatMap(broker -> broker.taskId().stream()).toList();
    if (!taskIds.isEmpty()) {
      log.info("reconciling {} broker tasks of the restored clusters", taskIds.size());
      driver.reconcile(taskIds);
    }
    plan(List.of());
  }

  @Override
  public void offers(List<OfferView> offers) {
    plan(offers);
  }

  @Override
  public void statusUpdate(TaskStatusUpdate status) {
    Plan after = StatusStep.apply(clusters, status, clock.instant(), settings.healing());
    clusters = after.clusters();
    if (saveBeforeActing(after.actions())) {
      carryOut(after.actions());
      plan(List.of());
    }
  }

  /** Stops taking commands, watching and scheduling; the brokers run on. A second call does nothing. */
  @Override
  public void close() throws InterruptedException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    runtime.close();
    watch.close();
  }

  @Override
  public Optional<CommandResult> command(Command record, Instant now) {
    Optional<Map.Entry<String, KafkaCommand>> command = KafkaAvro.command(record);
    if (command.isEmpty()) {
      return Optional.empty();
    }
    String commandId = command.get().getKey();
    KafkaCommandOutcome outcome = handler.handle(clusters, command.get().getValue(), UUID.randomUUID().toString(), now);
    if (outcome instanceof KafkaCommandOutcome.Accepted accepted) {
      clusters = accepted.clusters();
      log.info("command {} accepted: {}", commandId, accepted.message());
      states.event(new Action.Notice(command.get().getValue().cluster(), "COMMAND_ACCEPTED", 0,
          accepted.message()), Optional.empty());
    } else {
      log.info("command {} rejected: {}", commandId, ((KafkaCommandOutcome.Rejected) outcome).reason());
    }
    plan(List.of());
    return Optional.of(KafkaAvro.result(commandId, outcome, settings.frameworkId(), now));
  }

  /**
   * Plans with {@code offers} and carries the plan out; the clusters as the plan leaves them are written first,
   * so a restarted framework knows every broker it may have launched.
   */
  private void plan(List<OfferView> offers) {
    Plan plan = planner.plan(clusters, observations,
        offers.stream().map(offer -> KafkaAvro.offer(offer, settings.role(), settings.rackAttribute())).toList(), clock.instant());
    clusters = plan.clusters();
    if (!saveBeforeActing(plan.actions())) {
      return;
    }
    carryOut(plan.actions());
    runtime.wantOffers(plan.wantsOffers());
    states.publishChanges(clusters);
  }

  /** Writes the clusters before actions that act (not before notices only); false if this instance was replaced. */
  private boolean saveBeforeActing(List<Action> actions) {
    return actions.stream().allMatch(Action.Notice.class::isInstance) || runtime.saveNow();
  }

  private void carryOut(List<Action> actions) {
    String role = settings.role();
    for (Action action : actions) {
      if (action instanceof Action.Reserve reserve) {
        accept(reserve.offerId(), reserve.agentId(), KafkaAvro.reserve(reserve, role), reserve.cluster(),
            reserve.nodeId(), BrokerPhase.NEW);
      } else if (action instanceof Action.CreateVolume create) {
        accept(create.offerId(), create.agentId(), KafkaAvro.createVolume(create, role), create.cluster(),
            create.nodeId(), BrokerPhase.RESERVED);
      } else if (action instanceof Action.Launch launch) {
        KafkaCluster cluster = clusters.get(launch.cluster());
        accept(launch.offerId(), launch.agentId(), KafkaAvro.launch(launch, role, settings.frameworkId(),
            BrokerScript.command(settings, cluster.clusterId(), store.jmxSecret(cluster.name()), launch)),
            launch.cluster(), launch.nodeId(), BrokerPhase.STOPPED);
      } else if (action instanceof Action.DestroyVolume destroy) {
        accept(destroy.offerId(), destroy.agentId(), KafkaAvro.destroyVolume(destroy, role), destroy.cluster(),
            destroy.nodeId(), BrokerPhase.RETIRED);
      } else if (action instanceof Action.Unreserve unreserve) {
        accept(unreserve.offerId(), unreserve.agentId(), KafkaAvro.unreserve(unreserve, role),
            unreserve.cluster(), unreserve.nodeId(), BrokerPhase.UNRESERVING);
      } else if (action instanceof Action.Kill kill) {
        log.info("killing broker {} of {} ({}): {}", kill.nodeId(), kill.cluster(), kill.taskId(), kill.reason());
        runtime.driver().killTask(kill.agentId(), kill.taskId());
      } else if (action instanceof Action.Decline decline) {
        runtime.driver().decline(decline.offerId(), decline.refuse());
      } else if (action instanceof Action.Notice notice) {
        states.event(notice, brokerOf(notice));
      }
    }
  }

  /**
   * Uses an offer of {@code agentId}; if it cannot be used any more, the broker living there goes back to
   * {@code retry}. A broker that lives elsewhere now (this was the clean-up of its old home) is left alone.
   */
  private void accept(String offerId, String agentId, List<Operation> operations, String cluster, int nodeId,
      BrokerPhase retry) {
    try {
      runtime.driver().accept(List.of(offerId), operations);
    } catch (IllegalArgumentException e) {
      Optional<Map<String, KafkaCluster>> retried = OfferRetry.afterUnusableOffer(clusters, cluster, nodeId, agentId,
          retry, clock.instant());
      if (retried.isEmpty()) {
        log.warn("cleaning up broker {} of {}'s old home on agent {}: offer {} could not be used ({}); "
            + "its volume or reservation there is left to remove by hand", nodeId, cluster, agentId, offerId,
            e.getMessage());
        return;
      }
      log.warn("broker {} of {}: offer {} could not be used ({}); trying again on the next offer", nodeId, cluster,
          offerId, e.getMessage());
      clusters = retried.get();
    }
  }

  private Optional<Broker> brokerOf(Action.Notice notice) {
    return Optional.ofNullable(clusters.get(notice.cluster())).flatMap(c -> c.broker(notice.nodeId()));
  }

  /** One round of the timer: read each cluster (outside the lock: Admin calls block), then plan with what it said. */
  private void observeAll() {
    try {
      for (KafkaCluster cluster : clusters().values()) {
        Optional<AdminSnapshot> view = watch.read(cluster);
        runtime.locked(() -> observations.put(cluster.name(),
            view.map(AdminSnapshot::observation).orElse(Observation.UNKNOWN)));
        KafkaCluster current = clusters().get(cluster.name());
        if (view.isPresent() && current != null) {
          watch.raiseMetadataVersion(current, view.get());
          KafkaCluster.Rebalance next = watch.step(current, view.get());
          // Only a change is written back: a command may have asked for a new rebalance meanwhile.
          runtime.locked(() -> {
            Map<String, KafkaCluster> changed = new TreeMap<>(clusters);
            changed.computeIfPresent(cluster.name(), (n, c) -> next == current.rebalance() ? c : c.withRebalance(next));
            clusters = changed;
          });
        }
      }
      runtime.locked(() -> plan(List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("observing the kafka clusters failed; trying again next round", e);
    }
  }

  private void publishMetrics() {
    try {
      watch.publishMetrics(clusters());
    } catch (RuntimeException e) {
      log.warn("publishing kafka metrics failed: {}", e.toString());
    }
  }
}
