package dev.kos.agent.sim;

import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.agent.resources.ReportPacer;
import dev.kos.agent.resources.ResourceLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The pure core of {@code kos agent-sim}: many agents and their simulated tasks, with time and
 * randomness as inputs. Each call returns what the agents would send as data ({@link Report},
 * {@link Status}); the shell publishes it. Per agent it keeps one slot in three arrays (a resource
 * ledger while the agent runs tasks, its task count and its report pacer), so an idle agent costs a few dozen bytes; the
 * heartbeats of a round are spread evenly over the interval by one cursor, not one timer per agent.
 * Reports of changed used resources are paced by {@link ReportPacer}, the rule real agents follow too: a
 * change within {@link ReportPacer#INTERVAL} of the agent's last report is held and sent by a later
 * {@link #advance}, or carried by a heartbeat that comes first.
 * Not thread-safe: the shell serialises calls.
 */
public final class SimulatedFleet {
  private static final ResourceSet NOTHING = new ResourceSet(0, 0, 0, List.of());
  private static final String LIMITS = LimitEnforcement.NONE.label();

  /** What a simulated agent sends. */
  public sealed interface Output permits Report, Status {
    int agent();
  }

  /** A capacity report (registration, heartbeat, or a paced change of used resources). */
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
  private final ReportPacer[] pacers;
  /** Agents with a held change, in the order they got one. */
  private final Set<Integer> held = new LinkedHashSet<>();
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
    this.pacers = new ReportPacer[spec.agents()];
    for (int agent = 0; agent < spec.agents(); agent++) {
      pacers[agent] = new ReportPacer();
    }
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
      pacers[agent].reported(start);
    }
    return reports;
  }

  /**
   * STARTING and RUNNING, then a report of the new used resources if one is due; ERROR with the reason when
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
    List<Output> out = new ArrayList<>(3);
    out.add(status(agent, task, TaskState.STARTING, null, null, now));
    out.add(status(agent, task, TaskState.RUNNING, "simulated task started", null, now));
    usedChanged(agent, now, out);
    return out;
  }

  /** KILLED and a report if one is due; a task this agent does not run is answered LOST, as a real agent does. */
  public List<Output> kill(int agent, KillRequest kill, Instant now) {
    SimTask task = tasks.get(kill.taskId());
    if (task == null || task.agent() != agent) {
      return List.of(new Status(agent, new StatusUpdate(kill.taskId(), kill.frameworkId(), null, TaskState.LOST,
          "task " + kill.taskId() + " is not known on agent " + spec.agentId(agent), null, null, null, LIMITS, now)));
    }
    return end(task, TaskState.KILLED, "killed by the framework", null, now);
  }

  /**
   * Ends the tasks whose time has come, sends the held reports of changed used resources and the heartbeats that
   * are due, in time order per kind.
   */
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
    for (Iterator<Integer> agents = held.iterator(); agents.hasNext(); ) {
      int agent = agents.next();
      if (pacers[agent].due(now)) {
        agents.remove();
        out.add(report(agent, now));
      }
    }
    // After a stall longer than a round, skip the missed rounds instead of sending them in a burst.
    long roundsBehind = (elapsed - heartbeatDue(nextHeartbeat, heartbeatRound)) / intervalNanos;
    if (roundsBehind > 0) {
      heartbeatRound += roundsBehind;
    }
    while (heartbeatDue(nextHeartbeat, heartbeatRound) <= elapsed) {
      held.remove(nextHeartbeat);
      out.add(report(nextHeartbeat, now));
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
    List<Output> out = new ArrayList<>(2);
    out.add(status(agent, task.spec(), state, message, exitCode, now));
    usedChanged(agent, now, out);
    return out;
  }

  /** The agent's used resources changed: a report now if its pacer lets one through, else held for {@link #advance}. */
  private void usedChanged(int agent, Instant now, List<Output> out) {
    if (pacers[agent].changed(now)) {
      held.remove(agent);
      out.add(report(agent, now));
    } else {
      held.add(agent);
    }
  }

  private Report report(int agent, Instant now) {
    pacers[agent].reported(now);
    return new Report(agent, used(agent), now);
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
