package dev.kos.agent.sim;

import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.resources.ResourceLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The pure core of {@code kos agent-sim}: many agents and their simulated tasks, with time and
 * randomness as inputs. Each call returns what the agents would send as data ({@link Report},
 * {@link Status}); the shell publishes it. Per agent it keeps one slot in two arrays (a resource
 * ledger while the agent runs tasks, and its task count), so an idle agent costs a few bytes; the
 * heartbeats of a round are spread evenly over the interval by one cursor, not one timer per agent.
 * Not thread-safe: the shell serialises calls.
 */
public final class SimulatedFleet {
  private static final ResourceSet NOTHING = new ResourceSet(0, 0, 0, List.of());
  private static final String LIMITS = LimitEnforcement.NONE.label();

  /** What a simulated agent sends. */
  public sealed interface Output permits Report, Status {
    int agent();
  }

  /** A capacity report (registration, heartbeat, or a change of used resources). */
  public record Report(int agent, ResourceSet used, Instant at) implements Output {
  }

  /** A task status. */
  public record Status(int agent, StatusUpdate update) implements Output {
  }

  private record SimTask(int agent, TaskSpec spec, long endNanos, boolean fails) {
  }

  private final SimSpec spec;
  private final Instant start;
  private final long intervalNanos;
  private final SplittableRandom random;
  private final ResourceLedger[] ledgers;
  private final int[] taskCounts;
  private final Map<String, SimTask> tasks = new HashMap<>();
  private final PriorityQueue<SimTask> ends = new PriorityQueue<>(Comparator.comparingLong(SimTask::endNanos));
  private long heartbeatRound = 1;
  private int nextHeartbeat;

  public SimulatedFleet(SimSpec spec, Instant start) {
    this.spec = spec;
    this.start = start;
    this.intervalNanos = spec.heartbeatInterval().toNanos();
    this.random = new SplittableRandom(spec.seed());
    this.ledgers = new ResourceLedger[spec.agents()];
    this.taskCounts = new int[spec.agents()];
  }

  public SimSpec spec() {
    return spec;
  }

  public Instant startedAt() {
    return start;
  }

  /** Every agent's first report, at the fleet's start. */
  public List<Output> register() {
    List<Output> reports = new ArrayList<>(spec.agents());
    for (int agent = 0; agent < spec.agents(); agent++) {
      reports.add(new Report(agent, NOTHING, start));
    }
    return reports;
  }

  /**
   * STARTING and RUNNING, then a report of the new used resources; ERROR with the reason when
   * the task does not fit. A task id that is running already is not launched again.
   */
  public List<Output> launch(int agent, TaskSpec task, Instant now) {
    if (tasks.containsKey(task.taskId())) {
      return List.of();
    }
    ResourceLedger ledger = ledgers[agent] != null ? ledgers[agent] : new ResourceLedger(spec.resources());
    Optional<String> problem = ledger.reserve(task.taskId(), task.resources());
    if (problem.isPresent()) {
      return List.of(status(agent, task, TaskState.ERROR, problem.get(), null, now));
    }
    ledgers[agent] = ledger;
    taskCounts[agent]++;
    boolean fails = random.nextDouble() < spec.failureRate();
    long end = nanosSince(now) + spec.taskDurations().sample(random).toNanos();
    SimTask simTask = new SimTask(agent, task, end, fails);
    tasks.put(task.taskId(), simTask);
    ends.add(simTask);
    return List.of(
        status(agent, task, TaskState.STARTING, null, null, now),
        status(agent, task, TaskState.RUNNING, "simulated task started", null, now),
        new Report(agent, used(agent), now));
  }

  /** KILLED and a report; a task this agent does not run is answered LOST, as a real agent does. */
  public List<Output> kill(int agent, KillRequest kill, Instant now) {
    SimTask task = tasks.get(kill.taskId());
    if (task == null || task.agent() != agent) {
      return List.of(new Status(agent, new StatusUpdate(kill.taskId(), kill.frameworkId(), null, TaskState.LOST,
          "task " + kill.taskId() + " is not known on agent " + spec.agentId(agent), null, null, null, LIMITS, now)));
    }
    return end(task, TaskState.KILLED, "killed by the framework", null, now);
  }

  /** Ends the tasks whose time has come and sends the heartbeats that are due, in time order per kind. */
  public List<Output> advance(Instant now) {
    long elapsed = nanosSince(now);
    List<Output> out = new ArrayList<>();
    while (!ends.isEmpty() && ends.peek().endNanos() <= elapsed) {
      SimTask task = ends.poll();
      if (tasks.get(task.spec().taskId()) == task) {
        out.addAll(task.fails()
            ? end(task, TaskState.FAILED, "simulated failure (failure rate " + spec.failureRate() + ")", 1, now)
            : end(task, TaskState.FINISHED, "simulated task finished", 0, now));
      }
    }
    // After a stall longer than a round, skip the missed rounds instead of sending them in a burst.
    long roundsBehind = (elapsed - heartbeatDue(nextHeartbeat, heartbeatRound)) / intervalNanos;
    if (roundsBehind > 0) {
      heartbeatRound += roundsBehind;
    }
    while (heartbeatDue(nextHeartbeat, heartbeatRound) <= elapsed) {
      out.add(new Report(nextHeartbeat, used(nextHeartbeat), now));
      if (++nextHeartbeat == spec.agents()) {
        nextHeartbeat = 0;
        heartbeatRound++;
      }
    }
    return out;
  }

  public ResourceSet used(int agent) {
    return ledgers[agent] == null ? NOTHING : ledgers[agent].used();
  }

  public int runningTasks() {
    return tasks.size();
  }

  private List<Output> end(SimTask task, TaskState state, String message, Integer exitCode, Instant now) {
    int agent = task.agent();
    tasks.remove(task.spec().taskId());
    ledgers[agent].release(task.spec().taskId());
    if (--taskCounts[agent] == 0) {
      ledgers[agent] = null;
    }
    return List.of(status(agent, task.spec(), state, message, exitCode, now), new Report(agent, used(agent), now));
  }

  /** Agent {@code agent}'s heartbeat of round {@code round}: rounds apart by the interval, agents spread within. */
  private long heartbeatDue(int agent, long round) {
    return round * intervalNanos + (long) ((double) agent / spec.agents() * intervalNanos);
  }

  private long nanosSince(Instant now) {
    return Duration.between(start, now).toNanos();
  }

  private Status status(int agent, TaskSpec task, TaskState state, String message, Integer exitCode, Instant now) {
    return new Status(agent, new StatusUpdate(task.taskId(), task.frameworkId(), task.appId(), state, message,
        exitCode, null, task.resources(), LIMITS, now));
  }
}
