package dev.kos.agent.exec;

import dev.kos.agent.checkpoint.CheckpointWriteException;
import dev.kos.agent.checkpoint.TaskCheckpoint;
import dev.kos.agent.container.ContainerRuntime;
import dev.kos.agent.container.OomWatch;
import dev.kos.agent.container.RuncContainer;
import dev.kos.agent.fetch.ArtifactFetcher;
import dev.kos.agent.fetch.FetchException;
import dev.kos.agent.health.HealthCheckRunner;
import dev.kos.agent.health.HealthProbes;
import dev.kos.agent.image.ImageCache;
import dev.kos.agent.image.ImageException;
import dev.kos.agent.lifecycle.LifecycleEvent;
import dev.kos.agent.lifecycle.LifecycleEvent.CheckpointFailed;
import dev.kos.agent.lifecycle.LifecycleEvent.Exited;
import dev.kos.agent.lifecycle.LifecycleEvent.GraceExpired;
import dev.kos.agent.lifecycle.LifecycleEvent.HealthChanged;
import dev.kos.agent.lifecycle.LifecycleEvent.KillRequested;
import dev.kos.agent.lifecycle.LifecycleEvent.LaunchFailed;
import dev.kos.agent.lifecycle.LifecycleEvent.LeaseExpired;
import dev.kos.agent.lifecycle.LifecycleEvent.LimitExceeded;
import dev.kos.agent.lifecycle.LifecycleEvent.Lost;
import dev.kos.agent.lifecycle.LifecycleEvent.Rejected;
import dev.kos.agent.lifecycle.LifecycleEvent.Started;
import dev.kos.agent.lifecycle.LifecycleEvent.Starting;
import dev.kos.agent.lifecycle.SideEffect;
import dev.kos.agent.lifecycle.SideEffect.Cleanup;
import dev.kos.agent.lifecycle.SideEffect.ReportStatus;
import dev.kos.agent.lifecycle.SideEffect.ScheduleSigkill;
import dev.kos.agent.lifecycle.SideEffect.SendSigkill;
import dev.kos.agent.lifecycle.SideEffect.SendSigterm;
import dev.kos.agent.lifecycle.TaskLifecycle;
import dev.kos.agent.lifecycle.Transition;
import dev.kos.agent.limits.CgroupV2;
import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.limits.MemoryWatchdog;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.process.ProcessTree;
import dev.kos.agent.volumes.VolumeRefused;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around one task's {@link TaskLifecycle}: feeds it events (launch, exit, kill, health,
 * limits) and carries out the side effects it returns. All state changes happen under this
 * object's lock, so events from the exit watcher, timers and the inbound API are serialised.
 */
public final class TaskSupervisor {
  private static final Logger log = LoggerFactory.getLogger(TaskSupervisor.class);

  private final AgentContext context;
  private final TaskSpec task;
  private final Sandbox sandbox;
  private final LogTailer tailer;
  private TaskLifecycle lifecycle;
  private StatusUpdate lastStatus;
  private ProcessHandle process;
  private Instant processStart;
  /** The wrapper's pid, which is also its process group's id when it runs under setsid. */
  private Long processGroup;
  private Process child;
  /** The task's container, for a container task once it started; its {@code runc run} is {@link #process}. */
  private RuncContainer container;
  /** The OOM watch of a container task this agent recovered after a restart ({@link #container} is null then). */
  private OomWatch recoveredOom;
  private HealthCheckRunner health;
  private ScheduledFuture<?> pendingSigkill;
  /** Whether a checkpoint with the task's running process was written: a restarted agent would find it. */
  private boolean processRecorded;

  private TaskSupervisor(AgentContext context, TaskSpec task, Sandbox sandbox, TaskLifecycle lifecycle,
      StatusUpdate lastStatus) {
    this.context = context;
    this.task = task;
    this.sandbox = sandbox;
    this.lifecycle = lifecycle;
    this.lastStatus = lastStatus;
    this.tailer = new LogTailer(TaskRef.of(task), sandbox, context.logs(), context.clock());
  }

