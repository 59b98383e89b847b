package dev.kos.allocator.stream;

import dev.kos.bus.access.CommandGate;
import dev.kos.bus.client.Answerer;
import dev.kos.allocator.core.AgentLiveness;
import dev.kos.allocator.core.AgentSpec;
import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.AllocatorConfig;
import dev.kos.allocator.core.Decisions;
import dev.kos.allocator.core.FrameworkEpochs;
import dev.kos.allocator.core.FrameworkFailover;
import dev.kos.allocator.core.FrameworkSpec;
import dev.kos.allocator.core.Housekeeping;
import dev.kos.allocator.core.Launch;
import dev.kos.allocator.core.Offer;
import dev.kos.allocator.core.Rejection;
import dev.kos.allocator.core.Rescind;
import dev.kos.allocator.core.ReservationRule;
import dev.kos.allocator.core.TaskRequest;
import dev.kos.allocator.core.TaskWatch;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.DeadLetters;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.model.Operation;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.CreateVolume;
import dev.kos.schema.CreateVolumeOperation;
import dev.kos.schema.Decline;
import dev.kos.schema.DestroyVolume;
import dev.kos.schema.DestroyVolumeOperation;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UndrainAgent;
import dev.kos.schema.UnreserveOperation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's shell for one shard of agents: feeds agent reports, accepts, declines, task
 * statuses and drain commands to the pure core and turns its decisions into records. Its state stores hold
 * the shard's agents, running tasks and outstanding offers; a restarted shard rebuilds the
 * core from them and rescinds the offers it can no longer vouch for. With exactly-once
 * processing, stores and outputs commit together, so a crash duplicates and loses nothing.
 */
final class AllocatorProcessor implements Processor<String, byte[], String, byte[]> {

