package dev.kos.allocator.core;

import dev.kos.allocator.core.AgentLiveness.Guard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The allocator's periodic check of who went silent, and what the shell must do about it: agents silent past the
 * agent timeout are lost (with {@link AgentLiveness}'s guards against the shard's own isolation), launches and
 * kills their agents never answered are given up ({@link TaskWatch}), and frameworks silent past their failover
 * timeout lose their offers and tasks ({@link FrameworkFailover}).
 *
 * <p>It changes the {@link Allocator} core itself and returns the rest as {@link Step}s in the order the shell
 * carries them out (records to publish, stores to change), so the shell decides nothing. No clock, no I/O.
 */
public final class Housekeeping {

  /** How often agents and frameworks are checked: the lost-agent check costs O(agents). */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** What the shell does, in order. */
  public sealed interface Step {
  }

  /** Publish the core's offers and rescinds, and keep the offers store in step. */
  public record Apply(Decisions decisions) implements Step {
    public Apply {
      Objects.requireNonNull(decisions, "decisions");
    }
  }

  /** The task no longer holds resources here: delete it from the tasks store and publish it LOST. */
  public record ReportLost(Launch task, String reason) implements Step {
  }

  /** A task watched for its agent's word was held again: kill it; {@code held} says to store it as running again. */
  public record Kill(Launch task, boolean held) implements Step {
  }

  /** A task on the agent was freed: if {@code drained}, the agent has none left and its drain is complete. */
  public record TaskFreed(String agentId, boolean drained) implements Step {
  }

  /** Store the task watch's changed entries and delete its removed ones. */
  public record StoreWatch(List<TaskWatch.Entry> changed, List<String> removed) implements Step {
    public StoreWatch {
      changed = List.copyOf(changed);
      removed = List.copyOf(removed);
    }
  }

  /** The agent was declared lost and removed from the core (its tasks were reported LOST before): forget it. */
  public record AgentLost(String agentId, Duration silentFor) implements Step {
  }

  /** The framework was silent past its failover timeout: kill its {@code orphans} here and say so. */
  public record FrameworkFailedOver(String frameworkId, Duration timeout, List<Launch> orphans) implements Step {
    public FrameworkFailedOver {
      orphans = List.copyOf(orphans);
    }
  }

  /**
   * One check's outcome.
   *
   * @param guard which liveness guard held, if any (for the shell's log)
   * @param isolationBegan true on the check that first suspected the shard's own isolation
   */
  public record Tick(Guard guard, boolean isolationBegan, List<Step> steps) {
    public static final Tick NONE = new Tick(Guard.NONE, false, List.of());

    public Tick {
      Objects.requireNonNull(guard, "guard");
      steps = List.copyOf(steps);
    }
  }

  private final Allocator core;
  private final AgentLiveness liveness;
  private final TaskWatch watch;
  private final FrameworkFailover<?> failover;
  private final Duration agentTimeout;
  private Instant nextCheck = Instant.EPOCH;

  public Housekeeping(Allocator core, AgentLiveness liveness, TaskWatch watch, FrameworkFailover<?> failover,
      Duration agentTimeout) {
    this.core = Objects.requireNonNull(core, "core");
    this.liveness = Objects.requireNonNull(liveness, "liveness");
    this.watch = Objects.requireNonNull(watch, "watch");
    this.failover = Objects.requireNonNull(failover, "failover");
    this.agentTimeout = Objects.requireNonNull(agentTimeout, "agentTimeout");
  }

  /**
   * A gap in a shard's own checks longer than this means the shard stood still, not its agents: half the agent
   * timeout, so that a freeze of a timeout or more is always noticed, and never less than a few checks.
   */
  public static Duration stallThreshold(Duration agentTimeout, Duration roundInterval) {
    Duration half = agentTimeout.dividedBy(2);
    Duration fewChecks = CHECK_INTERVAL.plus(roundInterval).multipliedBy(3);
    return half.compareTo(fewChecks) > 0 ? half : fewChecks;
  }

  /** Called every round; checks at most once per {@link #CHECK_INTERVAL}, and returns {@link Tick#NONE} between. */
  public Tick tick(Instant now) {
    if (now.isBefore(nextCheck)) {
      return Tick.NONE;
    }
    nextCheck = now.plus(CHECK_INTERVAL);
    List<Step> steps = new ArrayList<>();
    boolean suspectedBefore = liveness.isolationSuspected();
    AgentLiveness.Verdict verdict = liveness.check(now);
    if (verdict.guard() != Guard.NONE) {
      // Nothing could reach this shard either: launches and kills get a whole answer timeout from now.
      steps.addAll(settle(watch.grace(now)));
    }
    steps.addAll(settle(watch.check(now)));
    for (String agentId : verdict.lost()) {
      Decisions decisions = core.agentRemoved(agentId, "agent " + agentId + " lost: no heartbeat for "
          + agentTimeout);
      steps.add(new Apply(decisions));
      for (Launch task : decisions.lostTasks()) {
        steps.add(new ReportLost(task, "agent " + agentId + " sent no heartbeat for " + agentTimeout));
      }
      steps.addAll(settle(watch.agentLost(decisions.lostTasks(), now)));
      liveness.forget(agentId);
      steps.add(new AgentLost(agentId, agentTimeout));
    }
    for (String frameworkId : failover.failingOver(now)) {
      steps.add(new Apply(core.frameworkRemoved(frameworkId)));
      steps.add(new FrameworkFailedOver(frameworkId, failover.timeout(frameworkId), core.tasksOf(frameworkId)));
    }
    boolean isolationBegan = verdict.guard() == Guard.ISOLATED && !suspectedBefore;
    return new Tick(verdict.guard(), isolationBegan, steps);
  }

  /**
   * What the task watch decided, carried out on the core: tasks found running after they were declared lost are
   * held again and killed; launches and kills their agents never answered are given up, reported LOST and freed.
   */
  public List<Step> settle(TaskWatch.Outcome outcome) {
    List<Step> steps = new ArrayList<>();
    for (Launch task : outcome.kill()) {
      steps.add(new Apply(core.hold(task)));
      steps.add(new Kill(task, core.isRunning(task.taskId())));
    }
    for (TaskWatch.GiveUp giveUp : outcome.giveUp()) {
      Launch task = giveUp.task();
      steps.add(new Apply(core.taskEnded(task.taskId())));
      steps.add(new ReportLost(task, giveUp.reason()));
      steps.add(new TaskFreed(task.agentId(), core.isDrained(task.agentId())));
    }
    if (!outcome.changed().isEmpty() || !outcome.removed().isEmpty()) {
      steps.add(new StoreWatch(outcome.changed(), outcome.removed()));
    }
    return steps;
  }
}
