package dev.kos.agent.bus;

import dev.kos.agent.AgentExecutor;
import dev.kos.agent.edge.ReportAvro;
import dev.kos.agent.resources.ReportPacer;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.logs.LogBuffer;
import dev.kos.agent.model.CapacityReport;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.bus.BusPublisher;
import dev.kos.model.ContainerSpec;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.schema.AgentReport;
import dev.kos.schema.PlacementEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent on the control bus: the thin shell around {@link AgentExecutor}. It recovers the
 * tasks a previous run left, registers on kos.agents, then reads only its own partition of
 * kos.placements (as consumer group {@code kos-agent-<id>}, so a restart resumes after the last
 * handled placement) and carries placements out. Everything it sends goes through one outbox
 * thread and the producer's asynchronous send, so the executor's sinks never wait on the broker:
 * task statuses, a report when used resources change (paced by {@link ReportPacer}: at most one per
 * {@link ReportPacer#INTERVAL}, the last change always sent), heartbeats, batches of task log lines and usage
 * samples.
 */
public final class BusAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BusAgent.class);
  private static final Duration LOG_SHIP_INTERVAL = Duration.ofMillis(100);
  private static final int LOG_BATCH = 1_000;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final AgentSettings settings;
  private final Clock clock;
  private final Instant startedAt;
  private final ControlBus bus;
  private final BusPublisher publisher;
  private final ReportAvro outbound;
  private final LogBuffer logs;
  private final ScheduledExecutorService outbox;
  private final Deliveries deliveries = new Deliveries();
  /** Confined to the outbox thread. */
  private final StatusRedelivery redelivery = new StatusRedelivery();
  private final Deliveries logDeliveries = new Deliveries();
  private final AgentExecutor executor;
  private final AgentMeters meters;
  private BusConsumerLoop<PlacementEvent> placements;
  private Thread placementThread;
  /** Confined to the outbox thread. */
  private ResourceSet reportedUsed;
  /** Confined to the outbox thread. */
  private final ReportPacer pacer = new ReportPacer();
  /** Confined to the outbox thread: a held change has a send scheduled. */
  private boolean flushScheduled;

  private BusAgent(AgentSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.bus = new ControlBus(settings.bus());
    this.publisher = new BusPublisher(bus, "kos-agent-" + settings.agentId());
    this.outbound = new ReportAvro(settings.agentId());
    this.logs = new LogBuffer(settings.logBufferCapacity(), clock);
    this.outbox = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kos-agent-" + settings.agentId() + "-outbox");
      thread.setDaemon(true);
      return thread;
    });
    this.executor = AgentExecutor.start(settings.executorConfig(), clock,
        status -> send(() -> sendStatus(status)), logs);
    this.meters = new AgentMeters(settings.agentId(), executor);
  }

  /**
   * Starts the agent: recovers checkpointed tasks and reports those still running, registers
   * (waiting for the broker's ack, so a wrong address fails here), then consumes placements.
   */
  public static BusAgent start(AgentSettings settings, Clock clock) {
    BusAgent agent = new BusAgent(settings, clock);
    try {
      agent.begin();
      return agent;
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void begin() {
    String topic = bus.topic(Topics.PLACEMENTS);
    TopicPartition partition = new TopicPartition(topic,
        KeyPartitioner.partitionOf(settings.agentId(), BusTopics.partitionCount(settings.bus(), topic)));
    executor.recover().stream()
        .filter(status -> !status.state().terminal())
        .forEach(status -> send(() -> sendStatus(status)));
    register();
    every(settings.heartbeatInterval(), this::publishReport);
    every(LOG_SHIP_INTERVAL, this::shipLogs);
    every(settings.metricsInterval(), this::sampleUsage);
    String group = "kos-agent-" + settings.agentId();
    PlacementHandler.Target self = new ExecutorTarget();
    placements = new BusConsumerLoop<>(bus, group, group, Subscription.partitions(List.of(partition), false),
        bus.serde(Topics.PLACEMENTS)::deserialize,
        new PlacementHandler(id -> id.equals(settings.agentId()) ? self : null, this::answerVolume),
        new DeadLetterPublisher(bus, publisher, group, clock::instant));
    // A placement loop that dies would leave an agent that heartbeats and never launches: end the process.
    placementThread = LoopSupervisor.forProcess().start(group + "-placements", placements);
    log.info("agent {} is up: reading {}, {} enforces limits, kills by {}, {} offered", settings.agentId(),
        partition, executor.limitEnforcement().label(), executor.killMethod().label(), settings.resources());
  }

  /** The executor this shell drives, for reconciliation and for tests. */
  public AgentExecutor executor() {
    return executor;
  }

  /**
   * Stops consuming and reporting, sends what is already queued, and leaves tasks running, as a
   * restart expects: a new agent on the same work dir recovers them.
   */
  @Override
  public void close() {
    if (placements != null) {
      placements.close();
      join(placementThread);
    }
    executor.close();
    send(this::shipAllLogs);
    outbox.shutdown();
    try {
      if (!outbox.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("agent {}: outbox did not drain in {}", settings.agentId(), SHUTDOWN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
    meters.close();
  }

  private void register() {
    try {
      outbox.submit(() -> publisher.publish(Topics.AGENTS, settings.agentId(), report()).get())
          .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
      throw new IllegalStateException("agent " + settings.agentId() + " cannot register on "
          + bus.topic(Topics.AGENTS) + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("agent " + settings.agentId() + " could not register within "
          + STARTUP_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering agent " + settings.agentId(), e);
    }
  }

  /** Builds the report and remembers what it said was used and when; outbox thread only. */
  private AgentReport report() {
    reportedUsed = executor.usedResources();
    Instant now = clock.instant();
    pacer.reported(now);
    return outbound.report(new CapacityReport(settings.hostname(), executor.totalResources(), reportedUsed,
        settings.reservations(), attributes(), now, startedAt, executor.limitEnforcement().label(),
        executor.killMethod().label()));
  }

  /**
   * The configured attributes, and {@code kos.containers=runc} where container tasks run: offers carry an agent's
   * attributes, so a framework places container tasks only where they can run. The agent's own word wins over a
   * configured attribute of that name. {@code kos.task-user} says which host user its tasks run as when they name
   * none ({@code nobody}; the agent's own user, e.g. {@code root}, where they do not switch), for people and
   * constraints alike.
   */
  private Map<String, String> attributes() {
    Map<String, String> attributes = new HashMap<>(settings.attributes());
    attributes.remove(ContainerSpec.RUNTIME_ATTRIBUTE);
    executor.containers().ifPresent(runtime -> attributes.put(ContainerSpec.RUNTIME_ATTRIBUTE, runtime.name()));
    attributes.put(TaskUsers.ATTRIBUTE, executor.taskUsers().defaultUserName());
    return attributes;
  }

  /** A heartbeat, or a report of changed used resources: the same record either way; it carries any held change. */
  private void publishReport() {
    deliveries.track("report of agent " + settings.agentId(),
        publisher.publish(Topics.AGENTS, settings.agentId(), report()));
    deliveries.sweep();
  }

  /**
   * A status, then, if the status came with a change of used resources (launch or end), a new report now or, within
   * the pacing interval of the last report, a report when it is over.
   */
  private void sendStatus(StatusUpdate status) {
    meters.statusSent(status.state());
    redelivery.sent(status);
    publishStatus(status);
    if (!executor.usedResources().equals(reportedUsed)) {
      Instant now = clock.instant();
      if (pacer.changed(now)) {
        publishReport();
      } else {
        scheduleFlush(now);
      }
    }
  }

  private void scheduleFlush(Instant now) {
    if (flushScheduled) {
      return;
    }
    if (outbox.isShutdown()) {
      // Closing: the outbox takes no new timers, so the last change goes out now rather than never.
      publishReport();
      return;
    }
    pacer.dueAt().ifPresent(due -> {
      flushScheduled = true;
      long delay = Math.max(Duration.between(now, due).toMillis(), 1);
      outbox.schedule(guarded(this::flushReport), delay, TimeUnit.MILLISECONDS);
    });
  }

  /** The held change, unless a heartbeat carried it or what is used is back to what was reported. */
  private void flushReport() {
    flushScheduled = false;
    Instant now = clock.instant();
    if (pacer.due(now)) {
      if (!executor.usedResources().equals(reportedUsed)) {
        publishReport();
      }
    } else {
      scheduleFlush(now);
    }
  }

  /** A status the producer gives up on (a bus outage past its delivery timeout) is sent again if still the latest. */
  private void publishStatus(StatusUpdate status) {
    deliveries.track("status " + status.state() + " of task " + status.taskId(),
        publisher.publish(Topics.TASK_STATUS, settings.agentId(), outbound.status(status)), failure -> {
          if (failure == null) {
            redelivery.delivered(status);
          } else {
            redelivery.failed(status).ifPresent(again -> {
              log.warn("agent {}: sending status {} of task {} again", settings.agentId(), again.state(),
                  again.taskId());
              publishStatus(again);
            });
          }
        });
  }

  private void answerVolume(String agentId, String operation, VolumeResult result) {
    log.info("{} {} on agent {}: {}{}", operation, result.persistenceId(), agentId,
        result.succeeded() ? "done" : "refused", result.message() == null ? "" : " (" + result.message() + ")");
    send(() -> deliveries.track(operation + " result of volume " + result.persistenceId(),
        publisher.publish(Topics.COMMAND_RESULTS, ReportAvro.volumeResultKey(operation, result.persistenceId()),
            outbound.volumeResult(operation, result, clock.instant()))));
  }

  /** One batch per round, and only once the previous batch is acknowledged: meanwhile the bounded buffer holds lines. */
  private void shipLogs() {
    if (logDeliveries.sweep() > 0) {
      return;
    }
    logs.drain(LOG_BATCH).forEach(this::shipLog);
  }

  /** At close: whatever the buffer still holds, without waiting for acks (the producer's close flushes them). */
  private void shipAllLogs() {
    for (List<LogRecord> batch = logs.drain(LOG_BATCH); !batch.isEmpty(); batch = logs.drain(LOG_BATCH)) {
      batch.forEach(this::shipLog);
    }
  }

  private void shipLog(LogRecord line) {
    logDeliveries.track("log line " + line.seq() + " of task " + line.task().taskId(),
        publisher.publish(Topics.LOGS, line.task().taskId(), outbound.log(line)));
  }

  private void sampleUsage() {
    List<TaskUsage> sample = executor.sampleUsage();
    meters.sampled(sample);
    for (TaskUsage usage : sample) {
      deliveries.track("usage of task " + usage.task().taskId(),
          publisher.publish(Topics.METRICS, usage.task().taskId(), outbound.metric(usage)));
    }
    deliveries.sweep();
  }

  /** Hands a send to the outbox thread; never blocks the caller. */
  private void send(Runnable work) {
    outbox.execute(guarded(work));
  }

  private void every(Duration period, Runnable round) {
    outbox.scheduleWithFixedDelay(guarded(round), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The outbox swallows exceptions (and a periodic round's would cancel all later ones): log them instead. */
  private Runnable guarded(Runnable work) {
    return () -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        log.error("agent {}: sending failed", settings.agentId(), e);
      }
    };
  }

  /** Placements act on the executor; it answers launches and kills with statuses through the outbox. */
  private final class ExecutorTarget implements PlacementHandler.Target {
    @Override
    public void launch(TaskSpec task) {
      meters.launched();
      executor.launch(task);
    }

    @Override
    public void refuse(TaskRef task, String reason) {
      executor.refuse(task, reason);
    }

    @Override
    public void kill(KillRequest kill) {
      meters.killed();
      executor.kill(kill);
    }

    @Override
    public VolumeResult createVolume(VolumeSpec volume) {
      return executor.createVolume(volume);
    }

    @Override
    public VolumeResult destroyVolume(String persistenceId, String role) {
      return executor.destroyVolume(persistenceId, role);
    }
  }

  private void join(Thread thread) {
    try {
      thread.join(SHUTDOWN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