  private static final Logger log = LoggerFactory.getLogger(AllocatorProcessor.class);
  /** Where a record of a compacted table read whole, whose position is not known, came from. */
  private static final int UNKNOWN_POSITION = -1;
  private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.FINISHED, TaskState.FAILED,
      TaskState.KILLED, TaskState.LOST, TaskState.DROPPED, TaskState.ERROR);
  /**
   * How long a task declared LOST is remembered so that it is killed if its agent shows it still runs: as long as
   * a framework's default failover timeout. An agent away for longer comes back with tasks the allocator no
   * longer knows of.
   */
  static final Duration LOST_TASK_RETENTION = Duration.ofDays(7);
  /** Marks the statuses the allocator publishes itself, which come back to it on kos.task-status. */
  static final String ORIGIN_HEADER = "kos.origin";
  private static final byte[] ALLOCATOR = "allocator".getBytes(StandardCharsets.UTF_8);

  private final ControlBus bus;
  private final AllocatorSettings settings;
  /** The only source of time: records, rounds and the cores all read it, so a test can set it. */
  private final Clock clock;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> agents;
  private KeyValueStore<String, byte[]> tasks;
  private KeyValueStore<String, byte[]> offers;
  private KeyValueStore<String, byte[]> watched;
  private TaskWatch watch;
  private ReadOnlyKeyValueStore<String, byte[]> frameworks;
  private ReadOnlyKeyValueStore<String, byte[]> roles;
  private Allocator core;
  private AgentLiveness liveness;
  private final Map<String, byte[]> appliedFrameworks = new HashMap<>();
  private final Map<String, byte[]> appliedRoles = new HashMap<>();
  private Instant nextLoadSamples = Instant.EPOCH;
  private final AgentLoadSamples loadSamples = new AgentLoadSamples();
  /** Registrations as compared: without the heartbeat time, so a heartbeat alone changes nothing. */
  private final FrameworkFailover<FrameworkInfo> failover = new FrameworkFailover<>();
  private Housekeeping housekeeping;
  private final FrameworkEpochs epochs = new FrameworkEpochs();
  private AgentDrains drains;
  private ConfigCommandHandler configCommands;
  private ConfigRejections configRejections;
  private ShardExchange shards;
  private boolean restored;
  private final AllocatorMeters meters = new AllocatorMeters();
  /** The failure of the last round, if it failed: said once, not every 50 ms. */
  private String lastRoundFailure;

  AllocatorProcessor(ControlBus bus, AllocatorSettings settings, Clock clock) {
    this.bus = bus;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    agents = context.getStateStore(AllocatorTopology.AGENTS_STORE);
    tasks = context.getStateStore(AllocatorTopology.TASKS_STORE);
    offers = context.getStateStore(AllocatorTopology.OFFERS_STORE);
    watched = context.getStateStore(AllocatorTopology.WATCH_STORE);
    watch = new TaskWatch(settings.stagingTimeout(), LOST_TASK_RETENTION);
    frameworks = context.getStateStore(AllocatorTopology.FRAMEWORKS_STORE);
    roles = context.getStateStore(AllocatorTopology.ROLES_STORE);
    // The start time keeps offer ids and summary sequence numbers of this run apart from those of earlier runs.
    long startedMs = clock.millis();
    core = new Allocator(new AllocatorConfig(settings.offerTimeout(), AllocatorConfig.defaults().defaultRefuse(),
        AllocatorConfig.defaults().minAllocatable(), "o-" + context.taskId() + "-" + startedMs + "-"));
    liveness = new AgentLiveness(settings.agentTimeout(), stallThreshold());
    housekeeping = new Housekeeping(core, liveness, watch, failover, settings.agentTimeout());
    configRejections = new ConfigRejections(context.taskId().partition() == 0);
    drains = new AgentDrains(core, context.getStateStore(AllocatorTopology.DRAINING_STORE), this::send,
        new CommandGate(settings.access(), Optional.of(Answerer.ALLOCATOR)));
    configCommands = new ConfigCommandHandler(bus, roles, frameworks, this::send,
        new CommandGate(settings.access(), Optional.of(Answerer.ALLOCATOR)));
    shards = new ShardExchange(Integer.toString(context.taskId().partition()), core,
        context.getStateStore(AllocatorTopology.SHARDS_STORE), startedMs * 1000);
    context.schedule(settings.roundInterval(), PunctuationType.WALL_CLOCK_TIME, this::round);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (!restored) {
      restore(clock.instant());
    }
    RecordMetadata source = context.recordMetadata().orElseThrow();
    String topic = source.topic();
    try {
      if (topic.equals(bus.topic(Topics.AGENTS))) {
        onAgentReport(record);
      } else if (topic.equals(bus.topic(Topics.ACCEPTS))) {
        onAcceptEvent(decode(Topics.ACCEPTS, record));
      } else if (topic.equals(bus.topic(Topics.TASK_STATUS))) {
        onTaskStatus(record, decode(Topics.TASK_STATUS, record));
      } else if (topic.equals(bus.topic(Topics.COMMANDS))) {
        onCommand(decode(Topics.COMMANDS, record));
      }
    } catch (MalformedRecordException e) {
      deadLetter(record, source, "undecodable: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      deadLetter(record, source, "rejected: " + e.getMessage());
    } catch (StreamsException e) {
      // Kafka Streams' own signals (a fenced producer, a migrated task, a failed send) are not the record's fault.
      throw e;
    } catch (RuntimeException e) {
      // The last line of defence: a record the checks above let through must not fail the stream thread, whose
      // transaction would abort and replay the same record for ever.
      log.error("the allocator failed on {}-{}@{}; dead-lettering it", source.topic(), source.partition(),
          source.offset(), e);
      deadLetter(record, source, "the allocator failed on this record: " + e);
    }
  }

  private static void require(Optional<String> problem) {
    problem.ifPresent(reason -> {
      throw new IllegalArgumentException(reason);
    });
  }

  /**
   * Rebuilds the core from the stores once per (re)start of this shard, on its first record or
   * round: records may be forwarded only from there, and offers that cannot be restored are
   * rescinded. Offers stay acceptable across a restart, so an accept in flight during a crash
   * launches exactly once.
   */
  private void restore(Instant now) {
    restored = true;
    syncFrameworksAndRoles();
    int agentCount = restoreEach(agents, AllocatorTopology.AGENTS_STORE,
        bytes -> bus.serde(Topics.AGENTS).deserialize(bus.topic(Topics.AGENTS), bytes), report -> {
          core.agentReported(AllocatorAvro.agent(report));
          liveness.heard(report.getAgentId(), now);
        });
    int taskCount = restoreEach(tasks, AllocatorTopology.TASKS_STORE, StateStoreJson::task, task -> {
      core.restore(task.launch());
      task.staging().ifPresent(watch::restore);
    });
    // LOST and KILLING entries, and STAGING ones an earlier release stored here.
    restoreEach(watched, AllocatorTopology.WATCH_STORE, StateStoreJson::watched, watch::restore);
    // The answers that came while this shard was down wait unread on kos.task-status: as agents do, launches and
    // kills get a whole timeout from the restart.
    carryOut(watch.grace(now), now);
    List<Offer> outstanding = new ArrayList<>();
    restoreEach(offers, AllocatorTopology.OFFERS_STORE, StateStoreJson::offer, outstanding::add);
    outstanding.sort(Comparator.comparing(Offer::expiresAt));
    outstanding.forEach(offer -> apply(core.restoreOffer(offer)));
    int drainCount = drains.restore();
    if (agentCount + taskCount + outstanding.size() + drainCount > 0) {
      log.info("shard {} restored {} agents ({} draining), {} running tasks and {} outstanding offers",
          context.taskId(), agentCount, drainCount, taskCount, outstanding.size());
    }
  }

  /**
   * Hands each entry of {@code store} it can read to {@code restore}; one it cannot read (a record whose schema the
   * registry lost, JSON of another release, a value its core refuses) is passed over with an error naming it, so
   * that it costs that entry only: an agent reports again within its heartbeat, an offer is made again, and a task's
   * agent reports what it holds. Returns how many entries were restored.
   */
  private <T> int restoreEach(KeyValueStore<String, byte[]> store, String storeName, Function<byte[], T> read,
      Consumer<T> restore) {
    int count = 0;
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        try {
          restore.accept(read.apply(entry.value));
          count++;
        } catch (RuntimeException e) {
          log.error("shard {}: passing over {} entry {}, which cannot be restored: {}", context.taskId(), storeName,
              entry.key, e.toString());
        }
      }
    }
    return count;
  }

  private void onAgentReport(Record<String, byte[]> record) {
    if (record.key() == null) {
      throw new IllegalArgumentException("an agent report without a key; agents key their reports by their own id");
    }
    if (record.value() == null) {
      apply(core.agentRemoved(record.key(), "agent " + record.key() + " deregistered"));
      agents.delete(record.key());
      liveness.forget(record.key());
      loadSamples.gone(record.key(), clock.instant())
          .ifPresent(sample -> send(Topics.METRICS, sample.getSourceId(), sample));
      return;
    }
    AgentReport report = decode(Topics.AGENTS, record);
    if (!report.getAgentId().equals(record.key())) {
      throw new IllegalArgumentException("agent report for " + report.getAgentId() + " arrived under key "
          + record.key() + "; agents must key their reports by their own id");
    }
    AgentSpec spec = AllocatorAvro.agent(report);
    Instant now = clock.instant();
    boolean returning = !core.knowsAgent(record.key());
    boolean changed = core.changes(spec);
    apply(core.agentReported(spec));
    if (changed) {
      // Only what the core keeps of a report is restored from the store; a heartbeat (same spec, a later time) is not
      // worth a store write and a changelog record, one per agent per heartbeat interval.
      agents.put(record.key(), record.value());
    }
    liveness.heard(record.key(), now);
    if (returning) {
      // Back after it was declared lost: the tasks it still runs were replaced by their frameworks (decision 0011).
      carryOut(watch.agentBack(record.key(), now), now);
    }
  }

  private void onAcceptEvent(AcceptEvent event) {
    require(InputValidator.acceptEvent(event));
    if (event.getPayload() instanceof Decline decline) {
      onDecline(decline);
    } else {
      onAccept((Accept) event.getPayload());
    }
  }

  private void onDecline(Decline decline) {
    meters.declined(decline.getFrameworkId());
    double refuseSeconds = Math.min(decline.getRefuseSeconds(), InputValidator.MAX_REFUSE_SECONDS);
    apply(core.decline(decline.getFrameworkId(), decline.getOfferIds(),
        Duration.ofMillis(Math.round(refuseSeconds * 1000)), clock.instant()));
    decline.getOfferIds().forEach(offers::delete);
  }

  private void onAccept(Accept accept) {
    meters.accepted(accept.getFrameworkId());
    Optional<String> fenced = epochs.fenced(accept.getFrameworkId(), accept.getFrameworkEpoch());
    if (fenced.isPresent()) {
      log.warn("refusing an accept of offers {}: {}", accept.getOfferIds(), fenced.get());
      drop(accept, launchedTaskIds(accept), fenced.get());
      return;
    }
    Map<String, TaskInfo> launched = new LinkedHashMap<>();
    List<Object> reservations = new ArrayList<>();
    List<Object> passThrough = new ArrayList<>();
    for (Object operation : accept.getOperations()) {
      if (operation instanceof LaunchOperation launch) {
        launch.getTasks().forEach(t -> launched.put(t.getTaskId(), t));
      } else if (operation instanceof ReserveOperation || operation instanceof UnreserveOperation) {
        reservations.add(operation);
      } else {
        passThrough.add(operation);
      }
    }
    if (!reservations.isEmpty()) {
      changeReservations(accept, reservations, launched, passThrough);
    } else {
      launch(accept, launched, passThrough);
    }
  }

  /** An accept that launches tasks (and creates or destroys volumes for them). */
  private void launch(Accept accept, Map<String, TaskInfo> launched, List<Object> passThrough) {
    List<TaskRequest> requests = launched.values().stream()
        .map(t -> new TaskRequest(t.getTaskId(), AllocatorAvro.resources(t.getResources()))).toList();
    accept.getOfferIds().forEach(offers::delete);
    Decisions decisions = core.accept(accept.getFrameworkId(), accept.getOfferIds(), requests);
    apply(decisions);
    for (Rejection rejection : decisions.rejections()) {
      drop(accept, launched.keySet(), rejection.reason());
    }
    // Volumes first: an agent refuses a task whose volume it has not created yet.
    if (decisions.rejections().isEmpty()) {
      passThrough.forEach(operation -> sendVolumeOperation(accept, operation));
    }
    Instant now = clock.instant();
    for (Launch launch : decisions.launches()) {
      // Stores the task in the tasks store, with its STAGING watch entry (see storeWatch).
      carryOut(watch.launched(launch, now), now);
      meters.launched(launch.frameworkId());
      TaskInfo task = launched.get(launch.taskId());
      send(Topics.PLACEMENTS, launch.agentId(), PlacementEvent.newBuilder().setPayload(LaunchTask.newBuilder()
          .setAgentId(launch.agentId()).setFrameworkId(launch.frameworkId())
          .setOfferId(accept.getOfferIds().get(0)).setTask(task).build()).build());
    }
  }

  /** An accept that reserves or unreserves: {@link ReservationRule} decides, this carries it out. */
  private void changeReservations(Accept accept, List<Object> reservations, Map<String, TaskInfo> launched,
      List<Object> passThrough) {
    Map<String, Offer> outstanding = new HashMap<>();
    for (String offerId : accept.getOfferIds()) {
      byte[] stored = offers.get(offerId);
      if (stored != null) {
        outstanding.put(offerId, StateStoreJson.offer(stored));
      }
    }
    List<Operation> changes = reservations.stream().map(AllocatorAvro::reservationChange).toList();
    ReservationRule.Outcome outcome = ReservationRule.apply(core, accept.getFrameworkId(), accept.getAgentId(),
        accept.getOfferIds(), outstanding, changes, clock.instant());
    if (!outcome.offersUsed()) {
      log.warn("framework {} changed reservations on offers {} that are not outstanding to it; nothing done",
          accept.getFrameworkId(), outcome.notOutstanding());
    } else {
      apply(outcome.decisions());
      accept.getOfferIds().forEach(offers::delete);
    }
    drop(accept, launched.keySet(), outcome.dropReason());
    outcome.refused().ifPresent(refused -> log.warn("framework {}: {}; its volume operations are not carried out",
        accept.getFrameworkId(), refused.reason()));
    if (outcome.volumesGo()) {
      passThrough.forEach(operation -> sendVolumeOperation(accept, operation));
    }
  }

  private void onTaskStatus(Record<String, byte[]> record, TaskStatus status) {
    require(InputValidator.taskStatus(status));
    if (status.getState() == TaskState.DROPPED && core.isRunning(status.getTaskId())) {
      // This allocator's own answer to an accept that repeated a running task's id: that task runs on.
      return;
    }
    // The allocator's own statuses (DROPPED, LOST) come back here: what they say is done already, and a LOST it
    // declared must not end a task that its agent, back in the meantime, still runs and is being killed.
    if (!isOwn(record)) {
      Instant now = clock.instant();
      boolean terminal = TERMINAL.contains(status.getState());
      carryOut(watch.status(status.getTaskId(), terminal, core.knowsAgent(status.getAgentId()), now), now);
      if (terminal) {
        apply(core.taskEnded(status.getTaskId()));
        tasks.delete(status.getTaskId());
        drains.taskEnded(status.getAgentId(), now);
      }
    }
    send(Topics.TASKS, status.getTaskId(), status);
  }

  private static boolean isOwn(Record<String, byte[]> record) {
    Header origin = record.headers().lastHeader(ORIGIN_HEADER);
    return origin != null && Arrays.equals(origin.value(), ALLOCATOR);
  }

  private void carryOut(TaskWatch.Outcome outcome, Instant now) {
    carryOut(housekeeping.settle(outcome), now);
  }

  /** Carries out what the core decided, in its order: the records it implies, and the stores kept in step. */
  private void carryOut(List<Housekeeping.Step> steps, Instant now) {
    for (Housekeeping.Step step : steps) {
      if (step instanceof Housekeeping.Apply apply) {
        apply(apply.decisions());
      } else if (step instanceof Housekeeping.Kill kill) {
        killHeld(kill);
      } else if (step instanceof Housekeeping.ReportLost lost) {
        log.warn("task {} on agent {} is LOST: {}", lost.task().taskId(), lost.task().agentId(), lost.reason());
        tasks.delete(lost.task().taskId());
        sendStatus(lostStatus(lost.task(), lost.reason(), now));
      } else if (step instanceof Housekeeping.TaskFreed freed) {
        drains.taskEnded(freed.agentId(), freed.drained(), now);
      } else if (step instanceof Housekeeping.StoreWatch store) {
        storeWatch(store);
      } else if (step instanceof Housekeeping.AgentLost lost) {
        log.warn("agent {} sent nothing for {}; marked it lost", lost.agentId(), lost.silentFor());
        meters.agentLost();
        agents.delete(lost.agentId());
        loadSamples.gone(lost.agentId(), now).ifPresent(sample -> send(Topics.METRICS, sample.getSourceId(), sample));
      } else if (step instanceof Housekeeping.FrameworkFailedOver failedOver) {
        failOver(failedOver, now);
      } else {
        throw new IllegalStateException("no shell action for " + step);
      }
    }
  }

  /**
   * Keeps the stores in step with the task watch. A STAGING entry (a launch awaiting its agent's first status) is
   * stored with its task in the tasks store ({@link StateStoreJson.StoredTask}): a launch is then one changelog record,
   * and the first status one more, where a separate watch entry cost a record for each and one for the task. LOST
   * and KILLING entries, whose tasks the core no longer holds or holds again, stay in the watch store. Deletes only
   * what is there: a delete is a changelog record even for a key the store never held.
   */
  private void storeWatch(Housekeeping.StoreWatch store) {
    for (TaskWatch.Entry entry : store.changed()) {
      String taskId = entry.task().taskId();
      if (entry.phase() == TaskWatch.Phase.STAGING) {
        tasks.put(taskId, StateStoreJson.write(StateStoreJson.StoredTask.staging(entry)));
        deleteIfStored(watched, taskId);
      } else {
        watched.put(taskId, StateStoreJson.write(StateStoreJson.StoredWatch.of(entry)));
      }
    }
    for (String taskId : store.removed()) {
      deleteIfStored(watched, taskId);
      byte[] stored = tasks.get(taskId);
      if (stored != null) {
        StateStoreJson.StoredTask task = StateStoreJson.task(stored);
        if (task.staging().isPresent()) {
          tasks.put(taskId, StateStoreJson.write(StateStoreJson.StoredTask.running(task.launch())));
        }
      }
    }
  }

  private static void deleteIfStored(KeyValueStore<String, byte[]> store, String key) {
    if (store.get(key) != null) {
      store.delete(key);
    }
  }

  /** A task found running after it was declared lost and replaced: held again by the core, killed on its agent. */
  private void killHeld(Housekeeping.Kill kill) {
    Launch task = kill.task();
    if (kill.held()) {
      tasks.put(task.taskId(), StateStoreJson.write(StateStoreJson.StoredTask.running(task)));
    }
    log.warn("task {} of framework {} runs on agent {} although it was declared lost and replaced; killing it",
        task.taskId(), task.frameworkId(), task.agentId());
    kill(task);
  }

  /**
   * A framework silent for longer than its failover timeout loses its offers and, on this shard, its tasks:
   * each is killed through its agent, whose KILLED status then frees the resources. It gets no offers until it
   * registers or heartbeats again, and then starts without them.
   */
  private void failOver(Housekeeping.FrameworkFailedOver failedOver, Instant now) {
    String frameworkId = failedOver.frameworkId();
    List<Launch> orphans = failedOver.orphans();
    log.warn("framework {} sent nothing for its failover timeout {}; killing its {} tasks on shard {}", frameworkId,
        failedOver.timeout(), orphans.size(), context.taskId());
    orphans.forEach(this::kill);
    send(Topics.STATUS, frameworkId, StatusEvent.newBuilder().setTarget(frameworkId).setFramework("allocator")
        .setKind("framework-failed-over").setCounts(Map.of("tasks", orphans.size()))
        .setMessage("framework " + frameworkId + " sent no registration or heartbeat for its failover timeout of "
            + failedOver.timeout() + ": its " + orphans.size() + " tasks here are killed, and it gets no offers until"
            + " it registers again")
        .setTimestamp(now).build());
  }

  private TaskStatus lostStatus(Launch task, String message, Instant now) {
    return TaskStatus.newBuilder().setTaskId(task.taskId()).setFrameworkId(task.frameworkId())
        .setAgentId(task.agentId()).setState(TaskState.LOST).setMessage(message)
        .setResources(AllocatorAvro.avro(task.resources())).setTimestamp(now).build();
  }

  private void kill(Launch task) {
    send(Topics.PLACEMENTS, task.agentId(), PlacementEvent.newBuilder().setPayload(KillTask.newBuilder()
        .setAgentId(task.agentId()).setFrameworkId(task.frameworkId()).setTaskId(task.taskId()).build()).build());
  }

  /**
   * Drain and undrain, quotas, role settings and framework registrations are the allocator's; every other command is
   * some framework's business.
   */
  private void onCommand(Command command) {
    if (command == null) {
      throw new IllegalArgumentException("a command record without a value; publish a Command with kos publish");
    }
    if (command.getPayload() instanceof DrainAgent || command.getPayload() instanceof UndrainAgent) {
      apply(drains.onCommand(command, clock.instant()));
    } else if (ConfigCommands.owns(command)) {
      configCommands.onCommand(command, clock.instant());
    }
  }

  /**
   * One wall-clock round: frameworks and roles, lost agents, the other shards, expired offers, then new offers.
   */
  private void round(long timestamp) {
    Timer.Sample took = Timer.start();
    boolean ok = false;
    try {
      // The punctuation's timestamp is Kafka Streams' own wall clock; the injected clock is the allocator's.
      round(clock.instant());
      lastRoundFailure = null;
      ok = true;
    } catch (StreamsException e) {
      // Kafka Streams' own signals (a fenced producer, a migrated task, a failed send) are not the round's fault.
      throw e;
    } catch (RuntimeException e) {
      // As for records, the last line of defence: a failed round must not fail the stream thread, which Kafka
      // Streams would replace only to run the same round again, while no shard of that thread offers or watches.
      roundFailed(e, Instant.ofEpochMilli(timestamp));
    } finally {
      took.stop(AllocatorMeters.rounds());
      meters.roundDone(!ok);
    }
  }

  /** Logs a failed round and says it on kos.status, once while the same failure repeats round after round. */
  private void roundFailed(RuntimeException e, Instant at) {
    String failure = e.toString();
    if (failure.equals(lastRoundFailure)) {
      log.debug("shard {}: the round failed again: {}", context.taskId(), failure);
      return;
    }
    lastRoundFailure = failure;
    log.error("shard {}: an allocation round failed; the next round runs as usual", context.taskId(), e);
    String target = "allocator-shard-" + context.taskId().partition();
    send(Topics.STATUS, target, StatusEvent.newBuilder().setTarget(target).setFramework("allocator")
        .setKind("allocator-round-failed").setCounts(Map.of())
        .setMessage("an allocation round of shard " + context.taskId() + " failed: " + failure
            + "; the allocator keeps running, and the allocator's log has the stack trace")
        .setTimestamp(at).build());
  }

  private void round(Instant now) {
    if (!restored) {
      restore(now);
    }
    syncFrameworksAndRoles();
    Housekeeping.Tick tick = housekeeping.tick(now);
    logGuard(tick);
    carryOut(tick.steps(), now);
    shards.round(now).ifPresent(summary -> send(Topics.ALLOCATOR_SHARDS, summary.getShard(), summary));
    apply(core.expireOffers(now));
    apply(core.allocate(now));
    if (!now.isBefore(nextLoadSamples)) {
      loadSamples.due(core.agentLoads(), now).forEach(sample -> send(Topics.METRICS, sample.getSourceId(), sample));
      nextLoadSamples = now.plus(settings.scaling().interval());
    }
    meters.figures(now, core::roleShares, core::utilizationByResource);
  }

  private Duration stallThreshold() {
    return Housekeeping.stallThreshold(settings.agentTimeout(), settings.roundInterval());
  }

  private void logGuard(Housekeeping.Tick tick) {
    if (tick.guard() == AgentLiveness.Guard.RESUMED) {
      log.warn("shard {} resumed after its rounds stood still for more than {}: every agent gets {} from now before"
          + " it is declared lost", context.taskId(), stallThreshold(), settings.agentTimeout());
    } else if (tick.isolationBegan()) {
      log.warn("shard {} heard from none of its agents for {}: suspecting its own isolation from the bus, it declares"
          + " none lost until agent records flow again", context.taskId(), settings.agentTimeout());
    }
  }

  private void syncFrameworksAndRoles() {
    sync(roles, appliedRoles, Topics.ROLES, InputValidator::role, info -> info,
        (RoleInfo info) -> apply(core.roleConfigured(AllocatorAvro.role(info))),
        (RoleInfo bad) -> { }, removedRole -> { });
    Instant now = clock.instant();
    sync(frameworks, appliedFrameworks, Topics.FRAMEWORKS, InputValidator::framework,
        info -> FrameworkInfo.newBuilder(info).setHeartbeatAt(null).build(), (FrameworkInfo info) -> {
          epochs.seen(info.getFrameworkId(), info.getEpoch());
          FrameworkInfo registration = FrameworkInfo.newBuilder(info).setHeartbeatAt(null).build();
          if (!failover.heard(info.getFrameworkId(), registration, Duration.ofMillis(info.getFailoverTimeoutMs()),
              now)) {
            return;
          }
          FrameworkSpec spec = AllocatorAvro.framework(info);
          apply(core.frameworkUpdated(spec));
          if (!spec.suppressed()) {
            apply(core.revive(spec.frameworkId()));
          }
        },
        // A framework that sends a bad record is alive all the same: its last valid registration stays.
        (FrameworkInfo bad) -> failover.alive(bad.getFrameworkId(), now),
        removedFramework -> {
          failover.removed(removedFramework);
          epochs.removed(removedFramework);
          apply(core.frameworkRemoved(removedFramework));
        });
  }

  /**
   * Applies what changed in a global store since the last call. Comparing raw bytes keeps a round from decoding
   * every framework every 50 ms. A value that is undecodable or fails {@code check} is not applied (the key's last
   * valid value stays in force) and is dead-lettered once per distinct value.
   *
   * @param identity what makes two bad values the same one, e.g. a registration without its heartbeat time
   */
  private <V extends SpecificRecord> void sync(ReadOnlyKeyValueStore<String, byte[]> store, Map<String, byte[]> applied,
      TopicDef<V> topic, BiFunction<String, V, Optional<String>> check, Function<V, Object> identity,
      Consumer<V> changed, Consumer<V> bad, Consumer<String> removed) {
    String name = bus.topic(topic);
    Set<String> seen = new HashSet<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        seen.add(entry.key);
        if (Arrays.equals(applied.get(entry.key), entry.value)) {
          continue;
        }
        applied.put(entry.key, entry.value);
        V value;
        try {
          value = bus.serde(topic).deserialize(name, entry.value);
        } catch (MalformedRecordException e) {
          rejectConfig(name, entry.key, entry.value, ByteBuffer.wrap(entry.value), "undecodable: " + e.getMessage());
          continue;
        }
        Optional<String> problem = check.apply(entry.key, value);
        if (problem.isPresent()) {
          rejectConfig(name, entry.key, entry.value, identity.apply(value), "rejected: " + problem.get());
          bad.accept(value);
          continue;
        }
        configRejections.cleared(name, entry.key);
        changed.accept(value);
      }
    }
    for (String key : List.copyOf(applied.keySet())) {
      if (!seen.contains(key)) {
        applied.remove(key);
        configRejections.cleared(name, key);
        removed.accept(key);
      }
    }
  }

  private void rejectConfig(String topic, String key, byte[] value, Object identity, String reason) {
    if (configRejections.rejected(topic, key, identity, reason)) {
      Instant now = clock.instant();
      ProcessMetrics.deadLetterSent(topic, "allocator");
      send(Topics.DEAD_LETTERS, keyOf(key), DeadLetters.of(topic, UNKNOWN_POSITION,
          UNKNOWN_POSITION, bytes(key), value, reason + " (the latest record of " + key + " on the compacted "
              + topic + "; the last valid configuration stays in force until it is fixed)", "allocator", now));
    }
  }

  /** Publishes offers and rescinds and keeps the offers store in step with the core. */
  private void apply(Decisions decisions) {
    for (Rescind rescind : decisions.rescinds()) {
      meters.rescinded(rescind.frameworkId());
      offers.delete(rescind.offerId());
      sendRescind(rescind.offerId(), rescind.frameworkId(), rescind.agentId(), rescind.reason());
    }
    for (Offer offer : decisions.offers()) {
      meters.offered(offer.frameworkId());
      offers.put(offer.offerId(), StateStoreJson.write(StateStoreJson.StoredOffer.of(offer)));
      send(Topics.OFFERS, offer.frameworkId(), OfferEvent.newBuilder().setPayload(AllocatorAvro.avro(offer)).build());
    }
  }

  private static Set<String> launchedTaskIds(Accept accept) {
    Set<String> taskIds = new LinkedHashSet<>();
    for (Object operation : accept.getOperations()) {
      if (operation instanceof LaunchOperation launch) {
        launch.getTasks().forEach(t -> taskIds.add(t.getTaskId()));
      }
    }
    return taskIds;
  }

  private void drop(Accept accept, Set<String> taskIds, String reason) {
    Instant now = clock.instant();
    meters.dropped(taskIds.size());
    for (String taskId : taskIds) {
      sendStatus(TaskStatus.newBuilder().setTaskId(taskId)
          .setFrameworkId(accept.getFrameworkId()).setAgentId(accept.getAgentId()).setState(TaskState.DROPPED)
          .setMessage(reason).setTimestamp(now).build());
    }
  }

  private void sendVolumeOperation(Accept accept, Object operation) {
    PlacementEvent event;
    if (operation instanceof CreateVolumeOperation create) {
      event = PlacementEvent.newBuilder().setPayload(CreateVolume.newBuilder().setAgentId(accept.getAgentId())
          .setFrameworkId(accept.getFrameworkId()).setVolume(create.getVolume()).build()).build();
    } else {
      DestroyVolumeOperation destroy = (DestroyVolumeOperation) operation;
      event = PlacementEvent.newBuilder().setPayload(DestroyVolume.newBuilder().setAgentId(accept.getAgentId())
          .setFrameworkId(accept.getFrameworkId()).setPersistenceId(destroy.getPersistenceId())
          .setRole(destroy.getRole()).build()).build();
    }
    send(Topics.PLACEMENTS, accept.getAgentId(), event);
  }

  private void sendRescind(String offerId, String frameworkId, String agentId, String reason) {
    send(Topics.OFFERS, frameworkId, OfferEvent.newBuilder().setPayload(OfferRescinded.newBuilder()
        .setOfferId(offerId).setFrameworkId(frameworkId).setAgentId(agentId).setReason(reason).build()).build());
  }

  private <V extends SpecificRecord> V decode(TopicDef<V> topic, Record<String, byte[]> record) {
    return bus.serde(topic).deserialize(bus.topic(topic), record.value());
  }

  private <V extends SpecificRecord> void send(TopicDef<V> topic, String key, V value) {
    String name = bus.topic(topic);
    context.forward(new Record<>(key, bus.serde(topic).serialize(name, value), clock.millis()),
        AllocatorTopology.sinkFor(topic));
  }

  /** A status of the allocator's own on kos.task-status, keyed by its agent and marked as the allocator's. */
  private void sendStatus(TaskStatus status) {
    String name = bus.topic(Topics.TASK_STATUS);
    Headers headers = new RecordHeaders().add(ORIGIN_HEADER, ALLOCATOR);
    context.forward(new Record<>(status.getAgentId(), bus.serde(Topics.TASK_STATUS).serialize(name, status),
        clock.millis(), headers), AllocatorTopology.sinkFor(Topics.TASK_STATUS));
  }

  private void deadLetter(Record<String, byte[]> record, RecordMetadata source, String reason) {
    log.warn("dead-lettering {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
    ProcessMetrics.deadLetterSent(source.topic(), "allocator");
    send(Topics.DEAD_LETTERS, keyOf(record.key()), DeadLetters.of(source.topic(), source.partition(),
        source.offset(), bytes(record.key()), record.value(), reason, "allocator",
        clock.instant()));
  }

  private static byte[] bytes(String key) {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  /** A dead letter's Kafka key: the record's own, cut as the copy inside the letter is. */
  private static String keyOf(String key) {
    return key == null ? null : new String(DeadLetters.keyOf(bytes(key)), StandardCharsets.UTF_8);
  }
}
