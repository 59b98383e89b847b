package dev.kos.allocator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tasks for which the allocator waits on an agent's word, so that its books end up equal to what the agents
 * really run (decision 0011):
 *
 * <ul>
 *   <li>{@link Phase#STAGING}: launched, no status yet. With none within the answer timeout, the agent will not run
 *       it (it may have dead-lettered the placement): the task is given up, reported LOST and freed.
 *   <li>{@link Phase#LOST}: declared LOST (its agent went silent, or it was given up) and replaced by its framework.
 *       If its agent shows it still runs (the agent returns, or a status comes), it is killed, not adopted.
 *   <li>{@link Phase#KILLING}: such a task held again and killed; it is freed by the agent's terminal status, or
 *       given up after the answer timeout, so that an agent that never answers cannot hold it for ever.
 * </ul>
 *
 * <p>No clock, no I/O: each event takes {@code now} and returns what the shell must do and what it must store.
 */
public final class TaskWatch {

  public enum Phase { STAGING, LOST, KILLING }

  /** A watched task, its phase and when that phase began. */
  public record Entry(Launch task, Phase phase, Instant since) {
    public Entry {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(since, "since");
    }
  }

  /**
   * What the shell must do: {@code kill}: hold the task's resources again and kill it on its agent;
   * {@code giveUp}: free the task's resources and report it LOST with the reason; then store {@code changed} and
   * delete {@code removed} (task ids).
   */
  public record Outcome(List<Launch> kill, List<GiveUp> giveUp, List<Entry> changed, List<String> removed) {
    public static final Outcome NONE = new Outcome(List.of(), List.of(), List.of(), List.of());

    public Outcome {
      kill = List.copyOf(kill);
      giveUp = List.copyOf(giveUp);
      changed = List.copyOf(changed);
      removed = List.copyOf(removed);
    }
  }

  public record GiveUp(Launch task, String reason) {
  }

  private final Duration answerTimeout;
  private final Duration lostRetention;
  private final Map<String, Entry> entries = new HashMap<>();

  /**
   * @param answerTimeout how long an agent may leave a launch without any status, or a kill without a terminal one
   * @param lostRetention how long a task declared LOST is remembered, waiting for its agent to show it runs
   */
  public TaskWatch(Duration answerTimeout, Duration lostRetention) {
    if (answerTimeout.isNegative() || answerTimeout.isZero() || lostRetention.isNegative()) {
      throw new IllegalArgumentException("answer timeout must be positive and retention not negative, were "
          + answerTimeout + " and " + lostRetention);
    }
    this.answerTimeout = answerTimeout;
    this.lostRetention = lostRetention;
  }

  /** Re-records an entry from before the shell restarted. */
  public void restore(Entry entry) {
    entries.put(entry.task().taskId(), entry);
  }

  public Outcome launched(Launch task, Instant now) {
    return put(new Entry(task, Phase.STAGING, now));
  }

  /**
   * A status from the task's agent. Any status answers a launch; a terminal one ends the watch (the shell frees the
   * task as usual). A live task that was declared LOST is killed, once its agent is known again; until then its
   * agent's return will do it.
   */
  public Outcome status(String taskId, boolean terminal, boolean agentKnown, Instant now) {
    Entry entry = entries.get(taskId);
    if (entry == null) {
      return Outcome.NONE;
    }
    if (terminal || entry.phase() == Phase.STAGING) {
      entries.remove(taskId);
      return new Outcome(List.of(), List.of(), List.of(), List.of(taskId));
    }
    if (entry.phase() == Phase.LOST && agentKnown) {
      return kill(List.of(entry), now);
    }
    return Outcome.NONE;
  }

  /** An agent was declared lost with these tasks, which were reported LOST: watched until it returns. */
  public Outcome agentLost(Collection<Launch> tasks, Instant now) {
    List<Entry> changed = new ArrayList<>(tasks.size());
    for (Launch task : tasks) {
      Entry entry = new Entry(task, Phase.LOST, now);
      entries.put(task.taskId(), entry);
      changed.add(entry);
    }
    return new Outcome(List.of(), List.of(), changed, List.of());
  }

  /** An agent that was declared lost reports again: the tasks declared LOST on it are killed. O(watched tasks). */
  public Outcome agentBack(String agentId, Instant now) {
    List<Entry> lost = entries.values().stream()
        .filter(e -> e.phase() == Phase.LOST && e.task().agentId().equals(agentId))
        .sorted(Comparator.comparing(e -> e.task().taskId())).toList();
    return lost.isEmpty() ? Outcome.NONE : kill(lost, now);
  }

  /**
   * Gives up launches and kills their agents left unanswered for longer than the answer timeout, and forgets
   * tasks declared LOST longer than the retention ago. O(watched tasks): call it every second or so, not per event.
   */
  public Outcome check(Instant now) {
    List<GiveUp> giveUp = new ArrayList<>();
    List<Entry> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Instant answerCutoff = now.minus(answerTimeout);
    Instant retentionCutoff = now.minus(lostRetention);
    for (Entry entry : List.copyOf(entries.values())) {
      String agentId = entry.task().agentId();
      if (entry.phase() == Phase.LOST) {
        if (entry.since().isBefore(retentionCutoff)) {
          entries.remove(entry.task().taskId());
          removed.add(entry.task().taskId());
        }
      } else if (entry.since().isBefore(answerCutoff)) {
        giveUp.add(new GiveUp(entry.task(), entry.phase() == Phase.STAGING
            ? "no status from agent " + agentId + " within " + answerTimeout + " of the launch; the agent did not"
                + " take the task (see kos.dead-letters), or lost it"
            : "agent " + agentId + " did not confirm the kill of task " + entry.task().taskId() + " within "
                + answerTimeout + "; its resources are released"));
        Entry lost = new Entry(entry.task(), Phase.LOST, now);
        entries.put(entry.task().taskId(), lost);
        changed.add(lost);
      }
    }
    giveUp.sort(Comparator.comparing(g -> g.task().taskId()));
    return new Outcome(List.of(), giveUp, changed, removed);
  }

  /**
   * The allocator itself was cut off or stood still until {@code now}: the agents' answers could not reach it, so
   * every launch and kill waiting for one gets a whole answer timeout from now.
   */
  public Outcome grace(Instant now) {
    List<Entry> changed = new ArrayList<>();
    for (Entry entry : List.copyOf(entries.values())) {
      if (entry.phase() != Phase.LOST && entry.since().isBefore(now)) {
        Entry moved = new Entry(entry.task(), entry.phase(), now);
        entries.put(entry.task().taskId(), moved);
        changed.add(moved);
      }
    }
    return new Outcome(List.of(), List.of(), changed, List.of());
  }

  public Phase phase(String taskId) {
    Entry entry = entries.get(taskId);
    return entry == null ? null : entry.phase();
  }

  public int size() {
    return entries.size();
  }

  private Outcome kill(List<Entry> lost, Instant now) {
    List<Launch> kill = new ArrayList<>(lost.size());
    List<Entry> changed = new ArrayList<>(lost.size());
    for (Entry entry : lost) {
      Entry killing = new Entry(entry.task(), Phase.KILLING, now);
      entries.put(entry.task().taskId(), killing);
      kill.add(entry.task());
      changed.add(killing);
    }
    return new Outcome(kill, List.of(), changed, List.of());
  }

  private Outcome put(Entry entry) {
    entries.put(entry.task().taskId(), entry);
    return new Outcome(List.of(), List.of(), List.of(entry), List.of());
  }
}
