package dev.kos.analytics.spark;

import dev.kos.analytics.spark.core.ExecutorPlan;
import dev.kos.analytics.spark.core.ExecutorSize;
import dev.kos.bus.framework.FrameworkRuntime;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.model.OfferView;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.CommandResult;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark application's executors as a kos framework: it takes offers while Spark wants more executors than are
 * running or on their way, launches each executor as a kos task of the application's role, kills those Spark
 * releases, and tells Spark ({@link Listener#executorEnded}) when one ends. Called by the {@link FrameworkRuntime}
 * with its lock held; the backend reaches it through {@link FrameworkRuntime#locked}.
 *
 * <p>Its state on {@code kos.spark-executors} is each executor's task as last known, written before the launch, so
 * an operator sees what a driver started; a driver does not restart (a new attempt is a new application), so
 * {@link #restore} has nothing to resume.
 */
final class ExecutorFramework implements FrameworkRuntime.Framework<TaskStatus> {

  /** Told when an executor's task ended, and why; Spark then reschedules its tasks. */
  interface Listener {
    void executorEnded(String executorId, TaskStatusUpdate status);
  }

  /** Builds the kos task that runs executor {@code executorId} on the offered agent. */
  interface Launcher {
    TaskSpec executorTask(String taskId, String executorId, OfferView offer);
  }

  private record Executor(String executorId, String taskId, String agentId, TaskState state) {
  }

  /** How long an offer this application cannot use stays away, when it still wants more executors. */
  private static final Duration REFUSE_WHILE_WANTING = Duration.ofSeconds(2);
  private static final Duration REFUSE_WHEN_SATISFIED = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(ExecutorFramework.class);

  private final String frameworkId;
  private final ExecutorSize size;
  private final Launcher launcher;
  private final Listener listener;
  private final int maxFailures;
  private final Clock clock;
  private FrameworkRuntime<TaskStatus> runtime;
  private final Map<String, Executor> executors = new LinkedHashMap<>();
  private final Map<String, TaskStatus> changed = new LinkedHashMap<>();
  private int target;
  private int nextExecutorId = 1;
  private int failures;
  private boolean stopped;

  ExecutorFramework(String frameworkId, ExecutorSize size, int initialTarget, int maxFailures, Launcher launcher,
      Listener listener, Clock clock) {
    this.frameworkId = frameworkId;
    this.size = size;
    this.target = initialTarget;
    this.maxFailures = maxFailures;
    this.launcher = launcher;
    this.listener = listener;
    this.clock = clock;
  }

  void runOn(FrameworkRuntime<TaskStatus> runtime) {
    this.runtime = runtime;
  }

  /** Spark's total of executors wanted (dynamic allocation changes it). Call with the lock held. */
  void setTarget(int total) {
    target = total;
    runtime.wantOffers(wantsOffers());
  }

  /** Kills the executors Spark released; they end as KILLED and Spark is told. Call with the lock held. */
  void kill(Collection<String> executorIds) {
    for (String id : executorIds) {
      Executor executor = executors.get(id);
      if (executor != null && !executor.agentId().isEmpty()) {
        runtime.driver().killTask(executor.agentId(), executor.taskId());
      }
    }
  }

  /** The application ends: no more launches, and every executor still on an agent is killed. */
  void stop() {
    stopped = true;
    runtime.wantOffers(false);
    kill(List.copyOf(executors.keySet()));
  }

  int live() {
    return executors.size();
  }

  @Override
  public void restore(Map<String, TaskStatus> state) {
    // A driver is never restarted under the same application id: nothing to resume.
  }

  @Override
  public void registered(SchedulerDriver driver) {
    log.info("Spark application {} registered with kos: {} executor(s) of {} cpus, {} MiB wanted", frameworkId,
        target, size.cores(), size.resources().mem());
  }

  @Override
  public void offers(List<OfferView> offers) {
    if (!wantsOffers()) {
      offers.forEach(offer -> runtime.driver().decline(offer.offerId(), REFUSE_WHEN_SATISFIED));
      runtime.wantOffers(false);
      return;
    }
    Map<String, Integer> plan = ExecutorPlan.place(target, live(), offers, size);
    Map<OfferView, List<TaskSpec>> launches = new LinkedHashMap<>();
    for (OfferView offer : offers) {
      int count = plan.getOrDefault(offer.offerId(), 0);
      if (count == 0) {
        runtime.driver().decline(offer.offerId(), REFUSE_WHILE_WANTING);
        continue;
      }
      List<TaskSpec> tasks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String executorId = Integer.toString(nextExecutorId++);
        String taskId = frameworkId + ".executor-" + executorId;
        tasks.add(launcher.executorTask(taskId, executorId, offer));
        record(new Executor(executorId, taskId, offer.agentId(), TaskState.STAGING), "launching on " + offer.agentId());
      }
      launches.put(offer, tasks);
    }
    if (!launches.isEmpty() && runtime.saveNow()) {
      launches.forEach((offer, tasks) -> {
        log.info("launching {} executor(s) of {} on agent {}", tasks.size(), frameworkId, offer.agentId());
        runtime.driver().launch(offer, tasks);
      });
    }
    runtime.wantOffers(wantsOffers());
  }

  @Override
  public void statusUpdate(TaskStatusUpdate status) {
    Optional<Executor> found = executors.values().stream().filter(e -> e.taskId().equals(status.taskId())).findFirst();
    if (found.isEmpty()) {
      return;
    }
    Executor executor = found.get();
    if (!status.state().terminal()) {
      record(new Executor(executor.executorId(), executor.taskId(), status.agentId(), status.state()),
          status.message().orElse(""));
      return;
    }
    executors.remove(executor.executorId());
    changed.put(executor.taskId(), toAvro(executor, status.state(), status.message().orElse("")));
    if (status.state() != TaskState.KILLED && status.state() != TaskState.FINISHED && !stopped) {
      failures++;
      log.warn("executor {} of {} ended {} on agent {}: {} ({} of at most {} failures)", executor.executorId(),
          frameworkId, status.state(), status.agentId(), status.message().orElse("no reason given"), failures,
          maxFailures);
    }
    listener.executorEnded(executor.executorId(), status);
    runtime.wantOffers(wantsOffers());
  }

  @Override
  public Optional<CommandResult> command(dev.kos.schema.Command command, Instant now) {
    return Optional.empty(); // a Spark application takes no kos commands
  }

  @Override
  public Map<String, TaskStatus> stateChanges() {
    return Map.copyOf(changed);
  }

  @Override
  public void stateCommitted(Map<String, TaskStatus> changes) {
    changes.forEach((key, value) -> changed.remove(key, value));
  }

  private boolean wantsOffers() {
    if (stopped) {
      return false;
    }
    if (failures >= maxFailures) {
      log.error("{} executors of {} failed: no more are launched (spark.kos.executor.maxFailures)", failures,
          frameworkId);
      return false;
    }
    return ExecutorPlan.wantsOffers(target, live());
  }

  private void record(Executor executor, String message) {
    executors.put(executor.executorId(), executor);
    changed.put(executor.taskId(), toAvro(executor, executor.state(), message));
  }

  private TaskStatus toAvro(Executor executor, TaskState state, String message) {
    return TaskStatus.newBuilder().setTaskId(executor.taskId()).setFrameworkId(frameworkId)
        .setAgentId(executor.agentId()).setState(dev.kos.schema.TaskState.valueOf(state.name()))
        .setMessage("executor " + executor.executorId() + (message.isEmpty() ? "" : ": " + message))
        .setTimestamp(clock.instant()).build();
  }
}
