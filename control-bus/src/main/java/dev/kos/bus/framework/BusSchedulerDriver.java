package dev.kos.bus.framework;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskSpec;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.Decline;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework SDK's driver over the bus: registers the framework on {@code kos.frameworks}
 * and heartbeats there (the allocator kills the tasks of a framework silent for longer than its
 * failover timeout), reads its own partition of {@code kos.offers} and its tasks' statuses, and
 * turns the scheduler's calls into records. Records that do not decode are dead-lettered. The scheduler is
 * called from the driver's loop thread, with two exceptions: {@link #start()} calls
 * {@link Scheduler#registered} on the caller's thread (before the loop starts), and {@link #reconcile}
 * delivers the statuses it finds on the thread that calls it, which may run beside the loop.
 *
 * <p>Nothing is missed across a restart: the driver notes where {@code kos.task-status} ends before the
 * scheduler reconciles (reads {@code kos.tasks}) in {@link Scheduler#registered}, and delivers every status
 * from there on. Only one instance of a framework acts: each registers with a higher {@link FrameworkEpoch}
 * (its accepts carry it), and one that sees a newer registration of its id stops: it answers, launches and
 * kills nothing more, stops heartbeating, and tells its scheduler through {@link Scheduler#fenced}.
 */
public final class BusSchedulerDriver implements SchedulerDriver, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BusSchedulerDriver.class);

  private final ControlBus bus;
  private final FrameworkSettings settings;
  private final Scheduler scheduler;
  private final Clock clock;
  private final BusPublisher publisher;
  private final FrameworkMeters meters;
  private final Map<String, Offer> outstanding = new ConcurrentHashMap<>();
  private final ScheduledExecutorService heartbeats;
  private boolean suppressed;
  private Instant registeredAt;
  private FrameworkEpoch epoch;
  private volatile String fencedBecause;
  private volatile boolean tornDown;
  private BusConsumerLoop<SpecificRecord> loop;
  private Thread thread;

  public BusSchedulerDriver(ControlBus bus, FrameworkSettings settings, Scheduler scheduler, Clock clock) {
    this.bus = bus;
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.publisher = new BusPublisher(bus, "framework-" + settings.frameworkId());
    this.meters = new FrameworkMeters(settings.frameworkId());
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread heartbeat = new Thread(runnable, "framework-" + settings.frameworkId() + "-heartbeat");
      heartbeat.setDaemon(true);
      return heartbeat;
    });
  }

  /**
   * Makes the first registration say the framework wants no offers, for a scheduler that suppresses itself until it
   * has work. Call before {@link #start()}. Without it the first registration asks for offers, and a scheduler that
   * suppresses in {@link Scheduler#registered} is offered free agents in between, all of which it must decline: with
   * many frameworks starting at once, those declines queue up before the allocator (decision 0021).
   */
  public synchronized BusSchedulerDriver startSuppressed() {
    if (epoch != null) {
      throw new IllegalStateException("startSuppressed() must come before start(): framework "
          + settings.frameworkId() + " has registered already");
    }
    suppressed = true;
    return this;
  }

  /** Registers and starts delivering offers and statuses; returns once registered. */
  public BusSchedulerDriver start() {
    List<TopicPartition> partitions = new ArrayList<>();
    partitions.add(partitionOf(Topics.OFFERS));
    partitions.add(partitionOf(Topics.FRAMEWORKS));
    partitions.addAll(allPartitions(bus.topic(Topics.TASK_STATUS)));
    // Where each partition ends now, before the registration and the scheduler's reconciliation: the loop
    // starts there, so a status published while the scheduler reads kos.tasks is still delivered, and a
    // registration of this framework published from here on is seen.
    Map<TopicPartition, Long> from = endOffsets(partitions);
    loop = new BusConsumerLoop<>(bus, null, "framework-" + settings.frameworkId(),
        consumer -> {
          consumer.assign(partitions);
          from.forEach(consumer::seek);
        }, this::decode, this::dispatch,
        new DeadLetterPublisher(bus, publisher, "framework-" + settings.frameworkId(), clock::instant));
    epoch = FrameworkEpoch.after(latestRegistration(), UUID.randomUUID().toString());
    publishRegistration();
    long every = settings.heartbeatInterval().toMillis();
    heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    scheduler.registered(this);
    thread = new LoopSupervisor(this::loopDied).start("framework-" + settings.frameworkId(), loop);
    return this;
  }

  /**
   * The driver's loop died, so the framework hears no more offers or statuses: rather than heartbeat on as a deaf
   * zombie, the driver stops heartbeating (the allocator fails the framework over after its failover timeout) and
   * tells the scheduler, whose process should end and be restarted.
   */
  private void loopDied(String loopName, Throwable cause) {
    heartbeats.shutdownNow();
    scheduler.error(this, "the driver's consumer loop " + loopName + " died (" + cause + "); framework "
        + settings.frameworkId() + " hears nothing more and stopped heartbeating: restart it");
  }

  /** Why this instance stopped acting (a newer instance of the framework registered), if it did. */
  public Optional<String> fenced() {
    return Optional.ofNullable(fencedBecause);
  }

  /** This instance's registration generation; its accepts carry it. */
  public synchronized FrameworkEpoch epoch() {
    return epoch;
  }

  @Override
  public void accept(Collection<String> offerIds, List<Operation> operations) {
    if (refused("accept offers " + offerIds)) {
      return;
    }
    List<Offer> offers = offerIds.stream().map(this::outstandingOffer).toList();
    Set<String> agents = offers.stream().map(Offer::getAgentId).collect(Collectors.toSet());
    if (agents.size() != 1) {
      throw new IllegalArgumentException("an accept names offers on one agent, these are on " + agents);
    }
    offerIds.forEach(outstanding::remove);
    String agentId = agents.iterator().next();
    Accept accept = Accept.newBuilder().setOfferIds(List.copyOf(offerIds)).setFrameworkId(settings.frameworkId())
        .setAgentId(agentId).setOperations(operations.stream().map(SchedulerAvro::operation).toList())
        .setTimestamp(clock.instant()).setFrameworkEpoch(epoch.epoch())
        .build();
    sendAsync(Topics.ACCEPTS, agentId, AcceptEvent.newBuilder().setPayload(accept).build());
    meters.accepted(operations.stream().mapToInt(o -> o instanceof Operation.Launch l ? l.tasks().size() : 0).sum());
  }

  @Override
  public void launch(OfferView offer, List<TaskSpec> tasks) {
    accept(List.of(offer.offerId()), List.of(new Operation.Launch(tasks)));
  }

  @Override
  public void decline(String offerId, Duration refuse) {
    if (refused("decline offer " + offerId)) {
      return;
    }
    Offer offer = outstandingOffer(offerId);
    outstanding.remove(offerId);
    Decline decline = Decline.newBuilder().setOfferIds(List.of(offerId)).setFrameworkId(settings.frameworkId())
        .setAgentId(offer.getAgentId()).setRefuseSeconds(refuse.toMillis() / 1000.0).setTimestamp(clock.instant())
        .build();
    sendAsync(Topics.ACCEPTS, offer.getAgentId(), AcceptEvent.newBuilder().setPayload(decline).build());
    meters.declined();
  }

  @Override
  public synchronized void suppress() {
    if (refused("suppress offers")) {
      return;
    }
    suppressed = true;
    publishRegistration();
  }

  @Override
  public synchronized void revive() {
    if (refused("revive offers")) {
      return;
    }
    suppressed = false;
    publishRegistration();
  }

  @Override
  public void killTask(String agentId, String taskId) {
    if (refused("kill task " + taskId)) {
      return;
    }
    KillTask kill = KillTask.newBuilder().setAgentId(agentId).setFrameworkId(settings.frameworkId())
        .setTaskId(taskId).build();
    sendAsync(Topics.PLACEMENTS, agentId, PlacementEvent.newBuilder().setPayload(kill).build());
  }

  @Override
  public void reconcile(Collection<String> taskIds) {
    Map<String, TaskStatus> latest = latestStatuses(Set.copyOf(taskIds));
    for (String taskId : taskIds) {
      scheduler.statusUpdate(this, SchedulerAvro.status(latest.getOrDefault(taskId, TaskStatus.newBuilder()
          .setTaskId(taskId).setFrameworkId(settings.frameworkId()).setAgentId("")
          .setState(TaskState.LOST).setMessage("kos knows no task " + taskId + " (never launched, or forgotten)")
          .setTimestamp(clock.instant()).build())));
    }
  }

  /** A tombstone for the framework's key on kos.frameworks: the allocator's removal path (offers rescinded). */
  @Override
  public synchronized void teardown() {
    if (refused("tear the framework down")) {
      return;
    }
    tornDown = true;
    heartbeats.shutdownNow();
    try {
      publisher.publishRaw(bus.topic(Topics.FRAMEWORKS), settings.frameworkId(), null).get(30, TimeUnit.SECONDS);
      log.info("framework {} torn down: its registration removed from {}", settings.frameworkId(),
          bus.topic(Topics.FRAMEWORKS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("framework {} could not remove its registration ({}); the allocator forgets it after its failover "
          + "timeout instead", settings.frameworkId(), e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    heartbeats.shutdownNow();
    if (loop != null) {
      loop.close();
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    publisher.close();
  }

  private SpecificRecord decode(String topic, byte[] value) {
    if (topic.equals(bus.topic(Topics.OFFERS))) {
      return bus.serde(Topics.OFFERS).deserialize(topic, value);
    }
    return topic.equals(bus.topic(Topics.FRAMEWORKS))
        ? bus.serde(Topics.FRAMEWORKS).deserialize(topic, value)
        : bus.serde(Topics.TASK_STATUS).deserialize(topic, value);
  }

  private void dispatch(BusRecord<SpecificRecord> record) {
    if (record.value() instanceof OfferEvent event) {
      if (!settings.frameworkId().equals(record.key())) {
        return;
      }
      if (event.getPayload() instanceof Offer offer) {
        outstanding.put(offer.getOfferId(), offer);
        meters.offered();
        scheduler.resourceOffers(this, List.of(SchedulerAvro.offer(offer)));
      } else if (event.getPayload() instanceof OfferRescinded rescinded) {
        outstanding.remove(rescinded.getOfferId());
        meters.rescinded();
        scheduler.offerRescinded(this, rescinded.getOfferId(), rescinded.getReason());
      }
    } else if (record.value() instanceof FrameworkInfo info) {
      if (settings.frameworkId().equals(record.key()) && settings.frameworkId().equals(info.getFrameworkId())) {
        fenceIfReplaced(info);
      }
    } else if (record.value() instanceof TaskStatus status && settings.frameworkId().equals(status.getFrameworkId())) {
      meters.status(status.getState().toString());
      scheduler.statusUpdate(this, SchedulerAvro.status(status));
    }
  }

  private void fenceIfReplaced(FrameworkInfo info) {
    FrameworkEpoch seen = FrameworkEpoch.of(info);
    synchronized (this) {
      if (fencedBecause != null || !epoch.isReplacedBy(seen)) {
        return;
      }
      fencedBecause = "framework " + settings.frameworkId() + " registered again with epoch " + seen.epoch()
          + " (incarnation " + seen.incarnation() + "), above this instance's epoch " + epoch.epoch()
          + " (incarnation " + epoch.incarnation() + "): another instance took over, so this one stops acting";
    }
    log.error(fencedBecause);
    heartbeats.shutdownNow();
    loop.close();
    scheduler.fenced(this, fencedBecause);
  }

  /** True, with a warning, when this instance was replaced and must not act any more. */
  private boolean refused(String what) {
    if (tornDown) {
      log.warn("not going to {}: framework {} was torn down", what, settings.frameworkId());
      return true;
    }
    if (fencedBecause == null) {
      return false;
    }
    log.warn("not going to {}: {}", what, fencedBecause);
    return true;
  }

  private Offer outstandingOffer(String offerId) {
    Offer offer = outstanding.get(offerId);
    if (offer == null) {
      throw new IllegalArgumentException("offer " + offerId + " is not outstanding for framework "
          + settings.frameworkId() + " (already answered, rescinded, or never received)");
    }
    return offer;
  }

  /** A new registration: the allocator applies it, and reviving forgets the framework's decline filters. */
  private synchronized void publishRegistration() {
    registeredAt = clock.instant();
    send(Topics.FRAMEWORKS, settings.frameworkId(), registration(registeredAt));
  }

  /** The same registration, newly stamped: the allocator only notes that the framework is alive. */
  private synchronized void heartbeat() {
    if (fencedBecause != null || tornDown) {
      return;
    }
    sendAsync(Topics.FRAMEWORKS, settings.frameworkId(), registration(clock.instant()));
  }

  private FrameworkInfo registration(Instant heartbeatAt) {
    return FrameworkInfo.newBuilder()
        .setFrameworkId(settings.frameworkId()).setName(settings.name()).setRole(settings.role())
        .setWeight(settings.weight()).setPrincipal(settings.principal()).setSuppressed(suppressed)
        .setFailoverTimeoutMs(settings.failoverTimeout().toMillis()).setRegisteredAt(registeredAt)
        .setHeartbeatAt(heartbeatAt).setEpoch(epoch.epoch()).setIncarnation(epoch.incarnation()).build();
  }

  /**
   * Answers go out without waiting for the broker, so one scheduler thread can answer many offers
   * while earlier answers are in flight; the producer keeps them in order per agent.
   */
  private <V extends SpecificRecord> void sendAsync(TopicDef<V> topic, String key, V value) {
    publisher.publishAsync(topic, key, value, error -> scheduler.error(this,
        "could not publish to " + bus.topic(topic) + " (key " + key + "): " + error.getMessage()));
  }

  private <V extends SpecificRecord> void send(TopicDef<V> topic, String key, V value) {
    publisher.publishAndWait(topic, key, value);
  }

  /** The partition of {@code topic} that holds this framework's key. */
  private TopicPartition partitionOf(TopicDef<?> def) {
    String topic = bus.topic(def);
    int partitions = allPartitions(topic).size();
    return new TopicPartition(topic, KeyPartitioner.partitionOf(settings.frameworkId(), partitions));
  }

  private Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null, "metadata"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }
  }

  /** The last registration of this framework's id on the compacted {@code kos.frameworks}, if any. */
  private Optional<FrameworkInfo> latestRegistration() {
    return Optional.ofNullable(CompactedTopics.readToEnd(bus, Topics.FRAMEWORKS, settings.frameworkId()::equals)
        .get(settings.frameworkId()));
  }

  private List<TopicPartition> allPartitions(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null, "metadata"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }
  }

  /** The latest status of each wanted task of this framework, from the compacted {@code kos.tasks} view. */
  private Map<String, TaskStatus> latestStatuses(Set<String> taskIds) {
    Map<String, TaskStatus> latest = new HashMap<>();
    CompactedTopics.readToEnd(bus, Topics.TASKS, taskIds::contains).values().stream()
        .filter(status -> settings.frameworkId().equals(status.getFrameworkId()))
        .forEach(status -> latest.put(status.getTaskId(), status));
    return latest;
  }

}