  public static TaskSupervisor staging(AgentContext context, TaskSpec task) {
    Sandbox sandbox = new Sandbox(context.sandboxRoot().resolve(task.taskId()));
    TaskSupervisor supervisor = new TaskSupervisor(context, task, sandbox, TaskLifecycle.staging(), null);
    supervisor.lastStatus = supervisor.status(new ReportStatus(TaskState.STAGING, null, null, null));
    return supervisor;
  }

  public static TaskSupervisor fromCheckpoint(AgentContext context, TaskCheckpoint checkpoint) {
    TaskSupervisor supervisor = new TaskSupervisor(context, checkpoint.task(),
        new Sandbox(Path.of(checkpoint.sandbox())), checkpoint.lifecycle(), checkpoint.lastStatus());
    supervisor.processStart = checkpoint.processStart();
    supervisor.processRecorded = checkpoint.pid() != null;
    return supervisor;
  }

  /** Validates, reserves, starts; every failure ends as an ERROR or FAILED status, never an exception. */
  public synchronized StatusUpdate launch() {
    if (lifecycle.state() != TaskState.STAGING) {
      // Killed before it was launched: nothing to reserve or start.
      return lastStatus;
    }
    try {
      Optional<String> problem = TaskValidator.problem(task)
          .or(() -> context.ledger().reserve(task.taskId(), task.resources()));
      if (problem.isPresent()) {
        fire(new Rejected(problem.get()));
        return lastStatus;
      }
      Map<VolumeSpec, Path> volumes;
      try {
        volumes = context.volumes().claim(task.taskId(), task.volumes());
      } catch (VolumeRefused refused) {
        fire(new Rejected(refused.getMessage()));
        return lastStatus;
      }
      fire(new Starting());
      if (lifecycle.state() != TaskState.STARTING) {
        // Failed on the way (its checkpoint could not be written): it must not start.
        return lastStatus;
      }
      if (task.command().artifacts().isEmpty()) {
        startProcess(volumes);
      } else {
        fetchArtifacts(volumes);
      }
    } catch (RuntimeException e) {
      log.error("launching task {} failed unexpectedly", task.taskId(), e);
      fire(new LaunchFailed("the agent could not launch the task: " + e));
    }
    return lastStatus;
  }

  /**
   * Fetches the task's artifacts into its sandbox off this thread (see {@link ArtifactFetcher}), then starts it;
   * the task stays STARTING meanwhile, and a kill then ends it without ever starting it.
   */
  private void fetchArtifacts(Map<VolumeSpec, Path> volumes) {
    Optional<ArtifactFetcher.Owner> owner;
    try {
      owner = task.inContainer() ? Optional.empty()
          : processUser().map(user -> new ArtifactFetcher.Owner(user.uid(), user.gid()));
    } catch (IOException e) {
      fire(new LaunchFailed("cannot start the task's process: " + e.getMessage()));
      return;
    }
    context.fetcher().fetch(task.taskId(), task.command().artifacts(), sandbox.dir(), owner)
        .whenComplete((done, failure) -> startFetched(volumes, failure));
  }

  private synchronized void startFetched(Map<VolumeSpec, Path> volumes, Throwable failure) {
    if (!mayStartAfter(failure, cause -> cause instanceof FetchException
        ? "cannot fetch the task's artifacts: " + cause.getMessage()
        : "the agent could not fetch the task's artifacts: " + cause)) {
      return;
    }
    try {
      startProcess(volumes);
    } catch (RuntimeException e) {
      log.error("starting task {} failed unexpectedly", task.taskId(), e);
      fire(new LaunchFailed("the agent could not launch the task: " + e));
    }
  }

  /**
   * After a step that ran off the placement thread (fetching artifacts, unpacking an image): whether the task goes
   * on starting. It does not when the agent stopped (a restarted one reports the task LOST: no process on record)
   * or the task ended meanwhile; killed meanwhile, it ends as killed without ever starting; a failed step fails it
   * with {@code reason} of the step's exception.
   */
  private boolean mayStartAfter(Throwable failure, java.util.function.Function<Throwable, String> reason) {
    if (context.stopped().get() || lifecycle.state() != TaskState.STARTING) {
      return false;
    }
    if (lifecycle.killing()) {
      fire(new Exited(null, null, null));
      return false;
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      fire(new LaunchFailed(reason.apply(cause)));
      return false;
    }
    return true;
  }

