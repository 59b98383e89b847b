package dev.kos.agent;

import dev.kos.agent.checkpoint.CheckpointStore;
import dev.kos.agent.checkpoint.TaskCheckpoint;
import dev.kos.agent.container.ContainerRuntime;
import dev.kos.agent.fetch.ArtifactFetcher;
import dev.kos.agent.exec.AgentContext;
import dev.kos.agent.exec.ClasspathMirror;
import dev.kos.agent.exec.LeaseRenewer;
import dev.kos.agent.exec.TaskSupervisor;
import dev.kos.agent.exec.TaskUser;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.exec.WorkDirModes;
import dev.kos.agent.limits.KillMethod;
import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.limits.Limits;
import dev.kos.agent.limits.TaskCgroups;
import dev.kos.agent.limits.UsageSampler;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.outbound.LogSink;
import dev.kos.agent.outbound.StatusSink;
import dev.kos.agent.resources.ResourceLedger;
import dev.kos.agent.volumes.VolumeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local machinery, as the Kafka shell sees it. Inbound: {@link #launch}, {@link #kill},
 * {@link #createVolume}, {@link #destroyVolume}, {@link #recover}, {@link #reconcile}; outbound:
 * the {@link StatusSink} and {@link LogSink} given at start, and {@link #sampleUsage} for
 * kos.metrics. No inbound call throws for bad input: it answers with an ERROR/FAILED status or a
 * refused {@link VolumeResult}.
 */
public final class AgentExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentExecutor.class);
  private static final int SCHEDULER_THREADS = 4;

  private final AgentConfig config;
  private final AgentContext context;
  private final Map<String, TaskSupervisor> tasks = new ConcurrentHashMap<>();
  /** Null when the lease is off. */
  private final LeaseRenewer lease;

  private AgentExecutor(AgentConfig config, AgentContext context, LeaseRenewer lease) {
    this.config = config;
    this.context = context;
    this.lease = lease;
  }

  /** Starts the agent's background work (log shipping, watchdog); call {@link #recover} next. */
  public static AgentExecutor start(AgentConfig config, Clock clock, StatusSink statuses, LogSink logs) {
    return start(config, clock, statuses, logs, new CheckpointStore(config.checkpoints()));
  }

  /** As {@link #start(AgentConfig, Clock, StatusSink, LogSink)}, with checkpoints kept by {@code checkpoints}. */
  public static AgentExecutor start(AgentConfig config, Clock clock, StatusSink statuses, LogSink logs,
      CheckpointStore checkpoints) {
    TaskUsers taskUsers = taskUsers(config);
    try {
      WorkDirModes.apply(config.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare work dir " + config.workDir(), e);
    }
    if (taskUsers.switches()) {
      WorkDirModes.closedAncestor(config.workDir()).ifPresent(closed -> {
        throw new IllegalStateException("agent " + config.agentId() + " cannot start: its tasks run as "
            + taskUsers.defaultUserName() + ", who cannot reach its work dir " + config.workDir() + " ("
            + closed + ": no other user may pass through it); give a --work-dir outside it, e.g. /var/lib/kos, or use "
            + "--task-user " + TaskUsers.AGENT);
      });
    }
    Limits limits = Limits.detect(config.cgroupScope(), config.cgroupMount(), config.allowCgroups());
    log.info("agent {} enforces limits with {} and kills tasks by {}{}", config.agentId(),
        limits.enforcement().label(), limits.killMethod().label(),
        limits.taskCgroups().map(cgroups -> " (task cgroups " + cgroups.describe() + ")").orElse(""));
    if (limits.killMethod() == KillMethod.PROCESS_GROUP) {
      log.warn("agent {} has no usable cgroup: a task process that leaves its process group (setsid, a double "
          + "fork) survives the task's kill", config.agentId());
    }
    // Renewed before any checkpointed task is looked at: a restarted agent takes its tasks over before they lapse.
    LeaseRenewer lease = config.taskLease().enabled()
        ? LeaseRenewer.start(config.agentId(), config.leaseFile(), config.taskLease())
        : null;
    log.info("agent {} task lease: {}{}", config.agentId(), config.taskLease().describe(),
        lease == null ? "" : " (" + config.leaseFile() + ")");
    AgentContext context = new AgentContext(config.agentId(), config.sandboxes(), clock, scheduler(config.agentId()),
        statuses, logs, new ResourceLedger(config.resources()), new VolumeStore(config.volumes(), clock),
        checkpoints, limits, new UsageSampler(clock), System.getenv(),
        config.stderrTailLines(), new AtomicBoolean(), config.leaseFile(), config.taskLease(),
        ContainerRuntime.detect(config.workDir(), config.cgroupScope(), config.allowContainers()),
        new ArtifactFetcher(config.artifacts(), config.fetch(), clock), taskUsers,
        ClasspathMirror.ofThisJvm(config.workDir()));
    log.info("agent {} runs {}; tasks that name no user run as {}", config.agentId(),
        context.containers().map(runtime -> "containers with " + runtime.name() + " beside processes")
            .orElse("processes only"), taskUsers.switches() ? taskUsers.defaultUserName()
            : taskUsers.agentUser() + " (the agent's own user)");
    AgentExecutor executor = new AgentExecutor(config, context, lease);
    executor.every(config.logPollInterval().toMillis(), executor::shipLogs);
    executor.every(config.monitorInterval().toMillis(), executor::enforceMemory);
    return executor;
  }

  /**
   * The agent's task users, from its {@code --task-user} setting; a setting this agent cannot honour (a user the host
   * does not know, another user on an agent that is not root) stops it from starting, with the reason in one line.
   */
  private static TaskUsers taskUsers(AgentConfig config) {
    String agentUser = System.getProperty("user.name");
    TaskUsers users;
    try {
      users = TaskUsers.of(config.taskUser(), agentUser, runsAsRoot());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("agent " + config.agentId() + " cannot start: " + e.getMessage(), e);
    }
    if (users.switches()) {
      try {
        TaskUser.lookup(users.defaultUserName());
      } catch (IOException e) {
        throw new IllegalStateException("agent " + config.agentId() + " cannot start: --task-user "
            + users.defaultUserName() + ": " + e.getMessage(), e);
      }
    }
    return users;
  }

  private static boolean runsAsRoot() {
    try {
      return ((Number) Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Which host user each task runs as on this agent. */
  public TaskUsers taskUsers() {
    return context.taskUsers();
  }

  /** Launches a task; a task id this agent already knows is not launched again, its latest status is returned. */
  public StatusUpdate launch(TaskSpec task) {
    TaskSupervisor fresh = TaskSupervisor.staging(context, task);
    TaskSupervisor known = tasks.putIfAbsent(task.taskId(), fresh);
    if (known != null) {
      log.info("task {} is already known here; not launching it again", task.taskId());
      return known.latestStatus();
    }
    return fresh.launch();
  }

  /**
   * Answers a launch that could not be read into a task (bad id, volume, health check or resources)
   * with an ERROR status, so that whoever holds resources for it lets them go. A task id this agent
   * already has is not answered: an ERROR would end the task that runs under that id.
   */
  public Optional<StatusUpdate> refuse(TaskRef task, String reason) {
    TaskSupervisor known = tasks.get(task.taskId());
    if (known != null) {
      log.warn("a launch of task {} cannot be carried out ({}); task {} is already known here and stays {}",
          task.taskId(), reason, task.taskId(), known.latestStatus().state());
      return Optional.empty();
    }
    StatusUpdate error = new StatusUpdate(task.taskId(), task.frameworkId(), task.appId(), TaskState.ERROR, reason,
        null, null, null, context.limits().enforcement().label(), context.clock().instant());
    log.warn("task '{}' is {}: {}", task.taskId(), TaskState.ERROR, reason);
    context.statuses().publish(error);
    return Optional.of(error);
  }

  /** Kills a task; an unknown task id is answered with a LOST status saying so. */
  public StatusUpdate kill(KillRequest request) {
    TaskSupervisor supervisor = tasks.get(request.taskId());
    if (supervisor == null) {
      StatusUpdate unknown = unknown(request.taskId(), request.frameworkId());
      context.statuses().publish(unknown);
      return unknown;
    }
    supervisor.kill(request);
    return supervisor.latestStatus();
  }

  public VolumeResult createVolume(VolumeSpec volume) {
    return context.volumes().create(volume);
  }

  public VolumeResult destroyVolume(String persistenceId, String role) {
    return context.volumes().destroy(persistenceId, role);
  }

  /**
   * Reads the checkpoints a previous run left: re-attaches tasks whose process still lives (same
   * pid and start time), and reports those that ended meanwhile from their recorded exit code
   * (LOST without one). Returns the current status of every task it found.
   */
  public List<StatusUpdate> recover() {
    List<StatusUpdate> found = new ArrayList<>();
    for (TaskCheckpoint checkpoint : context.checkpoints().loadAll()) {
      TaskSupervisor supervisor = TaskSupervisor.fromCheckpoint(context, checkpoint);
      if (tasks.putIfAbsent(checkpoint.task().taskId(), supervisor) == null) {
        supervisor.recover(checkpoint.pid());
        found.add(supervisor.latestStatus());
      }
    }
    log.info("recovered {} task(s) from checkpoints", found.size());
    removeStaleCgroups();
    removeStaleContainers();
    return found;
  }

  /** As {@link #removeStaleCgroups}, for the containers in this agent's runc state. */
  private void removeStaleContainers() {
    context.containers().ifPresent(runtime -> {
      List<String> live = tasks.entrySet().stream()
          .filter(task -> !task.getValue().latestStatus().state().terminal())
          .map(Map.Entry::getKey)
          .toList();
      try {
        runtime.removeStale(live);
      } catch (IOException e) {
        log.error("could not remove stale containers: {}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * Kills and removes the cgroups of this agent that hold no live task: left by a run that ended
   * without cleaning up, or by a task whose checkpoint was lost. Called once the checkpointed tasks
   * are recovered, so that a live recovered task keeps its processes.
   */
  private void removeStaleCgroups() {
    context.limits().taskCgroups().ifPresent(cgroups -> {
      for (String taskId : cgroups.taskIds()) {
        TaskSupervisor known = tasks.get(taskId);
        if (known == null || known.latestStatus().state().terminal()) {
          List<Long> pids = cgroups.pids(taskId);
          log.warn("removing the stale cgroup of task {}{}", taskId, pids.isEmpty() ? "" : ", killing " + pids);
          cgroups.killAll(taskId);
          cgroups.remove(taskId);
        }
      }
    });
  }

  /** The latest status of each task id; all known tasks when {@code taskIds} is empty. */
  public List<StatusUpdate> reconcile(Collection<String> taskIds, String frameworkId) {
    if (taskIds.isEmpty()) {
      return tasks.values().stream().map(TaskSupervisor::latestStatus).toList();
    }
    return taskIds.stream()
        .map(id -> Optional.ofNullable(tasks.get(id))
            .map(TaskSupervisor::latestStatus)
            .orElseGet(() -> unknown(id, frameworkId)))
        .toList();
  }

  /** CPU time and RSS of every task with a live process, for kos.metrics. */
  public List<TaskUsage> sampleUsage() {
    return tasks.values().stream().flatMap(task -> task.usage().stream()).toList();
  }

  public LimitEnforcement limitEnforcement() {
    return context.limits().enforcement();
  }

  /** How container tasks run here ({@code runc}); empty where they cannot. */
  public Optional<ContainerRuntime> containers() {
    return context.containers();
  }

  /** How this agent kills all of a task's processes. */
  public KillMethod killMethod() {
    return context.limits().killMethod();
  }

  public ResourceSet totalResources() {
    return context.ledger().total();
  }

  public ResourceSet usedResources() {
    return context.ledger().used();
  }

  /**
   * Stops the agent's own threads and leaves tasks running, as a crash would: a new executor on
   * the same work dir recovers them. Nothing is reported after this. The task lease is no longer
   * renewed either: with a lease, the tasks end once it lapses unless a new executor takes over first.
   */
  @Override
  public void close() {
    if (lease != null) {
      lease.close();
    }
    context.stopped().set(true);
    context.scheduler().shutdownNow();
    context.fetcher().close();
    context.limits().taskCgroups().ifPresent(TaskCgroups::release);
    log.info("agent {} stopped; {} task(s) left for recovery", config.agentId(), tasks.size());
  }

  private void shipLogs() {
    tasks.values().forEach(TaskSupervisor::shipLogs);
  }

  private void enforceMemory() {
    tasks.values().forEach(TaskSupervisor::enforceMemory);
  }

  private StatusUpdate unknown(String taskId, String frameworkId) {
    return new StatusUpdate(taskId, frameworkId, null, TaskState.LOST, "task " + taskId
        + " is not known on agent " + config.agentId(), null, null, null,
        context.limits().enforcement().label(), context.clock().instant());
  }

  /** Background rounds must survive a bad round: an exception would cancel all later ones. */
  private void every(long millis, Runnable round) {
    context.scheduler().scheduleWithFixedDelay(() -> {
      try {
        round.run();
      } catch (RuntimeException e) {
        log.error("agent background round failed", e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  private static ScheduledExecutorService scheduler(String agentId) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newScheduledThreadPool(SCHEDULER_THREADS, runnable -> {
      Thread thread = new Thread(runnable, "kos-agent-" + agentId + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }
}
