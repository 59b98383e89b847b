package dev.kos.agent.sim;

import dev.kos.agent.bus.BusTopics;
import dev.kos.agent.bus.Deliveries;
import dev.kos.agent.bus.PlacementHandler;
import dev.kos.agent.edge.ReportAvro;
import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.model.CapacityReport;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.schema.PlacementEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kos agent-sim}'s shell: a {@link SimulatedFleet} on the bus with one producer, one
 * consumer reading every partition of kos.placements (group {@code kos-agent-sim-<prefix>}), and
 * one timer thread that advances the fleet every {@value #TICK_MILLIS} ms. Placements for agents
 * that are not in this fleet are skipped, so a fleet can share the bus with real agents.
 */
public final class BusFleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BusFleet.class);
  static final long TICK_MILLIS = 20;
  private static final String HOSTNAME = "simulated";
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final SimulatedFleet fleet;
  private final Clock clock;
  private final ControlBus bus;
  private final BusPublisher publisher;
  private final Deliveries deliveries = new Deliveries();
  private final ScheduledExecutorService timer;
  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong statuses = new AtomicLong();
  /** Simulated tasks have no processes to kill: the report says so rather than naming a real method. */
  private static final String SIMULATED_KILL = "none";
  private BusConsumerLoop<PlacementEvent> placements;
  private Thread placementThread;

  private BusFleet(SimSpec spec, BusSettings settings, Clock clock) {
    this.fleet = new SimulatedFleet(spec, clock.instant());
    this.clock = clock;
    this.bus = new ControlBus(settings);
    this.publisher = new BusPublisher(bus, "kos-agent-sim-" + spec.idPrefix());
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kos-agent-sim-timer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Registers every agent, then heartbeats and consumes placements until closed. */
  public static BusFleet start(SimSpec spec, BusSettings settings, Clock clock) {
    BusFleet sim = new BusFleet(spec, settings, clock);
    try {
      sim.begin();
      return sim;
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
  }

  private void begin() {
    String topic = bus.topic(Topics.PLACEMENTS);
    List<TopicPartition> partitions = IntStream.range(0, BusTopics.partitionCount(bus.settings(), topic))
        .mapToObj(partition -> new TopicPartition(topic, partition))
        .toList();
    synchronized (fleet) {
      publish(fleet.register());
    }
    timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    String group = "kos-agent-sim-" + fleet.spec().idPrefix();
    placements = new BusConsumerLoop<>(bus, group, group, Subscription.partitions(partitions, false),
        bus.serde(Topics.PLACEMENTS)::deserialize,
        new PlacementHandler(this::target, this::answerVolume),
        new DeadLetterPublisher(bus, publisher, group, clock::instant));
    placementThread = LoopSupervisor.forProcess().start(group + "-placements", placements);
    log.info("{} simulated agents {}-0 .. {}-{} are up", fleet.spec().agents(), fleet.spec().idPrefix(),
        fleet.spec().idPrefix(), fleet.spec().agents() - 1);
  }

  /** Reports (registrations, heartbeats, changes) handed to the producer so far. */
  public long reportsSent() {
    return reports.get();
  }

  public long statusesSent() {
    return statuses.get();
  }

  public int runningTasks() {
    synchronized (fleet) {
      return fleet.runningTasks();
    }
  }

  @Override
  public void close() {
    if (placements != null) {
      placements.close();
      try {
        placementThread.join(SHUTDOWN_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    timer.shutdownNow();
    publisher.close();
  }

  private void tick() {
    try {
      synchronized (fleet) {
        publish(fleet.advance(clock.instant()));
        deliveries.sweep();
      }
    } catch (RuntimeException e) {
      log.error("simulated fleet round failed", e);
    }
  }

  private PlacementHandler.Target target(String agentId) {
    int agent = fleet.spec().agentIndex(agentId);
    return agent < 0 ? null : new SimTarget(agent);
  }

  private void answerVolume(String agentId, String operation, VolumeResult result) {
    synchronized (fleet) {
      deliveries.track(operation + " result of volume " + result.persistenceId(),
          publisher.publish(Topics.COMMAND_RESULTS, ReportAvro.volumeResultKey(operation, result.persistenceId()),
              new ReportAvro(agentId).volumeResult(operation, result, clock.instant())));
    }
  }

  /** Callers hold the fleet's lock, so each agent's records go out in the order the fleet made them. */
  private void publish(List<SimulatedFleet.Output> outputs) {
    for (SimulatedFleet.Output output : outputs) {
      String agentId = fleet.spec().agentId(output.agent());
      ReportAvro outbound = new ReportAvro(agentId);
      if (output instanceof SimulatedFleet.Report report) {
        reports.incrementAndGet();
        deliveries.track("report of " + agentId, publisher.publish(Topics.AGENTS, agentId, outbound.report(
            new CapacityReport(HOSTNAME, fleet.spec().resources(), report.used(), Map.of(), fleet.spec().attributes(),
                report.at(), fleet.startedAt(), LimitEnforcement.NONE.label(), SIMULATED_KILL))));
      } else {
        SimulatedFleet.Status status = (SimulatedFleet.Status) output;
        statuses.incrementAndGet();
        deliveries.track("status of task " + status.update().taskId(),
            publisher.publish(Topics.TASK_STATUS, agentId, outbound.status(status.update())));
      }
    }
  }

  /** One simulated agent as a placement target. */
  private final class SimTarget implements PlacementHandler.Target {
    private final int agent;

    SimTarget(int agent) {
      this.agent = agent;
    }

    @Override
    public void launch(TaskSpec task) {
      synchronized (fleet) {
        publish(fleet.launch(agent, task, clock.instant()));
      }
    }

    @Override
    public void refuse(TaskRef task, String reason) {
      synchronized (fleet) {
        publish(List.of(new SimulatedFleet.Status(agent, new StatusUpdate(task.taskId(), task.frameworkId(),
            task.appId(), TaskState.ERROR, reason, null, null, null, LimitEnforcement.NONE.label(),
            clock.instant()))));
      }
    }

    @Override
    public void kill(KillRequest kill) {
      synchronized (fleet) {
        publish(fleet.kill(agent, kill, clock.instant()));
      }
    }

    @Override
    public VolumeResult createVolume(VolumeSpec volume) {
      return VolumeResult.refused(volume.persistenceId(), volume.role(), "simulated agents keep no persistent volumes");
    }

    @Override
    public VolumeResult destroyVolume(String persistenceId, String role) {
      return VolumeResult.refused(persistenceId, role, "simulated agents keep no persistent volumes");
    }
  }
}