  /**
   * The host user this process task runs as: its own, else the agent's default task user ({@link TaskUsers});
   * empty for the agent's own user. Throws with the reason when that user cannot be used here.
   */
  private Optional<TaskUser> processUser() throws IOException {
    Optional<String> name;
    try {
      name = context.taskUsers().processUser(task.command().user());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    return name.isEmpty() ? Optional.empty() : Optional.of(TaskUser.lookup(name.get()));
  }

  private void startProcess(Map<VolumeSpec, Path> volumes) {
    if (task.inContainer()) {
      startContainer(volumes);
      return;
    }
    Map<String, String> env = environment(volumes);
    try {
      child = TaskLauncher.start(task, processUser(), context.classpath(), sandbox, volumes, env,
          context.limits().taskCgroups().orElse(null), context.agentId(), context.leaseFile(), context.taskLease());
    } catch (IOException e) {
      fire(new LaunchFailed("cannot start the task's process: " + e.getMessage()));
      return;
    }
    process = child.toHandle();
    processStart = process.info().startInstant().orElse(null);
    processGroup = process.pid();
    fire(new Started());
    startHealthChecks(env);
    child.onExit().thenRun(this::onProcessExit);
  }

  /**
   * Runs the task's image with the agent's container runtime. Its {@code runc run} stands where a process task's
   * wrapper does: the task's process, whose exit is the container's; kills go through {@code runc kill}. The image
   * is unpacked off this thread (see {@link ContainerRuntime#unpack}); the task stays STARTING meanwhile.
   */
  private void startContainer(Map<VolumeSpec, Path> volumes) {
    Optional<ContainerRuntime> runtime = context.containers();
    if (runtime.isEmpty()) {
      fire(new LaunchFailed(ContainerRuntime.UNAVAILABLE));
      return;
    }
    runtime.get().unpack(task.container())
        .whenComplete((image, failure) -> startUnpacked(runtime.get(), volumes, image, failure));
  }

  /**
   * The uid and gid a container task runs as when its image names no user: the agent's default task user's, or
   * the container's root when tasks run as the agent's root.
   */
  private long[] containerUser() throws IOException {
    Optional<String> name = context.taskUsers().containerUser();
    if (name.isEmpty()) {
      return new long[] {0, 0};
    }
    TaskUser user = TaskUser.lookup(name.get());
    return new long[] {user.uid(), user.gid()};
  }

  private synchronized void startUnpacked(ContainerRuntime runtime, Map<VolumeSpec, Path> volumes,
      ImageCache.Unpacked image, Throwable failure) {
    if (!mayStartAfter(failure, cause -> cause instanceof ImageException ? cause.getMessage()
        : "cannot unpack the task's image: " + cause)) {
      return;
    }
    Map<String, String> env = TaskEnvironment.forContainer(context.agentId(), task, volumes.keySet());
    try {
      sandbox.create();
      WrapperScript.writeInto(sandbox);
      // Under the wrapper, as a process task: its exit code reaches a restarted agent through the sandbox, and
      // with a task lease the container ends once this agent stops renewing it.
      container = runtime.start(task, image, sandbox.dir(), volumes, sandbox.meta().resolve("bundle"),
          sandbox.stdout(), sandbox.stderr(), env, containerUser(), (killOutside, run) -> WrapperScript.commandLine(
              sandbox, null, context.agentId(), context.leaseFile(), context.taskLease(), killOutside, run));
    } catch (ImageException e) {
      fire(new LaunchFailed(e.getMessage()));
      return;
    } catch (IOException e) {
      fire(new LaunchFailed("cannot start the task's container: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      log.error("starting task {}'s container failed unexpectedly", task.taskId(), e);
      fire(new LaunchFailed("the agent could not start the task's container: " + e));
      return;
    }
    process = container.handle();
    processStart = process.info().startInstant().orElse(null);
    fire(new Started());
    startHealthChecks(env);
    process.onExit().thenRun(this::onProcessExit);
  }

  /** Picks up a checkpointed task after an agent restart: re-attach if its process lives, else settle how it ended. */
  public synchronized void recover(Long pid) {
    if (lifecycle.state().terminal()) {
      return;
    }
    if (pid == null) {
      fire(new Lost("the agent stopped before the task's process started"));
      return;
    }
    Optional<ProcessHandle> live = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().startInstant().equals(Optional.ofNullable(processStart)));
    if (live.isEmpty()) {
      onProcessExit();
      return;
    }
    process = live.get();
    // Only a live, verified wrapper's pid names our group: a dead one's may have been reused.
    processGroup = pid;
    context.ledger().reserve(task.taskId(), task.resources())
        .ifPresent(problem -> log.warn("recovered task {} does not fit any more: {}", task.taskId(), problem));
    Map<VolumeSpec, Path> volumes = reclaimVolumes();
    log.info("re-attached task {} (pid {})", task.taskId(), pid);
    if (task.inContainer()) {
      // The watch of the agent that started the container went with it.
      recoveredOom = context.containers().map(runtime -> runtime.watchOom(task.taskId(), live.get())).orElse(null);
    }
    if (context.taskLease().enabled() && !WrapperScript.watchesLease(sandbox)) {
      log.warn("task {} was started by an agent without a task lease and keeps the wrapper it started with: it "
          + "does not end by itself when this agent stops", task.taskId());
    }
    if (lifecycle.killing()) {
      // The kill's grace period was lost with the old agent: finish the kill now.
      fire(new GraceExpired());
    }
    startHealthChecks(environment(volumes));
    process.onExit().thenRun(this::onProcessExit);
  }

  public synchronized void kill(KillRequest request) {
    fire(new KillRequested(request.gracePeriod()));
    if (process == null && lifecycle.state() == TaskState.STARTING && lifecycle.killing()) {
      // Its artifacts are still being fetched or its image unpacked: nothing runs yet that a signal could end, so
      // the kill ends the task now, and the fetch or unpack, once done, starts nothing (see startFetched,
      // startUnpacked).
      fire(new Exited(null, null, null));
    }
  }

  public synchronized StatusUpdate latestStatus() {
    return lastStatus;
  }

  public synchronized boolean running() {
    return process != null && !lifecycle.state().terminal();
  }

  /**
   * The task's current usage, if it has a live process: a process task's process tree, a container task's
   * container as its cgroups count it (which leaves out the {@code runc run} and wrapper around it). Sampled
   * outside this object's lock: asking runc takes a process start, which must not hold up a kill or an exit.
   */
  public Optional<TaskUsage> usage() {
    ProcessHandle live;
    synchronized (this) {
      live = running() ? process : null;
    }
    if (live == null) {
      return Optional.empty();
    }
    if (!task.inContainer()) {
      return Optional.of(context.usage().sample(TaskRef.of(task), live));
    }
    return context.containers().flatMap(runtime -> {
      try {
        return runtime.usage(task.taskId());
      } catch (IOException e) {
        log.warn("task {}: no usage sample: {}", task.taskId(), e.getMessage());
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }).map(used -> new TaskUsage(TaskRef.of(task), Duration.ofNanos(used.cpuNanos()), used.rssBytes(),
        used.processes(), context.clock().instant()));
  }

  /** One watchdog round: kill the task if it is over its memory. */
  public synchronized void enforceMemory() {
    // A container's memory limit is its cgroup's, which runc sets.
    if (context.limits().enforcement() != LimitEnforcement.WATCHDOG || lifecycle.killing() || task.inContainer()) {
      return;
    }
    usage().flatMap(sample -> MemoryWatchdog.violation(sample, task.resources().memMb()))
        .ifPresent(reason -> fire(new LimitExceeded(reason)));
  }

  /** Ships new output of a running task; a task that ended shipped everything in its cleanup. */
  public void shipLogs() {
    if (running()) {
      tailer.poll();
    }
  }

  private synchronized void onProcessExit() {
    Optional<String> leaseExpiry = sandbox.leaseExpiry();
    if (leaseExpiry.isPresent()) {
      fire(new LeaseExpired(leaseExpiry.get()));
      return;
    }
    if (container != null || recoveredOom != null) {
      onContainerExit();
      return;
    }
    Integer exitCode = sandbox.recordedExitCode().orElseGet(() -> child == null ? null : child.exitValue());
    String violation = context.limits().cgroup()
        .flatMap(cgroup -> cgroup.memoryViolation(task.taskId(), task.resources().memMb()))
        .orElse(null);
    fire(new Exited(exitCode, sandbox.stderrTail(context.stderrTailLines()), violation));
  }

  /**
   * The container ended: its status, and whether the kernel OOM-killed it at its memory limit. A recovered
   * container's {@code runc run} is no child of this agent: its wrapper recorded the status in the sandbox.
   */
  private void onContainerExit() {
    RuncContainer.Exit exit;
    try {
      exit = container != null ? container.waitFor(Duration.ZERO).orElse(null)
          : new RuncContainer.Exit(sandbox.recordedExitCode().orElse(null), recoveredOom.oomKilled());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = null;
    }
    String violation = exit != null && exit.oomKilled()
        ? "OOM-killed: the container went over its memory limit of "
            + TaskEnvironment.number(task.resources().memMb()) + " MiB"
        : null;
    fire(new Exited(exit == null ? null : exit.status(), sandbox.stderrTail(context.stderrTailLines()), violation));
  }


  private synchronized void fire(LifecycleEvent event) {
    if (context.stopped().get()) {
      log.debug("agent stopped; ignoring {} for task {}", event, task.taskId());
      return;
    }
    TaskLifecycle before = lifecycle;
    Transition transition = before.on(event);
    lifecycle = transition.next();
    boolean checkpointed = false;
    Optional<LifecycleEvent> consequence = Optional.empty();
    for (SideEffect effect : transition.effects()) {
      if (effect instanceof ReportStatus report) {
        checkpointed = true;
        lastStatus = status(report);
        consequence = consequenceOf(checkpoint());
        if (consequence.isEmpty()) {
          publish(report);
        }
        // else: the task is being failed for it, and its terminal status follows instead.
      } else {
        execute(effect);
      }
    }
    if (!checkpointed && !lifecycle.equals(before)) {
      consequence = consequenceOf(checkpoint());
    }
    consequence.ifPresent(this::fire);
  }

  /** What a failed checkpoint means for this task: the event to fire when the lifecycle acts on it. */
  private Optional<LifecycleEvent> consequenceOf(Optional<String> checkpointFailure) {
    return checkpointFailure
        .map(reason -> (LifecycleEvent) new CheckpointFailed(reason, processRecorded))
        .filter(failed -> !lifecycle.on(failed).next().equals(lifecycle));
  }

  private void publish(ReportStatus report) {
    log.info("task {} is {}{}", task.taskId(), report.state(),
        report.message() == null ? "" : ": " + report.message());
    context.statuses().publish(lastStatus);
  }

  private void execute(SideEffect effect) {
    if (task.inContainer() && (effect instanceof SendSigterm || effect instanceof SendSigkill)) {
      // Every process of the container, through runc: they are in its namespaces and cgroup, not the agent's.
      signalContainer(effect instanceof SendSigterm ? "TERM" : "KILL");
    } else if (effect instanceof SendSigterm) {
      ifProcess(wrapper -> {
        ProcessTree.terminate(wrapper);
        // Members that left the tree (setsid, a double fork) get their chance to stop cleanly too.
        context.limits().taskCgroups().ifPresent(cgroups -> cgroups.pids(task.taskId()).stream()
            .filter(pid -> pid != wrapper.pid())
            .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy)));
      });
    } else if (effect instanceof ScheduleSigkill schedule) {
      pendingSigkill = context.scheduler().schedule(
          () -> fire(new GraceExpired()), schedule.after().toMillis(), TimeUnit.MILLISECONDS);
    } else if (effect instanceof SendSigkill) {
      ifProcess(wrapper -> {
        context.limits().taskCgroups().ifPresent(cgroups -> cgroups.killAll(task.taskId()));
        // Also the tree: a task recovered from an agent that did not use cgroups has none.
        ProcessTree.kill(wrapper);
      });
    } else if (effect instanceof Cleanup) {
      cleanup();
    }
  }

  /** By the container's id through runc: a recovered task's {@code runc run} is not this agent's child. */
  private void signalContainer(String signal) {
    try {
      if (context.containers().isPresent()) {
        context.containers().get().signal(task.taskId(), signal);
      }
    } catch (IOException e) {
      log.warn("task {}: runc kill {} failed: {}", task.taskId(), signal, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cleanup() {
    if (health != null) {
      health.stop();
    }
    if (task.inContainer() && context.containers().isPresent()) {
      // runc delete: what is left of the container goes, and so do its cgroups; runc list no longer names it.
      try {
        if (container != null) {
          container.close();
        } else {
          context.containers().get().remove(task.taskId());
        }
        if (recoveredOom != null) {
          recoveredOom.close();
        }
      } catch (IOException e) {
        log.error("task {}: its container could not be removed: {}", task.taskId(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (pendingSigkill != null) {
      pendingSigkill.cancel(false);
    }
    // Children the task left behind (daemonised, or orphaned by a kill) go with it: all of them
    // from its cgroup, and from its process group those that did not leave it.
    context.limits().taskCgroups().ifPresent(cgroups -> {
      if (!cgroups.killAll(task.taskId())) {
        log.error("task {}: processes {} survived their kill", task.taskId(), cgroups.pids(task.taskId()));
      }
    });
    if (processGroup != null) {
      ProcessTree.killGroup(processGroup);
    }
    tailer.flush();
    context.ledger().release(task.taskId());
    context.volumes().release(task.taskId());
    context.limits().taskCgroups().ifPresent(cgroups -> cgroups.remove(task.taskId()));
  }

  private void ifProcess(Consumer<ProcessHandle> action) {
    if (process != null) {
      action.accept(process);
    }
  }

  private void startHealthChecks(Map<String, String> env) {
    if (task.healthCheck() == null || lifecycle.state() != TaskState.RUNNING || lifecycle.killing()) {
      return;
    }
    List<String> runner;
    try {
      runner = task.inContainer() && context.containers().isPresent()
          ? context.containers().get().execCommand(task.taskId())
          : processUser().map(user -> user.commandLine(List.of())).orElse(List.of());
    } catch (IOException e) {
      log.warn("task {}: its health check does not run: {}", task.taskId(), e.getMessage());
      return;
    }
    var probe = HealthProbes.of(task.healthCheck(), task.resources().portList(), sandbox.dir(), env, runner);
    health = new HealthCheckRunner(task.taskId(), task.healthCheck(), probe, context.clock(),
        healthy -> fire(new HealthChanged(healthy)));
    health.start(context.scheduler());
  }

  private Map<VolumeSpec, Path> reclaimVolumes() {
    try {
      return context.volumes().claim(task.taskId(), task.volumes());
    } catch (VolumeRefused refused) {
      log.warn("recovered task {} cannot reclaim its volumes: {}", task.taskId(), refused.getMessage());
      return Map.of();
    }
  }

  private Map<String, String> environment(Map<VolumeSpec, Path> volumes) {
    return TaskEnvironment.build(context.agentId(), task, sandbox, volumes, context.agentEnv());
  }

  /** Writes the task's checkpoint; returns why it could not, if it could not. */
  private Optional<String> checkpoint() {
    Long pid = process == null ? null : process.pid();
    try {
      context.checkpoints().save(new TaskCheckpoint(task, sandbox.dir().toString(), pid, processStart,
          lifecycle, lastStatus));
      processRecorded |= pid != null;
      return Optional.empty();
    } catch (CheckpointWriteException e) {
      log.error("task {} ({}): {}", task.taskId(), lifecycle.state(), e.getMessage());
      if (lifecycle.state().terminal()) {
        // The checkpoint left behind still says the task runs: a restarted agent would report it
        // again (LOST, or FAILED from the exit code of its kill). Without one it reports nothing.
        context.checkpoints().forget(task.taskId());
      }
      return Optional.of(e.getMessage());
    }
  }

  private StatusUpdate status(ReportStatus report) {
    return new StatusUpdate(task.taskId(), task.frameworkId(), task.appId(), report.state(), report.message(),
        report.exitCode(), report.healthy(), task.resources(), context.limits().enforcement().label(),
        context.clock().instant());
  }
}
