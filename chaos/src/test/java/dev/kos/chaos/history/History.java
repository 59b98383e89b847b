package dev.kos.chaos.history;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one chaos case left behind, as plain values: the committed records of the kos topics the
 * checks need, and the task processes seen in /proc. Times are epoch milliseconds (the records'
 * Kafka timestamps, the samples' wall clock). The {@link Checks} are pure functions of it.
 *
 * @param launches every committed LaunchTask on kos.placements, in log order per partition
 * @param statuses every committed TaskStatus on kos.task-status
 * @param agentTotals each agent's latest AgentReport total on kos.agents
 * @param tasks the latest state per task id on kos.tasks
 * @param instances the instances of the apps on kos.apps (latest AppState per app, removed apps left out)
 * @param deadLetters every record on kos.dead-letters
 * @param injections the bad records the case published
 * @param samples the /proc samples taken while the case ran
 * @param quiescent the sample taken once the case settled, with {@code tasks} and {@code instances} read after it
 * @param teardown the sample taken after the case removed its apps and stopped its processes
 * @param recovery when the fault healed and what the canary and the consumer lag showed after
 * @param endedAt when the history was read
 */
public record History(List<Launch> launches, List<Status> statuses, Map<String, Capacity> agentTotals,
    Map<String, String> tasks, List<AppInstance> instances, List<DeadLetterEntry> deadLetters,
    List<Injection> injections, List<ProcessSample> samples, Optional<ProcessSample> quiescent,
    Optional<ProcessSample> teardown, Optional<Recovery> recovery, long endedAt) {

  /** Task states after which a task holds nothing: kos.task-status's terminal states. */
  public static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "KILLED", "LOST", "DROPPED", "ERROR");

  public History {
    launches = List.copyOf(launches);
    statuses = List.copyOf(statuses);
    agentTotals = Map.copyOf(agentTotals);
    tasks = Map.copyOf(tasks);
    instances = List.copyOf(instances);
    deadLetters = List.copyOf(deadLetters);
    injections = List.copyOf(injections);
    samples = List.copyOf(samples);
  }

  public static History empty() {
    return new History(List.of(), List.of(), Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), 0);
  }

  public History withLaunches(List<Launch> value) {
    return new History(value, statuses, agentTotals, tasks, instances, deadLetters, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withStatuses(List<Status> value) {
    return new History(launches, value, agentTotals, tasks, instances, deadLetters, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withAgentTotals(Map<String, Capacity> value) {
    return new History(launches, statuses, value, tasks, instances, deadLetters, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withTasks(Map<String, String> value) {
    return new History(launches, statuses, agentTotals, value, instances, deadLetters, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withInstances(List<AppInstance> value) {
    return new History(launches, statuses, agentTotals, tasks, value, deadLetters, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withDeadLetters(List<DeadLetterEntry> value) {
    return new History(launches, statuses, agentTotals, tasks, instances, value, injections, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withInjections(List<Injection> value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, value, samples, quiescent,
        teardown, recovery, endedAt);
  }

  public History withSamples(List<ProcessSample> value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, injections, value, quiescent,
        teardown, recovery, endedAt);
  }

  public History withQuiescent(ProcessSample value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, injections, samples,
        Optional.of(value), teardown, recovery, endedAt);
  }

  public History withTeardown(ProcessSample value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, injections, samples, quiescent,
        Optional.of(value), recovery, endedAt);
  }

  public History withRecovery(Recovery value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, injections, samples, quiescent,
        teardown, Optional.of(value), endedAt);
  }

  public History withEndedAt(long value) {
    return new History(launches, statuses, agentTotals, tasks, instances, deadLetters, injections, samples, quiescent,
        teardown, recovery, value);
  }

  /** Scalar resources of an agent or a task (cpus, MiB, MiB). */
  public record Capacity(double cpus, double mem, double disk) {

    public Capacity plus(Capacity other) {
      return new Capacity(cpus + other.cpus, mem + other.mem, disk + other.disk);
    }

    public Capacity minus(Capacity other) {
      return new Capacity(cpus - other.cpus, mem - other.mem, disk - other.disk);
    }

    /** Within {@code limit}, allowing for the rounding of summed doubles. */
    public boolean fitsIn(Capacity limit) {
      double slack = 1e-6;
      return cpus <= limit.cpus + slack && mem <= limit.mem + slack && disk <= limit.disk + slack;
    }
  }

  /** A committed LaunchTask. {@code ports} are the single ports of the task's port ranges. */
  public record Launch(long at, String taskId, String agentId, String appId, Capacity needs, List<Integer> ports) {
    public Launch {
      ports = List.copyOf(ports);
    }
  }

  /** A committed TaskStatus, with its message ("" when it has none). */
  public record Status(long at, String taskId, String agentId, String state, String message) {

    public Status(long at, String taskId, String agentId, String state) {
      this(at, taskId, agentId, state, "");
    }

    public boolean terminal() {
      return TERMINAL.contains(state);
    }
  }

  /** An instance of an app as kos.apps has it: its current task and that task's state there. */
  public record AppInstance(String appId, String taskId, String state) {

    /** Not ended: InstanceState's live states, and KILLING (asked to die, not dead yet). */
    public boolean live() {
      return !TERMINAL.contains(state);
    }
  }

  /**
   * A record on kos.dead-letters; {@code topic} is the full name of the topic the bad record came from. A consumer
   * that reads a compacted topic as a table (the allocator's kos.roles and kos.frameworks) no longer knows where a
   * value came from: its dead letter has partition and offset -1 and names the record by its {@code key}.
   */
  public record DeadLetterEntry(String topic, int partition, long offset, String key, String consumer, String reason) {

    public DeadLetterEntry(String topic, int partition, long offset, String consumer, String reason) {
      this(topic, partition, offset, null, consumer, reason);
    }

    public boolean positionUnknown() {
      return partition < 0;
    }
  }

  /** A bad record a case published on purpose, where the broker put it, and its key (null if none). */
  public record Injection(String topic, int partition, long offset, String key, String kind) {

    public Injection(String topic, int partition, long offset, String kind) {
      this(topic, partition, offset, null, kind);
    }
  }

  /** One task's processes at a sample (a wrapper shell and its children share the task's environment). */
  public record LiveTask(String taskId, String appId, String agentId, List<Long> pids) {
    public LiveTask {
      pids = List.copyOf(pids);
    }
  }

  /** The task processes alive at one moment. */
  public record ProcessSample(long at, List<LiveTask> live) {
    public ProcessSample {
      live = List.copyOf(live);
    }
  }

  /**
   * After the fault: when it healed, when the canary command was answered (empty: never), and each
   * consumer group's remaining lag per partition (key "group topic-partition") once the case settled.
   */
  public record Recovery(long healedAt, OptionalLong canaryAnsweredAt, Map<String, Long> lag) {
    public Recovery {
      lag = Map.copyOf(lag);
    }
  }
}
