package dev.kos.frameworks.kafka;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.OfferInterest;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.BrokerPhase;
import dev.kos.frameworks.kafka.core.CommandHandler;
import dev.kos.frameworks.kafka.core.CommandOutcome;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.KafkaCommand;
import dev.kos.frameworks.kafka.core.Observation;
import dev.kos.frameworks.kafka.core.OfferRetry;
import dev.kos.frameworks.kafka.core.Plan;
import dev.kos.frameworks.kafka.core.Planner;
import dev.kos.frameworks.kafka.core.ServerConfig;
import dev.kos.frameworks.kafka.core.StatusStep;
import dev.kos.frameworks.kafka.edge.KafkaAvroMapping;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kafka framework's bus shell around its pure core: a {@link Scheduler} on a {@link BusSchedulerDriver}
 * (framework and role {@code kafka} by default), a consumer of {@code kos.commands} (group {@value #GROUP}) that
 * answers on {@code kos.command-results}, and a timer that reads every cluster through its Admin API, moves
 * partitions when brokers come or go, raises metadata.version after an upgrade and publishes per-broker samples
 * on {@code kos.metrics} ({@link ClusterWatch}). Users follow it on {@code kos.status}: events as they happen, and
 * a {@code BROKER_STATE} / {@code CLUSTER_STATE} record whenever a broker or cluster changes.
 *
 * <p>Clusters are kept on {@code kos.kafka-clusters} ({@link ClusterStore}): a restarted framework takes them up
 * again and reconciles their brokers' tasks. All core calls and every plan run under one lock: commands, driver
 * callbacks and the timer come on three threads.
 */
public final class KafkaFramework implements Scheduler, AutoCloseable {

  public static final String GROUP = "kos-kafka";

  private static final Logger log = LoggerFactory.getLogger(KafkaFramework.class);

  private final ControlBus bus;
  private final KafkaFrameworkSettings settings;
  private final Clock clock;
  private final Object lock = new Object();
  private final CommandHandler handler;
  private final Planner planner = new Planner();
  private final BusPublisher publisher;
  private final BusSchedulerDriver driver;
  private final ScheduledExecutorService timer;
  private final StatePublisher states;
  private final ClusterStore store;
  private final ClusterWatch watch;
  private final Map<String, Observation> observations = new HashMap<>();
  private Map<String, KafkaCluster> clusters = Map.of();
  private final OfferInterest offerInterest = new OfferInterest();
  private BusConsumerLoop<Command> commands;
  private Thread commandThread;
  private final AtomicBoolean closed = new AtomicBoolean();

  public KafkaFramework(ControlBus bus, KafkaFrameworkSettings settings, Clock clock) {
    this.bus = bus;
    this.settings = settings;
    this.clock = clock;
    this.handler = new CommandHandler(settings.versions());
    this.publisher = new BusPublisher(bus, "framework-" + settings.frameworkId() + "-commands");
    this.driver = new BusSchedulerDriver(bus, FrameworkSettings.of(settings.frameworkId(), settings.role()), this,
        clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framework-" + settings.frameworkId() + "-observer");
      thread.setDaemon(true);
      return thread;
    });
    this.states = new StatePublisher(publisher, settings.frameworkId(), clock);
    this.store = new ClusterStore(bus, publisher, clock);
    this.watch = new ClusterWatch(settings, publisher, clock, store::jmxSecret);
  }

  /** Registers the framework, starts taking commands and watching clusters; returns once registered. */
  public KafkaFramework start() {
    synchronized (lock) {
      clusters = store.restore(settings.kafkaVersion());
    }
    if (!clusters.isEmpty()) {
      log.info("restored {} kafka clusters from {}", clusters.size(), bus.topic(Topics.KAFKA_CLUSTERS));
    }
    driver.start();
    reconcileRestoredTasks();
    commands = new BusConsumerLoop<>(bus, GROUP, "framework-" + settings.frameworkId() + "-commands",
        Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        (topic, value) -> bus.serde(Topics.COMMANDS).deserialize(topic, value), this::onCommand,
        new DeadLetterPublisher(bus, publisher, GROUP, clock::instant));
    commandThread = LoopSupervisor.forProcess().start("framework-" + settings.frameworkId() + "-commands", commands);
    long observe = settings.observeInterval().toMillis();
    timer.scheduleWithFixedDelay(this::observeAll, observe, observe, TimeUnit.MILLISECONDS);
    long metrics = settings.metricsInterval().toMillis();
    timer.scheduleWithFixedDelay(this::publishMetrics, metrics, metrics, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Asks for the latest status of every task the restored clusters believe in; ended ones are relaunched. */
  private void reconcileRestoredTasks() {
    List<String> taskIds = clusters().values().stream().flatMap(cluster -> cluster.brokers().stream())
        .flatMap(broker -> broker.taskId().stream()).toList();
    if (!taskIds.isEmpty()) {
      log.info("reconciling {} broker tasks of the restored clusters", taskIds.size());
      driver.reconcile(taskIds);
    }
  }

  public Map<String, KafkaCluster> clusters() {
    synchronized (lock) {
      return clusters;
    }
  }

  /** What the cluster's Admin API said in the latest round, {@link Observation#UNKNOWN} before any. */
  public Observation observation(String cluster) {
    synchronized (lock) {
      return observations.getOrDefault(cluster, Observation.UNKNOWN);
    }
  }

  /** The bootstrap servers of a cluster's placed brokers, empty for an unknown cluster. */
  public Optional<String> bootstrapServers(String cluster) {
    synchronized (lock) {
      return Optional.ofNullable(clusters.get(cluster)).map(ServerConfig::bootstrapServers);
    }
  }

  @Override
  public void registered(SchedulerDriver driver) {
    synchronized (lock) {
      plan(List.of());
    }
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<OfferView> offers) {
    synchronized (lock) {
      plan(offers);
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    log.debug("offer {} rescinded: {}", offerId, reason);
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    synchronized (lock) {
      Plan after = StatusStep.apply(clusters, status, clock.instant());
      clusters = after.clusters();
      carryOut(after.actions());
      plan(List.of());
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    log.error("kafka framework: {}", message);
  }

  /** Stops taking commands, watching and scheduling; the brokers run on. A second call does nothing. */
  @Override
  public void close() throws InterruptedException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    if (commands != null) {
      commands.close();
      commandThread.join(Duration.ofSeconds(10).toMillis());
    }
    driver.close();
    watch.close();
    publisher.close();
  }

  private void onCommand(BusRecord<Command> record) {
    if (record.value() == null) {
      return;
    }
    Optional<Map.Entry<String, KafkaCommand>> command = KafkaAvroMapping.command(record.value());
    if (command.isEmpty()) {
      return;
    }
    String commandId = command.get().getKey();
    synchronized (lock) {
      Instant now = clock.instant();
      CommandOutcome outcome = handler.handle(clusters, command.get().getValue(), UUID.randomUUID().toString(), now);
      if (outcome instanceof CommandOutcome.Accepted accepted) {
        clusters = accepted.clusters();
        log.info("command {} accepted: {}", commandId, accepted.message());
        states.event(new Action.Notice(command.get().getValue().cluster(), "COMMAND_ACCEPTED", 0,
            accepted.message()), Optional.empty());
      } else {
        log.info("command {} rejected: {}", commandId, ((CommandOutcome.Rejected) outcome).reason());
      }
      answer(commandId, outcome, now);
      plan(List.of());
    }
  }

  private void answer(String commandId, CommandOutcome outcome, Instant now) {
    publisher.publishAndWait(Topics.COMMAND_RESULTS, commandId,
        KafkaAvroMapping.result(commandId, outcome, settings.frameworkId(), now));
  }

  /** Plans with {@code offers} and carries the plan out; call with the lock held. */
  private void plan(List<OfferView> offers) {
    Plan plan = planner.plan(clusters, observations,
        offers.stream().map(offer -> KafkaAvroMapping.offer(offer, settings.role(), settings.rackAttribute())).toList(), clock.instant());
    clusters = plan.clusters();
    carryOut(plan.actions());
    offerInterest.want(driver, plan.wantsOffers());
    states.publishChanges(clusters);
    store.persistChanges(clusters);
  }

  private void carryOut(List<Action> actions) {
    String role = settings.role();
    for (Action action : actions) {
      if (action instanceof Action.Reserve reserve) {
        accept(reserve.offerId(), reserve.agentId(), KafkaAvroMapping.reserve(reserve, role), reserve.cluster(),
            reserve.nodeId(), BrokerPhase.NEW);
      } else if (action instanceof Action.CreateVolume create) {
        accept(create.offerId(), create.agentId(), KafkaAvroMapping.createVolume(create, role), create.cluster(),
            create.nodeId(), BrokerPhase.RESERVED);
      } else if (action instanceof Action.Launch launch) {
        KafkaCluster cluster = clusters.get(launch.cluster());
        accept(launch.offerId(), launch.agentId(), KafkaAvroMapping.launch(launch, role, settings.frameworkId(),
            BrokerScript.command(settings, cluster.clusterId(), store.jmxSecret(cluster.name()), launch)),
            launch.cluster(), launch.nodeId(), BrokerPhase.STOPPED);
      } else if (action instanceof Action.DestroyVolume destroy) {
        accept(destroy.offerId(), destroy.agentId(), KafkaAvroMapping.destroyVolume(destroy, role), destroy.cluster(),
            destroy.nodeId(), BrokerPhase.RETIRED);
      } else if (action instanceof Action.Unreserve unreserve) {
        accept(unreserve.offerId(), unreserve.agentId(), KafkaAvroMapping.unreserve(unreserve, role),
            unreserve.cluster(), unreserve.nodeId(), BrokerPhase.UNRESERVING);
      } else if (action instanceof Action.Kill kill) {
        log.info("killing broker {} of {} ({}): {}", kill.nodeId(), kill.cluster(), kill.taskId(), kill.reason());
        driver.killTask(kill.agentId(), kill.taskId());
      } else if (action instanceof Action.Decline decline) {
        driver.decline(decline.offerId(), decline.refuse());
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
      driver.accept(List.of(offerId), operations);
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
        Optional<ClusterView> view = watch.read(cluster);
        synchronized (lock) {
          observations.put(cluster.name(), view.map(ClusterView::observation).orElse(Observation.UNKNOWN));
        }
        KafkaCluster current = clusters().get(cluster.name());
        if (view.isPresent() && current != null) {
          watch.raiseMetadataVersion(current, view.get());
          KafkaCluster.Rebalance next = watch.step(current, view.get());
          // Only a change is written back: a command may have asked for a new rebalance meanwhile.
          synchronized (lock) {
            Map<String, KafkaCluster> changed = new TreeMap<>(clusters);
            changed.computeIfPresent(cluster.name(), (n, c) -> next == current.rebalance() ? c : c.withRebalance(next));
            clusters = changed;
          }
        }
      }
      synchronized (lock) {
        plan(List.of());
      }
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
