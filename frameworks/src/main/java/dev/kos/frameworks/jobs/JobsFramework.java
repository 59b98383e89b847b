package dev.kos.frameworks.jobs;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.OfferInterest;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.jobs.core.ClusterView;
import dev.kos.frameworks.jobs.core.Decision;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobDefinition;
import dev.kos.frameworks.jobs.core.JobEvent;
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.frameworks.jobs.core.JobsCore;
import dev.kos.frameworks.jobs.core.Step;
import dev.kos.frameworks.jobs.core.Submitted;
import dev.kos.frameworks.jobs.core.TaskUpdate;
import dev.kos.frameworks.jobs.edge.JobsAvro;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.RoleInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs framework's bus shell around {@link JobsCore}: a {@link Scheduler} registered as {@value #FRAMEWORK_ID}
 * in one low-priority role, a consumer of {@code kos.commands} (group {@value #GROUP}) that takes run-job commands
 * and answers on {@code kos.command-results}, and a reader of {@code kos.agents} and {@code kos.roles} that
 * lets the core explain a wait the allocator causes. Every change of a job goes to {@code kos.jobs}
 * (from which a restarted framework resumes, reconciling the tasks it had launched) and, in words, to
 * {@code kos.status}.
 *
 * <p>Commands, driver callbacks, cluster reports and wake-ups come on four threads; all core calls run under
 * one lock. Every plan answers all offers it was given, so no offer is held between plans.
 */
public final class JobsFramework implements Scheduler, AutoCloseable {

  public static final String FRAMEWORK_ID = "jobs";
  public static final String ROLE = "jobs";
  public static final String GROUP = "kos-jobs";
  /** Agent reports older than this are from agents that are gone (the allocator's agent timeout is shorter). */
  static final Duration REPORT_MAX_AGE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(JobsFramework.class);

  private final ControlBus bus;
  private final JobsCore core;
  private final Clock clock;
  private final Object lock = new Object();
  private final BusPublisher publisher;
  private final BusSchedulerDriver driver;
  private final ScheduledExecutorService timer;
  private final List<BusConsumerLoop<?>> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private Map<String, Job> jobs = Map.of();
  private ClusterView cluster = ClusterView.empty(REPORT_MAX_AGE);
  private final OfferInterest offerInterest = new OfferInterest();
  private ScheduledFuture<?> wakeUp;

  public JobsFramework(ControlBus bus, String role, JobsConfig config, Clock clock) {
    this.bus = bus;
    this.core = new JobsCore(config, role);
    this.clock = clock;
    this.publisher = new BusPublisher(bus, "framework-" + FRAMEWORK_ID + "-state");
    this.driver = new BusSchedulerDriver(bus, FrameworkSettings.of(FRAMEWORK_ID, role), this, clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framework-" + FRAMEWORK_ID + "-wake-up");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Resumes the jobs of {@code kos.jobs}, registers, and starts taking commands; returns once registered. */
  public JobsFramework start() {
    synchronized (lock) {
      Map<String, Job> restored = new HashMap<>();
      CompactedTopics.readToEnd(bus, Topics.JOBS)
          .forEach((id, state) -> restored.put(id, JobsAvro.job(state)));
      jobs = Map.copyOf(restored);
      log.info("jobs framework resumes {} job(s)", jobs.size());
    }
    driver.start();
    run("cluster", new BusConsumerLoop<SpecificRecord>(bus, null, "framework-" + FRAMEWORK_ID + "-cluster",
        Subscription.partitions(clusterPartitions(), false), this::decodeCluster, this::onClusterRecord,
        deadLetters()));
    run("commands", new BusConsumerLoop<>(bus, GROUP, "framework-" + FRAMEWORK_ID + "-commands",
        Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        (topic, value) -> bus.serde(Topics.COMMANDS).deserialize(topic, value), this::onCommand, deadLetters()));
    return this;
  }

  /** The jobs as the framework knows them now. */
  public Map<String, Job> jobs() {
    synchronized (lock) {
      return jobs;
    }
  }

  @Override
  public void registered(SchedulerDriver driver) {
    synchronized (lock) {
      List<String> onAgents = jobs.values().stream().flatMap(job -> job.current().stream())
          .filter(run -> run.state().onAgent()).flatMap(run -> run.taskId().stream()).toList();
      if (!onAgents.isEmpty()) {
        log.info("reconciling {} task(s) launched before a restart", onAgents.size());
        driver.reconcile(onAgents);
      }
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
      apply(core.afterStatus(jobs, TaskUpdate.of(status), clock.instant()));
      plan(List.of());
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    log.error("jobs framework: {}", message);
  }

  @Override
  public void close() throws InterruptedException {
    loops.forEach(BusConsumerLoop::close);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    driver.close();
    timer.shutdownNow();
    publisher.close();
  }

  private void run(String name, BusConsumerLoop<?> loop) {
    loops.add(loop);
    threads.add(LoopSupervisor.forProcess().start("framework-" + FRAMEWORK_ID + "-" + name, loop));
  }

  private DeadLetterPublisher deadLetters() {
    return new DeadLetterPublisher(bus, publisher, GROUP, clock::instant);
  }

  private void onCommand(BusRecord<Command> record) {
    Optional<JobDefinition> job = record.value() == null ? Optional.empty() : JobsAvro.command(record.value());
    if (job.isEmpty()) {
      return;
    }
    String commandId = record.value().getCommandId();
    synchronized (lock) {
      Instant now = clock.instant();
      Submitted outcome = core.submit(jobs, job.get(), now);
      publishResult(commandId, outcome, now);
      if (outcome instanceof Submitted.Accepted accepted) {
        log.info("command {} accepted: job {}", commandId, job.get().id());
        apply(accepted.step());
        plan(List.of());
      } else {
        log.info("command {} rejected: {}", commandId, ((Submitted.Rejected) outcome).reason());
      }
    }
  }

  private List<TopicPartition> clusterPartitions() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null, "metadata"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>(CompactedTopics.partitionsOf(consumer, bus.topic(Topics.AGENTS)));
      partitions.addAll(CompactedTopics.partitionsOf(consumer, bus.topic(Topics.ROLES)));
      return partitions;
    }
  }

  private SpecificRecord decodeCluster(String topic, byte[] value) {
    return topic.equals(bus.topic(Topics.AGENTS)) ? bus.serde(Topics.AGENTS).deserialize(topic, value)
        : bus.serde(Topics.ROLES).deserialize(topic, value);
  }

  /** Agent reports and role settings change the explanation of a wait: plan again while some run waits. */
  private void onClusterRecord(BusRecord<SpecificRecord> record) {
    synchronized (lock) {
      boolean agents = record.topic().equals(bus.topic(Topics.AGENTS));
      if (record.value() instanceof AgentReport report) {
        cluster = cluster.withAgent(JobsAvro.agent(report));
      } else if (record.value() instanceof RoleInfo info) {
        cluster = cluster.withRole(JobsAvro.role(info));
      } else if (agents) {
        cluster = cluster.withoutAgent(record.key());
      } else {
        cluster = cluster.withoutRole(record.key());
      }
      if (core.wantsOffers(jobs, clock.instant())) {
        plan(List.of());
      }
    }
  }

  /** Plans with {@code offers} and carries the plan out; call with the lock held. */
  private void plan(List<OfferView> offers) {
    Instant now = clock.instant();
    Step step = core.plan(jobs, offers, cluster, now);
    Map<String, List<TaskSpec>> launches = new LinkedHashMap<>();
    for (Decision decision : step.decisions()) {
      if (decision instanceof Decision.Launch launch) {
        launches.computeIfAbsent(launch.offerId(), id -> new ArrayList<>()).add(JobsAvro.task(launch, FRAMEWORK_ID));
      } else if (decision instanceof Decision.Kill kill) {
        log.info("killing {} on {}: {}", kill.taskId(), kill.agentId(), kill.reason());
        driver.killTask(kill.agentId(), kill.taskId());
      } else if (decision instanceof Decision.Decline decline) {
        decline(decline);
      }
    }
    apply(step);
    launches.forEach((offerId, tasks) -> {
      try {
        driver.accept(List.of(offerId), List.of(new Operation.Launch(tasks)));
      } catch (IllegalArgumentException e) {
        log.warn("could not launch {} on offer {}: {}", tasks.stream().map(TaskSpec::taskId).toList(), offerId,
            e.getMessage());
        tasks.forEach(task -> apply(core.afterStatus(jobs, new TaskUpdate(task.taskId(), "", TaskState.DROPPED,
            "offer " + offerId + " was gone"), now)));
      }
    });
    offerInterest.want(driver, core.wantsOffers(jobs, now));
    scheduleWakeUp(core.wakeUpAt(jobs, now));
  }

  private void decline(Decision.Decline decline) {
    try {
      driver.decline(decline.offerId(), decline.refuse());
    } catch (IllegalArgumentException e) {
      log.debug("offer {} was gone before its decline: {}", decline.offerId(), e.getMessage());
    }
  }

  /** Takes the step's jobs and tells the bus: the changed jobs' state, then the events. */
  private void apply(Step step) {
    Instant now = clock.instant();
    Map<String, Job> before = jobs;
    jobs = step.jobs();
    jobs.values().stream().filter(job -> !job.equals(before.get(job.id())))
        .forEach(job -> send(Topics.JOBS, job.id(), JobsAvro.state(job, now)));
    for (JobEvent event : step.events()) {
      log.info("{} {}: {}", event.kind(), event.jobId(), event.message());
      send(Topics.STATUS, event.jobId(), JobsAvro.event(event, FRAMEWORK_ID, now));
    }
  }

  private <V extends SpecificRecord> void send(TopicDef<V> topic, String key, V value) {
    publisher.publishAsync(topic, key, value, error -> log.error("could not publish to {} (key {}): {}",
        bus.topic(topic), key, error.getMessage()));
  }

  private void publishResult(String commandId, Submitted outcome, Instant now) {
    publisher.publishAndWait(Topics.COMMAND_RESULTS, commandId, JobsAvro.result(commandId, outcome, FRAMEWORK_ID, now));
  }

  private void scheduleWakeUp(Optional<Instant> at) {
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
    }
    at.ifPresent(when -> wakeUp = timer.schedule(() -> {
      synchronized (lock) {
        plan(List.of());
      }
    }, Math.max(0, Duration.between(clock.instant(), when).toMillis()), TimeUnit.MILLISECONDS));
  }
}
