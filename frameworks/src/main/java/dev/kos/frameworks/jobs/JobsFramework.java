package dev.kos.frameworks.jobs;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.framework.FrameworkRuntime;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.jobs.core.ClusterCapacity;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobDecision;
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
import dev.kos.schema.CommandResult;
import dev.kos.schema.JobState;
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
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs framework: {@link JobsCore} on a {@link FrameworkRuntime}, registered as {@value #FRAMEWORK_ID} in one
 * low-priority role. The runtime takes run-job commands from {@code kos.commands} (group {@value #GROUP}) and
 * answers on {@code kos.command-results}; a reader of {@code kos.agents} and {@code kos.roles} lets the core
 * explain a wait the allocator causes. Every change of a job goes to {@code kos.jobs}, written before the framework
 * acts on it and in one transaction with the answer to the command that caused it, so a restarted framework resumes
 * (reconciling the tasks it had launched) and runs a submitted job once; users are told in words on
 * {@code kos.status}. Every plan answers all offers it was given, so no offer is held between plans.
 */
public final class JobsFramework implements FrameworkRuntime.Framework<JobState>, AutoCloseable {

  public static final String FRAMEWORK_ID = "jobs";
  public static final String ROLE = "jobs";
  public static final String GROUP = "kos-jobs";
  /** Agent reports older than this are from agents that are gone (the allocator's agent timeout is shorter). */
  static final Duration REPORT_MAX_AGE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(JobsFramework.class);

  private final ControlBus bus;
  private final JobsCore core;
  private final Clock clock;
  private final FrameworkRuntime<JobState> runtime;
  /** Each job as last written to {@code kos.jobs}. */
  private final Map<String, Job> written = new HashMap<>();
  private Map<String, Job> jobs = Map.of();
  private ClusterCapacity cluster = ClusterCapacity.empty(REPORT_MAX_AGE);

  public JobsFramework(ControlBus bus, String role, JobsConfig config, Clock clock) {
    this.bus = bus;
    this.core = new JobsCore(config, role);
    this.clock = clock;
    this.runtime = new FrameworkRuntime<>(bus, FrameworkSettings.of(FRAMEWORK_ID, role), GROUP, Topics.JOBS, clock,
        LoopSupervisor.forProcess());
  }

  /** Checks each command's principal against {@code policy} (call before starting). */
  public JobsFramework authorizing(AccessPolicy policy) {
    runtime.authorizing(policy, Answerer.JOBS_FRAMEWORK);
    return this;
  }

  /** Resumes the jobs of {@code kos.jobs}, registers, and starts taking commands; returns once registered. */
  public JobsFramework start() {
    runtime.takeOver(this);
    runtime.register();
    runtime.supervise("cluster", new BusConsumerLoop<SpecificRecord>(bus, null,
        "framework-" + FRAMEWORK_ID + "-cluster", Subscription.partitions(clusterPartitions(), false),
        this::decodeCluster, record -> runtime.locked(() -> onClusterRecord(record)), runtime.deadLetters()));
    return this;
  }

  /** The jobs as the framework knows them now. */
  public Map<String, Job> jobs() {
    return runtime.read(() -> jobs);
  }

  /** Completes, with the reason, once another instance took over and this one stopped acting. */
  public CompletableFuture<String> replaced() {
    return runtime.replaced();
  }

  @Override
  public void restore(Map<String, JobState> state) {
    state.forEach((id, record) -> written.put(id, JobsAvro.job(record)));
    jobs = Map.copyOf(written);
    log.info("jobs framework resumes {} job(s)", jobs.size());
  }

  @Override
  public void registered(SchedulerDriver driver) {
    List<String> onAgents = jobs.values().stream().flatMap(job -> job.current().stream())
        .filter(run -> run.state().onAgent()).flatMap(run -> run.taskId().stream()).toList();
    if (!onAgents.isEmpty()) {
      log.info("reconciling {} task(s) launched before a restart", onAgents.size());
      driver.reconcile(onAgents);
    }
    plan(List.of());
  }

  @Override
  public void offers(List<OfferView> offers) {
    plan(offers);
  }

  @Override
  public void statusUpdate(TaskStatusUpdate status) {
    apply(core.afterStatus(jobs, TaskUpdate.of(status), clock.instant()));
    plan(List.of());
  }

  @Override
  public void wakeUp() {
    plan(List.of());
  }

  @Override
  public Optional<CommandResult> command(Command command, Instant now) {
    Optional<JobDefinition> job = JobsAvro.command(command);
    if (job.isEmpty()) {
      return Optional.empty();
    }
    String commandId = command.getCommandId();
    Submitted outcome = core.submit(jobs, job.get(), now);
    if (outcome instanceof Submitted.Accepted accepted) {
      log.info("command {} accepted: job {}", commandId, job.get().id());
      apply(accepted.step());
      plan(List.of());
    } else {
      log.info("command {} rejected: {}", commandId, ((Submitted.Rejected) outcome).reason());
    }
    return Optional.of(JobsAvro.result(commandId, outcome, FRAMEWORK_ID, now));
  }

  @Override
  public Map<String, JobState> stateChanges() {
    Instant now = clock.instant();
    Map<String, JobState> changes = new LinkedHashMap<>();
    jobs.values().stream().filter(job -> !job.equals(written.get(job.id())))
        .forEach(job -> changes.put(job.id(), JobsAvro.state(job, now)));
    return changes;
  }

  @Override
  public void stateCommitted(Map<String, JobState> changes) {
    changes.keySet().forEach(id -> written.put(id, jobs.get(id)));
  }

  @Override
  public void close() throws InterruptedException {
    runtime.close();
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

  /**
   * Plans with {@code offers} and carries the plan out: the jobs as the plan leaves them are written first, so a
   * framework restarted a moment later knows every task it may have launched.
   */
  private void plan(List<OfferView> offers) {
    Instant now = clock.instant();
    Step step = core.plan(jobs, offers, cluster, now);
    apply(step);
    if (!step.decisions().isEmpty() && !runtime.saveNow()) {
      return; // replaced: the instance in charge now answers these offers
    }
    Map<String, List<TaskSpec>> launches = new LinkedHashMap<>();
    for (JobDecision decision : step.decisions()) {
      if (decision instanceof JobDecision.Launch launch) {
        launches.computeIfAbsent(launch.offerId(), id -> new ArrayList<>()).add(JobsAvro.task(launch, FRAMEWORK_ID));
      } else if (decision instanceof JobDecision.Kill kill) {
        log.info("killing {} on {}: {}", kill.taskId(), kill.agentId(), kill.reason());
        runtime.driver().killTask(kill.agentId(), kill.taskId());
      } else if (decision instanceof JobDecision.Decline decline) {
        decline(decline);
      }
    }
    launches.forEach((offerId, tasks) -> {
      try {
        runtime.driver().accept(List.of(offerId), List.of(new Operation.Launch(tasks)));
      } catch (IllegalArgumentException e) {
        log.warn("could not launch {} on offer {}: {}", tasks.stream().map(TaskSpec::taskId).toList(), offerId,
            e.getMessage());
        tasks.forEach(task -> apply(core.afterStatus(jobs, new TaskUpdate(task.taskId(), "", TaskState.DROPPED,
            "offer " + offerId + " was gone"), now)));
      }
    });
    runtime.wantOffers(core.wantsOffers(jobs, now));
    runtime.wakeUpAt(core.wakeUpAt(jobs, now));
  }

  private void decline(JobDecision.Decline decline) {
    try {
      runtime.driver().decline(decline.offerId(), decline.refuse());
    } catch (IllegalArgumentException e) {
      log.debug("offer {} was gone before its decline: {}", decline.offerId(), e.getMessage());
    }
  }

  /** Takes the step's jobs (the runtime writes the changed ones) and tells users of its events. */
  private void apply(Step step) {
    Instant now = clock.instant();
    jobs = step.jobs();
    for (JobEvent event : step.events()) {
      log.info("{} {}: {}", event.kind(), event.jobId(), event.message());
      runtime.publishEvent(Topics.STATUS, event.jobId(), JobsAvro.event(event, FRAMEWORK_ID, now));
    }
  }
}
